"""Special procedures (特别程序, 行政许可法 第四十五条): the time they need is told to the applicant in writing and does
not count; each records its expected end; one running past it raises a supervision alert. Dates on the official
2026 Spring Festival arrangement (holidays 02-15…02-23, Saturdays 02-14 and 02-28 worked)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.cases import services
from onewindow.cases.alerts import sweep_alerts
from onewindow.cases.documents import NoticeKind, available_notices, render_case_notice
from onewindow.cases.lifecycle import State
from onewindow.cases.models import AlertKind, Case, CaseAlert, Notice
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.cases.tests.one_call import api_client
from onewindow.cases.tests.test_documents_cases import text
from onewindow.core.errors import ErrorCode, InvalidInput

D = dt.date.fromisoformat


def _in_review(world) -> Case:
    return case_in_state(world, State.IN_REVIEW, when=at("2026-02-09"))


def test_the_expected_end_is_counted_in_working_days_across_the_spring_festival(world, django_capture_on_commit_callbacks):
    case = _in_review(world)

    # From Thu 2026-02-12: Fri 02-13 and the worked Saturday 02-14 are days 1 and 2, 02-15…02-23 are holidays,
    # 02-24, 02-25, 02-26 are days 3 to 5.
    with django_capture_on_commit_callbacks(execute=True):
        suspension = services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检样品",
                                           expected_days=5, at=at("2026-02-12"))

    assert (suspension.started_on, suspension.expected_end_on) == (D("2026-02-12"), D("2026-02-26"))
    assert Notice.objects.get(recipient=world.citizen, kind="suspended").body.startswith(
        "自 2026-02-12 起检测，预计 2026-02-26 结束")


def test_an_expected_end_date_may_be_given_instead_and_one_of_the_two_is_required(world):
    case = _in_review(world)
    version = case.version

    with pytest.raises(InvalidInput) as neither:
        services.suspend_case(case, by=world.reviewer_a, kind="expert_review", reason="专家评审", at=at("2026-02-12"))
    assert neither.value.code == ErrorCode.EXPECTED_END_REQUIRED
    with pytest.raises(InvalidInput) as past:
        services.suspend_case(case, by=world.reviewer_a, kind="expert_review", reason="专家评审",
                              expected_end_on=D("2026-02-12"), at=at("2026-02-12"))
    assert past.value.fields == {"expected_end_on": "not_after_start"}
    assert Case.objects.get(pk=case.pk).version == version, "nothing changed"

    suspension = services.suspend_case(case, by=world.reviewer_a, kind="expert_review", reason="专家评审",
                                       expected_end_on=D("2026-03-06"), at=at("2026-02-12"))
    assert suspension.expected_end_on == D("2026-03-06")


def test_the_written_notice_to_the_applicant_is_a_pdf(world):
    case = _in_review(world)
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检样品", expected_days=5,
                          at=at("2026-02-12"))

    assert NoticeKind.SUSPENSION in available_notices(case)
    printed = text(render_case_notice(Case.objects.get(pk=case.pk), NoticeKind.SUSPENSION)[0])
    for expected in ("特别程序告知书", "第四十五条", "检测所需时间不计入办理时限", "2026年2月12日", "2026年2月26日",
                     "送检样品"):
        assert expected in printed, expected
    response = api_client(world.citizen).get(f"/api/v1/cases/{case.number}/notices/suspension")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_procedure_past_its_expected_end_raises_one_supervision_alert(world, django_capture_on_commit_callbacks):
    case = _in_review(world)
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检样品", expected_days=5,
                          at=at("2026-02-12"))

    assert sweep_alerts(today=D("2026-02-26")) == 0, "on its expected last day it is not late yet"
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_alerts(today=D("2026-02-27")) == 1
    assert sweep_alerts(today=D("2026-03-02")) == 0, "once per expected end"

    alert = CaseAlert.objects.get(case=case)
    assert (alert.kind, alert.light, alert.clock_due_on) == (AlertKind.PROCEDURE_OVERRUN, "red", D("2026-02-26"))
    told = set(Notice.objects.filter(kind="alert_procedure_overrun_red").values_list("recipient__username", flat=True))
    assert told == {"leader_a", "supervisor"}


def test_a_procedure_ended_in_time_raises_nothing_and_moves_the_due_date(world):
    case = _in_review(world)
    due = case.due_on
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检样品", expected_days=5,
                          at=at("2026-02-12"))
    services.resume_case(case, by=world.reviewer_a, at=at("2026-02-26"))

    case.refresh_from_db()
    assert case.paused_days == 5 and case.due_on > due
    assert sweep_alerts(today=D("2026-03-02")) == 0


def test_the_api_takes_the_expected_time_and_shows_it(world):
    case = _in_review(world)
    reviewer = api_client(world.reviewer_a)

    with time_machine.travel(at("2026-02-12"), tick=False):
        missing = reviewer.post(f"/api/v1/cases/{case.number}/suspend", {"kind": "testing", "reason": "送检"},
                                content_type="application/json")
        hearing = reviewer.post(f"/api/v1/cases/{case.number}/suspend",
                                {"kind": "hearing", "reason": "听证", "expected_days": 5},
                                content_type="application/json")
        body = reviewer.post(f"/api/v1/cases/{case.number}/suspend",
                             {"kind": "testing", "reason": "送检", "expected_end_on": "2026-03-06"},
                             content_type="application/json").json()

    assert missing.status_code == 422 and missing.json()["error"]["code"] == "expected_end_required"
    assert hearing.status_code == 422, "a hearing has its own acts"
    assert body["state"] == "suspended" and body["suspensions"][0]["expected_end_on"] == "2026-03-06"
