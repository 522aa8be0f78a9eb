"""After the decision (行政许可法 第四十四条, 第三十八条): an approval's licence is issued and delivered within 10 working
days — a clock with a light until delivery; a denial's next step is the written denial decision with its reasons and
the rights of review (60 days) and litigation (6 months), not a licence. Dates on the official 2024–2025 arrangements."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.actions import allowed
from onewindow.cases.alerts import sweep_alerts
from onewindow.cases.events import result_issued
from onewindow.cases.lifecycle import State
from onewindow.cases.models import AlertKind, Case, CaseAlert
from onewindow.cases.selectors import days_left_of, light_of
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.cases.tests.one_call import api_client
from onewindow.cases.tests.test_documents_cases import text
from onewindow.core.errors import IllegalTransition

D = dt.date.fromisoformat


def _decided(world, *, approve: bool, day: str) -> Case:
    case = case_in_state(world, State.IN_REVIEW, when=at(day))
    if approve:
        services.approve_case(case, by=world.reviewer_a, legal_basis="《某条例》第十条", at=at(day, 15))
    else:
        services.deny_case(case, by=world.reviewer_a, reason="经营场所与污染源距离不足25米",
                           legal_basis="《食品安全法》第三十五条", at=at(day, 15))
    return Case.objects.get(pk=case.pk)


def test_an_approval_runs_a_10_working_day_delivery_clock_across_national_day(world):
    # Decided Tue 2025-09-30: 10-01…10-08 are holidays, Sat 10-11 is worked; the 10th working day is Tue 2025-10-21.
    case = _decided(world, approve=True, day="2025-09-30")

    assert case.delivery_due_on == D("2025-10-21")
    assert light_of(case, D("2025-10-09")) == "green"
    assert light_of(case, D("2025-10-17")) == "yellow", "two working days left (10-20, 10-21)"
    assert light_of(case, D("2025-10-22")) == "red"
    assert days_left_of(case, D("2025-10-09")) == 9


def test_the_light_stays_on_after_issuing_and_goes_out_on_delivery_and_a_late_delivery_alerts_once(world):
    case = _decided(world, approve=True, day="2025-09-30")
    services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-10-20"))
    case.refresh_from_db()
    assert (case.state, light_of(case, D("2025-10-22"))) == (State.RESULT_ISSUED, "red"), \
        "art. 44 asks for the licence issued AND delivered within 10 days"

    assert sweep_alerts(today=D("2025-10-22")) == 1
    assert sweep_alerts(today=D("2025-10-22")) == 0
    alert = CaseAlert.objects.get(case=case)
    assert (alert.kind, alert.light, alert.clock_due_on) == (AlertKind.CLOCK, "red", D("2025-10-21"))

    services.deliver_case(case, by=world.clerk_a, pickup_code=case.pickup_code, at=at("2025-10-22"))
    case.refresh_from_db()
    assert light_of(case, D("2025-10-22")) is None and case.clock_due_on is None


def test_a_denial_at_the_year_end_is_delivered_on_the_same_clock(world):
    # Decided Tue 2024-12-31; 2025-01-01 is New Year's Day: the 10th working day is Wed 2025-01-15.
    case = _decided(world, approve=False, day="2024-12-31")
    assert case.delivery_due_on == D("2025-01-15") and light_of(case, D("2025-01-02")) == "green"


def test_after_a_denial_the_desk_is_offered_the_written_decision_not_a_licence(client, world):
    case = _decided(world, approve=False, day="2025-09-30")

    offered = {action.name for action in allowed(case, world.clerk_a)}
    assert "issue_denial" in offered and "issue_result" not in offered
    client.force_login(world.clerk_a)
    page = client.get(reverse("cases:case", args=[case.number])).content.decode()
    form = page.split('id="action-issue_denial"')[1].split("</form>")[0]
    assert "出具不予许可决定书" in form and 'name="licence_number"' not in form
    assert 'id="action-issue_result"' not in page
    try:
        services.issue_result(case, by=world.clerk_a, licence_number="SC2025-9", at=at("2025-10-09"))
    except IllegalTransition as refused:
        assert refused.status == 409
    else:
        raise AssertionError("a licence may not be issued for a denial")


def test_the_denial_decision_is_issued_as_a_pdf_with_reasons_and_rights_then_delivered(world):
    case = _decided(world, approve=False, day="2025-09-30")
    sent = []
    result_issued.connect(sent.append, uid="test.denial")
    try:
        services.issue_denial(case, by=world.clerk_a, at=at("2025-10-09"))
    finally:
        result_issued.disconnect(uid="test.denial")

    case.refresh_from_db()
    assert (case.state, case.licence_number) == (State.RESULT_ISSUED, "")
    assert [(p.action, p.previous_state) for p in sent] == [("issue_denial", State.DENIED)]
    decision = text(case.result_document.read())
    for expected in ("不予行政许可决定书", "经营场所与污染源距离不足25米", "《食品安全法》第三十五条", "六十日内",
                     "申请行政复议", "六个月内", "提起行政诉讼"):
        assert expected in decision, expected
    services.deliver_case(case, by=world.clerk_a, pickup_code=case.pickup_code, at=at("2025-10-10"))
    assert Case.objects.get(pk=case.pk).state == State.DELIVERED


def test_the_api_issues_the_denial_decision_and_refuses_a_licence_for_it(world):
    case = _decided(world, approve=False, day="2025-09-30")
    clerk = api_client(world.clerk_a)

    refused = clerk.post(f"/api/v1/cases/{case.number}/issue-result", {"licence_number": "SC2025-9"},
                         content_type="application/json")
    assert refused.status_code == 409 and Case.objects.get(pk=case.pk).state == State.DENIED
    detail = clerk.get(f"/api/v1/cases/{case.number}").json()
    assert "issue_denial" in detail["allowed_actions"] and detail["delivery_due_on"] == "2025-10-21"

    issued = clerk.post(f"/api/v1/cases/{case.number}/issue-denial", {}, content_type="application/json")
    assert issued.status_code == 200 and issued.json()["state"] == "result_issued"
    assert clerk.get(f"/api/v1/cases/{case.number}/notices/denial")["Content-Type"] == "application/pdf"
