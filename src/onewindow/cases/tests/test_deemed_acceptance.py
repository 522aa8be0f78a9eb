"""视为受理 (行政许可法第三十二条第一款第四项): five working days after receipt without acceptance, refusal or a
correction notice, the application counts as accepted from the day of receipt — whether the scheduler's sweep or
the next act sees the lapse first, with the same dates; the lapse stays on the supervision record."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.cases import services
from onewindow.cases.alerts import deem_lapsed_acceptances, sweep_alerts
from onewindow.cases.models import AlertKind, Case, CaseAlert, Notice
from onewindow.cases.selectors import is_deemed_accepted, light_of, supervision_board
from onewindow.cases.tests.factories import at, complete_materials, correction_items, new_case
from onewindow.core.errors import Conflict, ErrorCode

D = dt.date.fromisoformat


def _received(world, day: str = "2025-03-03", *, materials: bool = True) -> Case:
    case = new_case(world, when=at(day))
    if materials:
        complete_materials(case, by=world.clerk_a, when=at(day))
    return case


def test_the_issue_example_correction_refused_then_accept_keeps_dates_counted_from_receipt(world):
    """Received Mon 2025-03-03; no act until Tue 2025-03-11: a correction notice that day is refused; accepting
    on 2025-03-12 (promised 10 / statutory 20) gives due 2025-03-17 and statutory due 2025-03-31."""
    case = _received(world, materials=False)
    assert case.acceptance_due_on == D("2025-03-10")
    with pytest.raises(Conflict) as refused:
        services.request_correction(case, by=world.clerk_a, items=correction_items(case), at=at("2025-03-11"))
    assert refused.value.code == ErrorCode.ACCEPTANCE_LAPSED
    assert "2025-03-03" in refused.value.message
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "submitted" and not stored.corrections.exists()

    # Accepting records the act even with the required materials still missing: the law accepted it already.
    services.accept_case(stored, by=world.clerk_a, at=at("2025-03-12"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "accepted"
    assert stored.deemed_accepted
    assert (stored.accepted_on, stored.due_on, stored.legal_due_on) == (D("2025-03-03"), D("2025-03-17"),
                                                                       D("2025-03-31"))
    assert stored.accepted_by == world.clerk_a
    assert dt.date(2025, 3, 12) == stored.accepted_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def test_refusing_to_accept_after_the_lapse_is_refused_too(world):
    case = _received(world)
    with pytest.raises(Conflict) as refused:
        services.refuse_case(case, by=world.clerk_a, reason="不属于本机关职权", at=at("2025-03-11"))
    assert refused.value.code == ErrorCode.ACCEPTANCE_LAPSED
    assert Case.objects.get(pk=case.pk).state == "submitted"


def test_a_correction_on_the_fifth_working_day_is_still_in_time(world):
    case = _received(world, materials=False)
    services.request_correction(case, by=world.clerk_a, items=correction_items(case), at=at("2025-03-10"))
    assert Case.objects.get(pk=case.pk).state == "correction_requested"


def test_the_sweep_first_gives_the_same_dates_tells_people_and_records_the_lapse(
        world, django_capture_on_commit_callbacks):
    case = _received(world)
    assert deem_lapsed_acceptances(today=D("2025-03-10"), at=at("2025-03-10", 23)) == 0  # last day: still in time
    with django_capture_on_commit_callbacks(execute=True):
        assert deem_lapsed_acceptances(today=D("2025-03-11"), at=at("2025-03-11", 1)) == 1
    assert deem_lapsed_acceptances(today=D("2025-03-12"), at=at("2025-03-12", 1)) == 0  # once is once
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "submitted" and stored.deemed_accepted
    assert (stored.accepted_on, stored.due_on, stored.legal_due_on) == (D("2025-03-03"), D("2025-03-17"),
                                                                       D("2025-03-31"))
    # The clock now runs on the promised date, not on the lapsed acceptance limit.
    assert stored.clock_due_on == D("2025-03-17")
    assert light_of(stored, D("2025-03-11")) == "green"
    # Applicant and department (its clerk and leader, and the supervisors) are told.
    told = set(Notice.objects.filter(case=case, kind="deemed_accepted").values_list("recipient__username", flat=True))
    assert {"citizen", "clerk_a", "leader_a", "supervisor"} <= told
    assert "clerk_b" not in told
    # The lapse stays on the supervision record.
    alert = CaseAlert.objects.get(case=case, kind=AlertKind.ACCEPTANCE_LAPSED)
    assert alert.clock_due_on == D("2025-03-10") and alert.light == "red"

    services.accept_case(stored, by=world.clerk_a, at=at("2025-03-12"))
    stored = Case.objects.get(pk=case.pk)
    assert (stored.accepted_on, stored.due_on, stored.legal_due_on) == (D("2025-03-03"), D("2025-03-17"),
                                                                       D("2025-03-31"))
    assert CaseAlert.objects.filter(case=case, kind=AlertKind.ACCEPTANCE_LAPSED).count() == 1
    sweep_alerts(today=D("2025-03-20"))
    assert CaseAlert.objects.filter(case=case, kind=AlertKind.ACCEPTANCE_LAPSED).exists()


def test_lazily_at_the_next_act_gives_the_same_record_as_the_sweep(world, django_capture_on_commit_callbacks):
    case = _received(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_case(case, by=world.clerk_a, at=at("2025-03-12"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.deemed_accepted and stored.due_on == D("2025-03-17")
    assert CaseAlert.objects.filter(case=case, kind=AlertKind.ACCEPTANCE_LAPSED).count() == 1
    assert Notice.objects.filter(case=case, kind="deemed_accepted", recipient=world.citizen).exists()


def test_deemed_is_shown_before_the_sweep_and_counted_on_the_board(world):
    case = _received(world)
    assert not is_deemed_accepted(case, D("2025-03-10"))
    assert is_deemed_accepted(case, D("2025-03-11"))
    board = supervision_board(world.supervisor, today=D("2025-03-11"))
    assert board["totals"]["overdue_acceptance"] == 1


def test_across_the_2025_spring_festival_the_five_days_skip_the_holiday_and_count_the_working_sunday(world):
    # Received Fri 2025-01-24; 26 Jan (Sun) is a working day, 28 Jan–4 Feb the holiday, 8 Feb (Sat) working.
    case = _received(world, "2025-01-24")
    # Five working days: 26, 27 Jan, 5, 6, 7 Feb.
    assert case.acceptance_due_on == D("2025-02-07")
    assert deem_lapsed_acceptances(today=D("2025-02-07")) == 0
    assert deem_lapsed_acceptances(today=D("2025-02-08")) == 1  # the working Saturday
    stored = Case.objects.get(pk=case.pk)
    # 10 working days from 24 Jan: 26, 27 Jan, 5, 6, 7, 8 (Sat), 10, 11, 12, 13 Feb.
    assert (stored.accepted_on, stored.due_on) == (D("2025-01-24"), D("2025-02-13"))


def test_around_national_day_2025(world):
    # Received Fri 2025-09-26; 28 Sep (Sun) working, 1–8 Oct holiday, 11 Oct (Sat) working.
    case = _received(world, "2025-09-26")
    assert case.acceptance_due_on == D("2025-10-10")
    services.accept_case(case, by=world.clerk_a, at=at("2025-10-13"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.deemed_accepted and stored.accepted_on == D("2025-09-26")
    assert stored.due_on == D("2025-10-16")


def test_deemed_acceptance_is_shown_on_the_case_page_the_lists_and_the_api(world, client):
    import time_machine
    from django.urls import reverse

    from onewindow.core.services import create_token

    case = _received(world)
    _, token = create_token(world.clerk_a)
    with time_machine.travel(at("2025-03-10"), tick=False):
        api = client.get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert api["deemed_accepted"] is False
    with time_machine.travel(at("2025-03-11"), tick=False):
        # Before the sweep: shown from the dates already.
        api = client.get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert api["deemed_accepted"] is True
        rows = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert [r["deemed_accepted"] for r in rows["results"]] == [True]
        deem_lapsed_acceptances()
        client.force_login(world.clerk_a)
        page = client.get(reverse("cases:case", args=[case.number])).content.decode()
        assert "视为受理" in page and "2025-03-03" in page
        assert "视为受理" in client.get(reverse("cases:workbench")).content.decode()
        client.force_login(world.citizen)
        assert "视为受理" in client.get(reverse("cases:my_case", args=[case.number])).content.decode()
        api = client.get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert (api["deemed_accepted"], api["accepted_on"], api["due_on"]) == (True, "2025-03-03", "2025-03-17")
