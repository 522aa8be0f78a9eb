"""Read-only admin for cases: every change goes through the services (and the audit chain), never the admin."""

from django.contrib import admin

from onewindow.cases.models import Case, CaseAlert, CaseMaterial, Notice
from onewindow.core.admin import ReadOnlyAdmin


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "state", "department", "channel", "submitted_on", "due_on", "decided_on"]
    list_filter = ["state", "channel", "department"]
    search_fields = ["number"]
    list_select_related = ["department"]
    exclude = ["applicant_id_number", "agent_id_number", "query_code", "pickup_code"]


@admin.register(CaseMaterial)
class CaseMaterialAdmin(ReadOnlyAdmin):
    list_display = ["case", "name", "provision", "content_type", "size", "verified"]
    list_select_related = ["case"]


@admin.register(CaseAlert)
class CaseAlertAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "light", "clock_due_on", "created_at"]
    list_filter = ["light", "department"]
    list_select_related = ["case", "department"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_select_related = ["recipient"]
