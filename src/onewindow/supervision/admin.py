"""一链监管 admin: the handed-off events (read-only), the departments' webhook endpoints, and the delivery log with
every attempt and the "replay" action (重放推送)."""

from __future__ import annotations

from django.contrib import admin, messages

from onewindow.core.admin import ReadOnlyAdmin, ReadOnlyInline
from onewindow.core.errors import DomainError
from onewindow.supervision import services
from onewindow.supervision.models import DeliveryAttempt, SupervisionEvent, WebhookDelivery, WebhookEndpoint


@admin.register(SupervisionEvent)
class SupervisionEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "department", "case", "created_at", "acknowledged_at")
    list_filter = ("department",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("department", "url", "active", "max_attempts")
    list_filter = ("active", "department")


class AttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ("number", "at", "status_code", "error", "duration_ms", "ok", "replay")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at", "delivered_at")
    list_filter = ("status", "endpoint__department")
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.action(description="重放推送（重新开始一轮尝试）")
    def replay(self, request, queryset):
        # Each delivery is its own service call: one that fails is reported and does not hold back the others.
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
