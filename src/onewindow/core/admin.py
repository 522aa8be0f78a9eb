"""The kernel's admin: accounts, API tokens (revoked through the service, never edited), the audit chain
(read-only), and `ReadOnlyAdmin` / `ReadOnlyInline`, the one way every app shows rows only its services write."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from onewindow.core import acts, services
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


class UserChangeForm(BaseUserAdmin.form):
    """The account form, with the holder's 实名 identity number entered (never shown back unmasked)."""

    new_identity_number = forms.CharField(
        label="登记实名身份证号", max_length=18, required=False,
        help_text="核验本人身份证件后填写；留空则不变。保存后只显示脱敏号。",
    )

    def clean_new_identity_number(self) -> str:
        value = self.cleaned_data.get("new_identity_number", "")
        if not value:
            return ""
        try:
            number = acts.normalize_holder_number(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        if User.objects.filter(identity_number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("该身份证号已登记在另一个账号上")
        return number


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    list_display = ("username", "display_name", "role", "identity_masked", "is_active")
    list_filter = ("role", "is_active")
    readonly_fields = ("identity_masked",)
    fieldsets = BaseUserAdmin.fieldsets + (
        ("一窗通办", {"fields": ("display_name", "role", "mobile", "identity_masked", "new_identity_number")}),
    )

    @admin.display(description="实名身份证号")
    def identity_masked(self, obj: User) -> str:
        return obj.identity_masked or "—"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        number = form.cleaned_data.get("new_identity_number", "")
        if number and number != obj.identity_number:
            # The admin's change view is one transaction: the act composes inside it (and audits it).
            acts.set_verified_identity(obj, identity_number=number, by=request.user)

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

    list_display = ("id", "at", "actor_label", "action", "object_type", "object_id", "shard", "seq")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label")
