"""Hall admin: configuration (rules, categories, windows, slots) is edited here; tickets, bookings and
found items change only through the services, so the admin shows them read-only."""

from django.contrib import admin

from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    FoundItem,
    HallPolicy,
    ServiceCategory,
    Ticket,
    Window,
)


@admin.register(HallPolicy)
class HallPolicyAdmin(admin.ModelAdmin):
    list_display = ["hall", "max_recalls", "reactivate_within_minutes", "wait_target_minutes", "missed_limit"]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "hall", "bookable", "active", "sort_order"]
    list_filter = ["hall", "active"]
    filter_horizontal = ["items"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["number", "hall", "zone", "department", "status", "operator"]
    list_filter = ["hall", "status"]
    filter_horizontal = ["categories"]
    readonly_fields = ["status", "operator", "current_ticket"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ["category", "day", "start", "end", "capacity", "booked"]
    list_filter = ["category__hall", "day"]
    readonly_fields = ["booked"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(_ReadOnly):
    list_display = ["number", "hall", "category", "day", "state", "priority", "window", "issued_at"]
    list_filter = ["hall", "state", "priority", "day"]
    search_fields = ["number", "code"]
    exclude = ["identity_key"]


@admin.register(Appointment)
class AppointmentAdmin(_ReadOnly):
    list_display = ["code", "slot", "state", "identity_masked", "booked_at"]
    list_filter = ["state", "day"]
    search_fields = ["code"]
    exclude = ["identity_key", "mobile"]


@admin.register(FoundItem)
class FoundItemAdmin(_ReadOnly):
    list_display = ["description", "hall", "found_at", "storage_place", "state", "published"]
    list_filter = ["hall", "state"]
