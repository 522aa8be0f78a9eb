"""一件事 admin: packages and joint reviews (read-only: they change through services) and material links."""

from __future__ import annotations

from django.contrib import admin

from onewindow.bundles.models import JointReview, MaterialLink, Package, SubCase
from onewindow.core.admin import ReadOnlyAdmin, ReadOnlyInline


class SubCaseInline(ReadOnlyInline):
    model = SubCase
    fields = ("order", "case", "theme_item", "started_at")


@admin.register(Package)
class PackageAdmin(ReadOnlyAdmin):
    list_display = ("number", "theme", "state", "accepted_on", "due_on", "finished_on", "working_days")
    list_filter = ("state", "theme")
    search_fields = ("number",)
    inlines = [SubCaseInline]


@admin.register(JointReview)
class JointReviewAdmin(ReadOnlyAdmin):
    list_display = ("package", "held_at", "place")


@admin.register(MaterialLink)
class MaterialLinkAdmin(admin.ModelAdmin):
    list_display = ("theme", "label", "names")
    list_filter = ("theme",)
