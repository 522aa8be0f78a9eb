"""The kernel's admin: accounts, API tokens (revoked through the service, never edited), the audit chain
(read-only), and `ReadOnlyAdmin` / `ReadOnlyInline`, the one way every app shows rows only its services write."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from onewindow.core import services
from onewindow.core.errors import DomainError
from onewindow.core.identity_fields import MobileField
from onewindow.core.models import ApiToken, AuditEvent, Role, User


class _NoWrites:
    """No add, change or delete: the rows change only through the services (and the audit chain)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(_NoWrites, admin.ModelAdmin):
    """Rows that only services write: visible in the admin, never edited there."""


class ReadOnlyInline(_NoWrites, admin.TabularInline):
    """The same, as rows shown inside another row's page."""

    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("一窗通办", {"fields": ("display_name", "role", "mobile")}),)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "mobile":  # kept canonical (ASCII digits), as every other entry of a mobile
            return MobileField(label=db_field.verbose_name, required=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are shown once, so only `onewindow token create` issues them; here they can be revoked."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_revoke_permission(self, request) -> bool:
        return request.user.is_superuser or request.user.role == Role.ADMIN

    @admin.action(description="吊销所选令牌", permissions=["revoke"])
    def revoke(self, request, queryset):
        # An action runs outside any transaction: the public service is the one it needs.
        try:
            count = services.revoke_tokens(queryset, by=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, f"已吊销 {count} 个令牌", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The chain is read-only everywhere: no add, change or delete."""

    list_display = ("id", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label")
