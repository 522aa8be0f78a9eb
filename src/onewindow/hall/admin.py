"""Hall admin: the configuration (rules, categories, windows, slots) is edited here through the configuration
acts, so every save and delete is validated and audited; tickets, bookings and found items change only through
the services, so the admin shows them read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS

from onewindow.core.admin import ReadOnlyAdmin
from onewindow.core.errors import DomainError, InvalidInput
from onewindow.hall import services
from onewindow.hall.acts import configuration
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    FoundItem,
    HallOpenDay,
    HallPolicy,
    ServiceCategory,
    Ticket,
    Window,
)


class _ConfigurationAdmin(admin.ModelAdmin):
    """Saves and deletes go through the configuration acts; their refusals show on the form or the delete page.

    `save_act(obj, by=…, **many_to_many)` and `delete_act(obj, by=…)` are the acts, `many_to_many` the form's
    fields the save act sets itself (and audits with the row); `check_edit(obj, cleaned_data)` runs the act's checks
    as the form validates; `deletable(obj)` raises when a row may not be deleted.
    """

    save_act: Callable[..., Any]
    delete_act: Callable[..., Any]
    check_act: Callable[[Any], None]
    deletable: Callable[[Any], None] | None = None
    many_to_many: tuple[str, ...] = ()

    def has_add_permission(self, request, *args):
        return configuration.may_configure(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return configuration.may_configure(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return configuration.may_configure(request.user) and super().has_delete_permission(request, obj)

    def check_edit(self, obj, cleaned_data: dict) -> None:
        type(self).check_act(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        check = self.check_edit

        class CheckedByTheAct(form):
            """The act's own checks run as the form validates: a refused edit shows on the form, saving nothing."""

            def validate_unique(self):
                pass  # uniqueness is among the act's checks, in the center's words (below)

            def _post_clean(self):
                super()._post_clean()
                if any(name != NON_FIELD_ERRORS for name in self.errors):
                    return  # the fields first
                try:
                    check(self.instance, self.cleaned_data)
                except InvalidInput as exc:
                    self.errors.pop(NON_FIELD_ERRORS, None)  # the act's reason replaces the model's generic one
                    for name in [name for name in exc.fields if name in self.fields] or [None]:
                        self.add_error(name, exc.message)

        return CheckedByTheAct

    def save_model(self, request, obj, form, change):
        many = {name: form.cleaned_data[name] for name in self.many_to_many if name in form.cleaned_data}
        type(self).save_act(obj, by=request.user, **many)

    def save_related(self, request, form, formsets, change):
        # The save act has set the many-to-many fields; only inline formsets (none today) remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        type(self).delete_act(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action runs outside the admin's per-request transaction: one public service.
        services.delete_configuration(queryset, delete_act=type(self).delete_act, by=request.user)

    def get_deleted_objects(self, objs, request):
        """A row the act would refuse to delete is shown as protected, with the act's reason, and nothing goes."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = []
        for obj in objs if self.deletable else ():
            try:
                type(self).deletable(obj)
            except DomainError as exc:
                refusals.append(exc.message)
        if refusals:
            # The reason to show is the act's: rows it keeps (tickets, bookings) are not the admin's to delete anyway.
            return deleted, counts, set(), [*refusals, *protected]
        return deleted, counts, perms_needed, protected


@admin.register(HallPolicy)
class HallPolicyAdmin(_ConfigurationAdmin):
    list_display = ["hall", "max_recalls", "reactivate_within_minutes", "wait_target_minutes", "missed_limit"]
    save_act = staticmethod(configuration.save_policy)
    check_act = staticmethod(configuration.check_policy)
    delete_act = staticmethod(configuration.delete_policy)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(_ConfigurationAdmin):
    list_display = ["prefix", "name", "hall", "bookable", "active", "sort_order"]
    list_filter = ["hall", "active"]
    filter_horizontal = ["items"]
    save_act = staticmethod(configuration.save_category)
    check_act = staticmethod(configuration.check_category)
    delete_act = staticmethod(configuration.delete_category)
    deletable = staticmethod(configuration.check_category_deletable)
    many_to_many = ("items",)


@admin.register(Window)
class WindowAdmin(_ConfigurationAdmin):
    list_display = ["number", "hall", "zone", "department", "status", "operator"]
    list_filter = ["hall", "status"]
    filter_horizontal = ["categories"]
    readonly_fields = ["status", "operator", "current_ticket"]
    save_act = staticmethod(configuration.save_window)
    delete_act = staticmethod(configuration.delete_window)
    deletable = staticmethod(configuration.check_window_deletable)
    many_to_many = ("categories",)

    def check_edit(self, obj, cleaned_data: dict) -> None:
        configuration.check_window(obj, categories=cleaned_data.get("categories"))


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(_ConfigurationAdmin):
    list_display = ["category", "day", "start", "end", "capacity", "booked"]
    list_filter = ["category__hall", "day"]
    readonly_fields = ["booked"]
    save_act = staticmethod(configuration.save_slot)
    check_act = staticmethod(configuration.check_slot)
    delete_act = staticmethod(configuration.delete_slot)
    deletable = staticmethod(configuration.check_slot_deletable)


@admin.register(HallOpenDay)
class HallOpenDayAdmin(_ConfigurationAdmin):
    """休息日开放: a hall open for appointments on a rest day; declared, changed and withdrawn through the acts."""

    list_display = ["day", "hall", "reason"]
    list_filter = ["hall"]
    date_hierarchy = "day"
    save_act = staticmethod(configuration.save_open_day)
    check_act = staticmethod(configuration.check_open_day)
    delete_act = staticmethod(configuration.delete_open_day)
    deletable = staticmethod(configuration.check_open_day_deletable)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "hall", "category", "day", "state", "priority", "window", "issued_at"]
    list_filter = ["hall", "state", "priority", "day"]
    search_fields = ["number", "code"]
    exclude = ["identity_key"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "slot", "state", "identity_masked", "booked_at"]
    list_filter = ["state", "day"]
    search_fields = ["code"]
    exclude = ["identity_key", "mobile"]


@admin.register(FoundItem)
class FoundItemAdmin(ReadOnlyAdmin):
    list_display = ["description", "hall", "found_at", "storage_place", "state", "published"]
    list_filter = ["hall", "state"]
