"""统一办理、联合办理 (行政许可法第二十六条、第四十二条第二款): a package has 45 working days from acceptance, extendable
once by at most 15 with the approval of the head of the people's government; the package shows and supervises it.
Dates across National Day 2025 (28 Sep Sunday and 11 Oct Saturday are working days, 1–8 Oct holidays)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.bundles import services
from onewindow.bundles.models import Package
from onewindow.bundles.selectors import package_board
from onewindow.bundles.tests.factories import accepted, at
from onewindow.core.errors import Conflict, ErrorCode, PermissionDenied
from onewindow.core.services import create_token

D = dt.date.fromisoformat


def _api(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_package_accepted_on_1_september_2025_has_45_working_days_to_7_november(world):
    package = accepted(world, when="2025-09-01")
    assert package.legal_due_on == D("2025-11-07")
    with time_machine.travel(at("2025-11-07"), tick=False):
        body = _api(world.window).get(f"/api/v1/packages/{package.number}").json()
    assert (body["legal_due_on"], body["statutory_overdue"]) == ("2025-11-07", False)


def test_the_extension_by_15_needs_the_government_heads_approval_and_is_told(world, django_capture_on_commit_callbacks):
    package = accepted(world, when="2025-09-01")
    client = _api(world.supervisor)
    with time_machine.travel(at("2025-11-03"), tick=False):
        too_long = client.post(f"/api/v1/packages/{package.number}/extend", content_type="application/json",
                               data=json.dumps({"days": 16, "reason": "需联合踏勘", "government_approval": "渝中府〔2025〕12号"}))
        assert too_long.status_code == 422 and too_long.json()["error"]["fields"] == {"days": "range"}
        unapproved = client.post(f"/api/v1/packages/{package.number}/extend", content_type="application/json",
                                 data=json.dumps({"days": 15, "reason": "需联合踏勘", "government_approval": " "}))
        assert unapproved.status_code == 422 and "government_approval" in unapproved.json()["error"]["fields"]
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(f"/api/v1/packages/{package.number}/extend", content_type="application/json",
                               data=json.dumps({"days": 15, "reason": "需联合踏勘",
                                                "government_approval": "渝中府〔2025〕12号"}))
        assert done.status_code == 200, done.content
        assert (done.json()["legal_due_on"], done.json()["extension_days"]) == ("2025-11-28", 15)
        again = client.post(f"/api/v1/packages/{package.number}/extend", content_type="application/json",
                            data=json.dumps({"days": 1, "reason": "再延", "government_approval": "x"}))
        assert again.status_code == 409 and again.json()["error"]["code"] == "already_extended"
    from onewindow.cases.models import Notice

    told = Notice.objects.get(kind="package_extended", recipient=world.citizen)
    assert "需联合踏勘" in told.body and "2025-11-28" in told.body


def test_a_clerk_cannot_record_the_government_approval(world):
    package = accepted(world, when="2025-09-01")
    with pytest.raises(PermissionDenied):
        services.extend_package(package, by=world.window, days=5, reason="理由", government_approval="文号",
                                at=at("2025-10-09"))
    assert Package.objects.get(pk=package.pk).extension_days == 0


def test_no_extension_once_the_45_days_ran_out_and_the_board_counts_the_overdue_package(world, client):
    package = accepted(world, when="2025-09-01")
    with pytest.raises(Conflict) as refused:
        services.extend_package(package, by=world.supervisor, days=5, reason="理由", government_approval="文号",
                                at=at("2025-11-10"))
    assert refused.value.code == ErrorCode.STATUTORY_LIMIT_PASSED
    assert package_board(world.supervisor, today=D("2025-11-07"))["totals"]["statutory_overdue"] == 0
    assert package_board(world.supervisor, today=D("2025-11-10"))["totals"]["statutory_overdue"] == 1
    with time_machine.travel(at("2025-11-10"), tick=False):
        client.force_login(world.supervisor)
        page = client.get(reverse("bundles:package", args=[package.number])).content.decode()
        assert "2025-11-07" in page and "已超过法定期限" in page
        assert "已超过法定期限" in client.get(reverse("bundles:board")).content.decode()


def test_the_supervisor_extends_from_the_package_page(world, client):
    package = accepted(world, when="2025-09-01")
    client.force_login(world.supervisor)
    with time_machine.travel(at("2025-11-03"), tick=False):
        page = client.get(reverse("bundles:package", args=[package.number])).content.decode()
        assert "本级人民政府负责人批准文件" in page
        client.post(reverse("bundles:package_action", args=[package.number, "extend"]),
                    {"version": package.version, "days": "10", "reason": "需联合踏勘",
                     "government_approval": "渝中府〔2025〕12号"})
    stored = Package.objects.get(pk=package.pk)
    assert (stored.extension_days, stored.legal_due_on, stored.extension_approval) == (
        10, D("2025-11-21"), "渝中府〔2025〕12号")


def test_the_sweep_alerts_the_supervisors_once_when_a_package_passes_its_statutory_limit(
        world, django_capture_on_commit_callbacks):
    from onewindow.bundles.alerts import sweep_statutory_limits
    from onewindow.cases.models import Notice

    package = accepted(world, when="2025-09-01")
    assert sweep_statutory_limits(today=D("2025-11-07")) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_statutory_limits(today=D("2025-11-10")) == 1
    assert sweep_statutory_limits(today=D("2025-11-11")) == 0, "once per statutory date"
    alerts = Notice.objects.filter(kind="package_statutory_overdue")
    assert world.supervisor.pk in set(alerts.values_list("recipient_id", flat=True))
    assert package.number in alerts.first().title
