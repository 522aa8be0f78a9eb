"""Extension (延期, 行政许可法第四十二条) decided against the statutory limit: allowed while it runs, during a special
procedure too, even after the promise lapsed — a lapsed promise stays late; the applicant gets a written notice
with the reason. Dates around National Day 2025 (28 Sep Sunday and 11 Oct Saturday are working days)."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from onewindow.cases import services
from onewindow.cases.actions import ACTIONS
from onewindow.cases.documents import NoticeKind, available_notices, render_case_notice
from onewindow.cases.models import Case
from onewindow.cases.selectors import on_time_rates
from onewindow.cases.tests.factories import at, complete_materials, new_case
from onewindow.core.errors import Conflict, ErrorCode

D = dt.date.fromisoformat


def _in_review(world, day: str = "2025-09-01") -> Case:
    case = new_case(world, when=at(day))
    complete_materials(case, by=world.clerk_a, when=at(day))
    services.accept_case(case, by=world.clerk_a, at=at(day))
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at(day))
    return case


def test_an_extension_after_the_promise_lapsed_moves_only_the_statutory_date_and_the_case_stays_late(world):
    case = _in_review(world)
    assert (case.due_on, case.legal_due_on) == (D("2025-09-15"), D("2025-09-28"))  # 28 Sep: a working Sunday
    with time_machine.travel(at("2025-09-22"), tick=False):
        assert ACTIONS["extend"].allows(case, world.leader_a), "offered on the page and in allowed_actions"
    with time_machine.travel(at("2025-09-29"), tick=False):
        assert not ACTIONS["extend"].allows(case, world.leader_a)
    extension = services.extend_case(case, by=world.leader_a, days=10, reason="需现场核查", at=at("2025-09-22"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.due_on == D("2025-09-15"), "the lapsed promise is not moved"
    assert stored.legal_due_on == D("2025-10-17")  # 29, 30 Sep, 9, 10, 11 (Sat), 13–17 Oct
    assert (extension.moves_promise, extension.previous_legal_due_on, extension.new_legal_due_on) == (
        False, D("2025-09-28"), D("2025-10-17"))
    services.approve_case(stored, by=world.reviewer_a, at=at("2025-09-25"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.timeliness == "late"
    rates = on_time_rates(world.supervisor, start=D("2025-09-01"), end=D("2025-09-30"))
    assert (rates[0]["late"], rates[0]["rate"]) == (1, 0.0)


def test_an_extension_while_the_promise_runs_moves_both_dates(world):
    case = _in_review(world)
    services.extend_case(case, by=world.leader_a, days=5, reason="材料复杂", at=at("2025-09-10"))
    stored = Case.objects.get(pk=case.pk)
    assert (stored.due_on, stored.legal_due_on) == (D("2025-09-22"), D("2025-10-11"))  # 11 Oct: working Saturday
    assert stored.extension.moves_promise


def test_an_extension_after_the_statutory_limit_ran_out_is_refused_and_changes_nothing(world):
    case = _in_review(world)
    with pytest.raises(Conflict) as refused:
        services.extend_case(case, by=world.leader_a, days=5, reason="太晚", at=at("2025-09-29"))
    assert refused.value.code == ErrorCode.STATUTORY_LIMIT_PASSED
    assert "2025-09-28" in refused.value.message
    stored = Case.objects.get(pk=case.pk)
    assert stored.legal_due_on == D("2025-09-28") and not hasattr(stored, "extension")


def test_an_extension_during_a_special_procedure_counts_the_limit_only_up_to_its_start(world):
    case = _in_review(world)
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检", expected_days=10,
                          at=at("2025-09-26"))
    # 20 Oct is past the stored statutory date, but the limit stood still from 26 Sep.
    services.extend_case(case, by=world.leader_a, days=10, reason="检测后需复核", at=at("2025-10-20"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "suspended" and stored.extension_days == 10
    assert stored.extension.moves_promise is False
    services.resume_case(stored, by=world.reviewer_a, at=at("2025-10-21"))
    stored = Case.objects.get(pk=case.pk)
    from onewindow.workdays.selectors import get_calendar

    calendar = get_calendar()
    assert stored.legal_due_on == calendar.due_date(D("2025-09-01"), 20 + 10 + stored.paused_days)
    assert stored.due_on == calendar.due_date(D("2025-09-01"), 10 + stored.paused_days)


def test_the_written_extension_notice_states_the_reason_the_days_and_the_new_date(world):
    case = _in_review(world)
    services.extend_case(case, by=world.leader_a, days=10, reason="需组织现场核查", at=at("2025-09-22"))
    stored = Case.objects.get(pk=case.pk)
    assert NoticeKind.EXTENSION in available_notices(stored)
    pdf, filename = render_case_notice(stored, NoticeKind.EXTENSION)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages))
    assert filename.endswith("-extension.pdf")
    for expected in ("延长行政许可期限告知书", "需组织现场核查", "第四十二条", "10个工作日", "2025年10月17日",
                     "本机关负责人"):
        assert expected in text, expected


def test_the_case_page_offers_the_extension_notice(world, client):
    case = _in_review(world)
    services.extend_case(case, by=world.leader_a, days=10, reason="需组织现场核查", at=at("2025-09-22"))
    client.force_login(world.leader_a)
    html = client.get(reverse("cases:case", args=[case.number])).content.decode()
    assert "延长行政许可期限告知书" in html
    assert "承诺期限已过，仍计超期" in html
    response = client.get(reverse("cases:notice", args=[case.number, "extension"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
