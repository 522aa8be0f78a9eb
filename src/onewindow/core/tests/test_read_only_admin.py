"""Rows only services write are shown by one `ReadOnlyAdmin`: listed and viewable, never added, changed or
deleted in the admin, in every app."""

import pytest
from django.contrib import admin
from django.urls import reverse

from onewindow.core.admin import ReadOnlyAdmin

pytestmark = pytest.mark.django_db


def _read_only_models() -> set[str]:
    return {model._meta.label for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, ReadOnlyAdmin)}


def test_the_rows_only_services_write_use_the_one_read_only_admin():
    assert _read_only_models() >= {
        "core.AuditEvent", "core.ApiToken", "cases.Case", "cases.CaseMaterial", "cases.CaseAlert", "cases.Notice",
        "bundles.Package", "bundles.JointReview", "hall.Ticket", "hall.Appointment", "hall.FoundItem",
        "supervision.SupervisionEvent", "supervision.WebhookDelivery", "demo.DemoSeed",
    }


def test_every_read_only_list_opens_and_refuses_to_add(admin_client):
    for label in sorted(_read_only_models()):
        app_label, model = label.lower().split(".")
        assert admin_client.get(reverse(f"admin:{app_label}_{model}_changelist")).status_code == 200, label
        assert admin_client.get(reverse(f"admin:{app_label}_{model}_add")).status_code == 403, label
