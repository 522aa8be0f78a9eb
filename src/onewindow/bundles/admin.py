"""一件事 admin: packages and joint reviews (read-only: they change through services) and material links."""

from __future__ import annotations

from django.contrib import admin

from onewindow.bundles.models import JointReview, MaterialLink, Package, SubCase


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: visible in the admin, never edited there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SubCaseInline(admin.TabularInline):
    model = SubCase
    fields = ("order", "case", "theme_item", "started_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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
