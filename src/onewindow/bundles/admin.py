"""一件事 admin: packages (read-only: they change through services), material links, webhook endpoints, and the
delivery log with the "replay" action (重放推送)."""

from __future__ import annotations

from django.contrib import admin, messages

from onewindow.bundles import services
from onewindow.bundles.models import (
    DeliveryAttempt,
    JointReview,
    MaterialLink,
    Package,
    SubCase,
    SupervisionEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from onewindow.core.errors import DomainError


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


@admin.register(SupervisionEvent)
class SupervisionEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "department", "case", "created_at", "acknowledged_at")
    list_filter = ("department",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("department", "url", "active", "max_attempts")
    list_filter = ("active", "department")


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("number", "at", "status_code", "error", "duration_ms", "ok", "replay")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at", "delivered_at")
    list_filter = ("status", "endpoint__department")
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.action(description="重放推送（重新开始一轮尝试）")
    def replay(self, request, queryset):
        replayed = 0
        for delivery in queryset:
            try:
                services.replay_delivery(delivery, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"#{delivery.pk}：{exc.message}", messages.ERROR)
            else:
                replayed += 1
        if replayed:
            self.message_user(request, f"已重放 {replayed} 条推送", messages.SUCCESS)
