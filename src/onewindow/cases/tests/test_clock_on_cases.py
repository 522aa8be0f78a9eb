"""Due and legal dates stored on the case: set at acceptance, moved by suspensions and the extension,
in the same transaction, across 2025 National Day and 2026 Spring Festival."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at, case_in_state, complete_materials, new_case
from onewindow.core.errors import Conflict, InvalidInput, PermissionDenied

D = dt.date.fromisoformat


def _accepted(world, day: str):
    case = new_case(world, when=at(day))
    complete_materials(case, by=world.clerk_a, when=at(day))
    return services.accept_case(case, by=world.clerk_a, at=at(day))


def test_a_case_accepted_before_national_day_2025_is_due_on_october_16(world):
    case = _accepted(world, "2025-09-26")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.accepted_on, stored.due_on, stored.legal_due_on) == (D("2025-09-26"), D("2025-10-16"),
                                                                       D("2025-10-30"))


def test_a_case_accepted_before_spring_festival_2026_is_due_after_the_holidays(world):
    case = _accepted(world, "2026-02-13")
    # 14 Feb (Sat, working), 24–27 Feb, 28 Feb (Sat, working), 2–5 Mar.
    assert Case.objects.get(pk=case.pk).due_on == D("2026-03-05")


def test_suspension_and_resumption_move_the_stored_dates_by_the_working_days_suspended(world):
    case = _accepted(world, "2025-09-01")
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at("2025-09-01"))
    assert case.due_on == D("2025-09-15")
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检", expected_days=5,
                          at=at("2025-09-03"))
    assert Case.objects.get(pk=case.pk).due_on == D("2025-09-15"), "the dates move when the procedure ends"
    services.resume_case(case, by=world.reviewer_a, at=at("2025-09-10"))
    stored = Case.objects.get(pk=case.pk)
    assert stored.paused_days == 5
    assert stored.due_on == D("2025-09-22")
    assert stored.legal_due_on == D("2025-10-11")  # 11 Oct 2025 is a working Saturday
    assert stored.suspensions.get().working_days == 5


def test_a_suspension_over_national_day_costs_only_its_working_days(world):
    case = _accepted(world, "2025-09-22")
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at("2025-09-22"))
    before = case.due_on
    services.suspend_case(case, by=world.reviewer_a, kind="inspection", reason="现场检验", expected_days=5,
                          at=at("2025-09-26"))
    services.resume_case(case, by=world.reviewer_a, at=at("2025-10-10"))
    from onewindow.workdays.selectors import get_calendar

    assert case.paused_days == 5
    assert case.due_on == get_calendar().due_date(before, 5)


def test_two_suspensions_add_up(world):
    case = _accepted(world, "2025-09-01")
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at("2025-09-01"))
    services.suspend_case(case, by=world.reviewer_a, kind="testing", reason="送检", expected_days=5,
                          at=at("2025-09-02"))
    services.resume_case(case, by=world.reviewer_a, at=at("2025-09-04"))  # 3, 4 Sep
    services.suspend_case(case, by=world.reviewer_a, kind="appraisal", reason="鉴定", expected_days=5,
                          at=at("2025-09-05"))
    services.resume_case(case, by=world.reviewer_a, at=at("2025-09-09"))  # 8, 9 Sep
    assert case.paused_days == 4
    assert Case.objects.get(pk=case.pk).due_on == D("2025-09-19")


def test_the_extension_approved_by_the_leader_moves_both_dates_once(world, django_capture_on_commit_callbacks):
    case = _accepted(world, "2025-09-01")
    with django_capture_on_commit_callbacks(execute=True):
        extension = services.extend_case(case, by=world.leader_a, days=10, reason="需要现场核查",
                                         at=at("2025-09-05"))
    stored = Case.objects.get(pk=case.pk)
    assert (extension.previous_due_on, extension.new_due_on) == (D("2025-09-15"), stored.due_on)
    assert stored.due_on == D("2025-09-28")  # 20 working days: 28 Sep 2025 is a working Sunday
    assert stored.extension_days == 10
    assert world.citizen.case_notices.filter(kind="extended").exists(), "the applicant is told"
    with pytest.raises(Conflict):
        services.extend_case(case, by=world.leader_a, days=1, reason="再延", at=at("2025-09-08"))


def test_an_extension_beyond_the_items_maximum_is_refused_and_changes_nothing(world):
    case = _accepted(world, "2025-09-01")
    with pytest.raises(InvalidInput) as refused:
        services.extend_case(case, by=world.leader_a, days=11, reason="太复杂", at=at("2025-09-05"))
    assert "1 至 10" in refused.value.message
    assert Case.objects.get(pk=case.pk).due_on == D("2025-09-15")
    assert not hasattr(Case.objects.get(pk=case.pk), "extension")


def test_only_the_department_leader_extends(world):
    case = case_in_state(world, "in_review")
    with pytest.raises(PermissionDenied):
        services.extend_case(case, by=world.reviewer_a, days=2, reason="复杂", at=at("2025-09-02"))
    with pytest.raises(PermissionDenied):
        services.extend_case(case, by=world.clerk_a, days=2, reason="复杂", at=at("2025-09-02"))


def test_an_extension_needs_a_reason(world):
    case = _accepted(world, "2025-09-01")
    with pytest.raises(InvalidInput):
        services.extend_case(case, by=world.leader_a, days=2, reason="  ", at=at("2025-09-02"))


def test_an_extension_during_a_suspension_keeps_the_pause_and_adds_the_days(world):
    case = case_in_state(world, "suspended")  # accepted and suspended on 1 Sep
    services.extend_case(case, by=world.leader_a, days=2, reason="复杂", at=at("2025-09-02"))
    services.resume_case(case, by=world.reviewer_a, at=at("2025-09-05"))  # 2–5 Sep: 4 working days
    assert case.due_on == D("2025-09-15") + dt.timedelta(days=8)  # 10 + 2 + 4 = 16 working days → 23 Sep


def test_an_instant_item_is_due_the_day_it_is_accepted(world):
    from onewindow.cases.tests.factories import make_item

    item = make_item(world.dept_a, promised_days=0, statutory_days=0, case_kind="instant", code="SC-INST",
                     materials=[])
    case = new_case(world, item=item, when=at("2025-09-02"))
    services.accept_case(case, by=world.clerk_a, at=at("2025-09-02"))
    assert case.due_on == D("2025-09-02")
    services.approve_case(case, by=world.reviewer_a, at=at("2025-09-02", 15))
    assert case.timeliness == "on_time"
