"""Acceptance (受理) within 5 working days: accept, refuse, or ask for correction once and completely;
tolerated acceptance (容缺受理) against a promised date."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.selectors import missing_materials, supervised_cases, supervision_board
from onewindow.cases.tests.factories import PDF, at, complete_materials, new_case
from onewindow.catalog.models import Material
from onewindow.core.errors import InvalidInput

D = dt.date.fromisoformat


def test_a_submitted_case_must_be_answered_within_five_working_days(world):
    case = new_case(world, when=at("2025-09-26"))  # Friday before National Day
    assert case.acceptance_due_on == D("2025-10-10")  # 28, 29, 30 Sep (28th a working Sunday); 9, 10 Oct
    board = supervision_board(world.supervisor, today=D("2025-10-10"))
    assert board["totals"]["overdue_acceptance"] == 0


def test_an_unanswered_case_turns_red_the_day_after_its_acceptance_deadline(world):
    case = new_case(world, when=at("2025-09-01"))
    assert case.acceptance_due_on == D("2025-09-08")
    on_deadline = supervision_board(world.supervisor, today=D("2025-09-08"))["totals"]
    after = supervision_board(world.supervisor, today=D("2025-09-09"))["totals"]
    assert (on_deadline["overdue_acceptance"], on_deadline["red"]) == (0, 0)
    assert (after["overdue_acceptance"], after["red"]) == (1, 1)
    assert list(supervised_cases(world.supervisor, overdue_acceptance=True, today=D("2025-09-09"))) == [case]


def test_accepting_with_a_required_material_missing_is_refused_and_points_to_correction(world):
    case = new_case(world)
    with pytest.raises(InvalidInput) as refused:
        services.accept_case(case, by=world.clerk_a, at=at("2025-09-02"))
    assert "申请书" in refused.value.message and "户籍证明" in refused.value.message
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_the_correction_request_lists_every_missing_material_at_once(world):
    case = new_case(world)
    application = case.item_version.materials.get(name="申请书")
    with pytest.raises(InvalidInput) as incomplete:
        services.request_correction(
            case, by=world.clerk_a, items=[services.CorrectionItem(material_id=application.pk, problem="未提交")],
            at=at("2025-09-02"),
        )
    assert "户籍证明" in incomplete.value.message and "场地证明" in incomplete.value.message
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
    items = [services.CorrectionItem(material_id=m.pk, problem="未提交")
             for m in case.item_version.materials.exclude(requirement=Material.Requirement.OPTIONAL)]
    items.append(services.CorrectionItem(name="委托书", problem="缺少签字"))
    notice = services.request_correction(case, by=world.clerk_a, items=items, at=at("2025-09-02"))
    assert [line["name"] for line in notice.items] == ["申请书", "户籍证明", "场地证明", "委托书"]
    assert Case.objects.get(pk=case.pk).state == State.CORRECTION_REQUESTED


def test_the_clock_waits_during_correction_and_restarts_on_resubmission(world):
    case = new_case(world, when=at("2025-09-01"))
    services.request_correction(case, by=world.clerk_a,
                                items=[services.CorrectionItem(material_id=m.pk, problem="未提交")
                                       for m in missing_materials(case)], at=at("2025-09-02"))
    board = supervision_board(world.supervisor, today=D("2025-09-20"))["totals"]
    assert board["overdue_acceptance"] == 0, "waiting for the applicant is not the authority's delay"
    complete_materials(case, by=world.citizen, when=at("2025-09-22"))
    services.submit_case(case, by=world.citizen, at=at("2025-09-22"))
    assert case.acceptance_due_on == D("2025-09-28")  # 23, 24, 25, 26 Sep and Sunday 28 Sep (working)
    assert case.corrections.get().resolved_at is not None


def test_a_refusal_needs_a_reason(world):
    case = new_case(world)
    with pytest.raises(InvalidInput):
        services.refuse_case(case, by=world.clerk_a, reason=" ", at=at("2025-09-02"))
    services.refuse_case(case, by=world.clerk_a, reason="不属于本机关职权范围", at=at("2025-09-02"))
    assert Case.objects.get(pk=case.pk).state == State.NOT_ACCEPTED


def test_tolerated_acceptance_accepts_with_a_non_key_material_missing_against_a_promised_date(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a, tolerated=False)
    site = case.item_version.materials.get(name="场地证明")
    with pytest.raises(InvalidInput) as undeclared:
        services.accept_case(case, by=world.clerk_a, at=at("2025-09-02"))
    assert "容缺受理须列明" in undeclared.value.message
    with pytest.raises(InvalidInput):
        services.accept_case(case, by=world.clerk_a, tolerated=[site.pk], at=at("2025-09-02"))
    services.accept_case(case, by=world.clerk_a, tolerated=[site.pk], tolerance_due_on=D("2025-09-10"),
                         at=at("2025-09-02"))
    assert case.state == State.ACCEPTED
    assert case.tolerated_materials == [{"id": site.pk, "name": "场地证明"}]
    on_time = supervision_board(world.supervisor, today=D("2025-09-10"))["totals"]["overdue_tolerance"]
    overdue = supervision_board(world.supervisor, today=D("2025-09-11"))["totals"]["overdue_tolerance"]
    assert (on_time, overdue) == (0, 1)
    services.add_material(case, by=world.citizen, content=PDF, filename="site.pdf", material_id=site.pk,
                          at=at("2025-09-12"))
    assert Case.objects.get(pk=case.pk).tolerance_resolved_on == D("2025-09-12")
    assert supervision_board(world.supervisor, today=D("2025-09-13"))["totals"]["overdue_tolerance"] == 0


def test_a_key_material_cannot_be_tolerated(world):
    case = new_case(world)
    application = case.item_version.materials.get(name="申请书")
    with pytest.raises(InvalidInput):
        services.accept_case(case, by=world.clerk_a, tolerated=[application.pk],
                             tolerance_due_on=D("2025-09-10"), at=at("2025-09-02"))


def test_the_result_is_not_issued_while_a_tolerated_material_is_outstanding(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a, tolerated=False)
    site = case.item_version.materials.get(name="场地证明")
    services.accept_case(case, by=world.clerk_a, tolerated=[site.pk], tolerance_due_on=D("2025-09-10"),
                         at=at("2025-09-02"))
    services.approve_case(case, by=world.reviewer_a, at=at("2025-09-03"))
    with pytest.raises(InvalidInput):
        services.issue_result(case, by=world.clerk_a, licence_number="L-1", at=at("2025-09-03"))


def test_materials_are_verified_on_acceptance(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a)
    assert not case.materials.filter(verified=True, provision="uploaded").exists()
    services.accept_case(case, by=world.clerk_a, at=at("2025-09-02"))
    assert not case.materials.filter(verified=False).exists()


def test_acceptance_cannot_be_dated_before_submission(world):
    case = new_case(world, when=at("2025-09-03"))
    complete_materials(case, by=world.clerk_a)
    with pytest.raises(InvalidInput):
        services.accept_case(case, by=world.clerk_a, at=at("2025-09-02"))
