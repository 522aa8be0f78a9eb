"""证照 admin: the items' licence validity (editable by center administrators) and the register (read-only: every
change of a licence is an audited act of its department)."""

from __future__ import annotations

from django.contrib import admin

from onewindow.core.admin import ReadOnlyAdmin
from onewindow.licences.models import ExpiryReminder, Licence, LicenceTerm, Renewal


@admin.register(LicenceTerm)
class LicenceTermAdmin(admin.ModelAdmin):
    list_display = ("item", "validity_years", "renewal_lead_days", "lead_days_basis")
    search_fields = ("item__name", "item__implementation_code")
    autocomplete_fields = ("item",)


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "holder_name", "department", "valid_from", "valid_until", "state", "deemed")
    list_filter = ("state", "department")
    search_fields = ("number", "holder_name")


@admin.register(Renewal)
class RenewalAdmin(ReadOnlyAdmin):
    list_display = ("licence", "case", "latest_on", "applied_on", "outcome")
    list_filter = ("outcome",)


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ReadOnlyAdmin):
    list_display = ("licence", "days_before", "sent_on")
