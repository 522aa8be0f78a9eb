"""Roles and scope: a case of department A is invisible to staff of department B — in selectors, services
and the API (404); citizens see only their own cases; identity numbers are whole only for the handling
department."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.selectors import cases_visible_to, identity_for, list_cases, supervision_board
from onewindow.cases.tests.factories import at, case_in_state, complete_materials, new_case
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.services import create_token


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_staff_of_another_department_see_nothing_of_the_case(world):
    case = new_case(world)
    assert case in cases_visible_to(world.clerk_a)
    for outsider in (world.clerk_b, world.reviewer_b, world.leader_b):
        assert not cases_visible_to(outsider).filter(pk=case.pk).exists()
        assert not list_cases(outsider, number=case.number).exists()


def test_a_clerk_of_another_department_acting_on_the_case_gets_not_found_and_nothing_changes(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a)
    with pytest.raises(NotFound):
        services.accept_case(case, by=world.clerk_b, at=at("2025-09-02"))
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_the_api_answers_404_to_another_departments_clerk_reading_or_acting(world):
    case = new_case(world)
    client = _client(world.clerk_b)
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 404
    response = client.post(f"/api/v1/cases/{case.number}/accept", content_type="application/json", data={})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/cases").json()["count"] == 0
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_citizens_see_only_their_own_cases(world):
    mine = new_case(world, n=1)
    services.create_case(by=world.citizen2, item=world.item_a, applicant=services.Applicant(
        kind="person", name="李四", id_number=mine.applicant_id_number, mobile="13900139000"), channel="online")
    assert list(cases_visible_to(world.citizen)) == [mine]
    assert _client(world.citizen2).get(f"/api/v1/cases/{mine.number}").status_code == 404


def test_a_citizen_cannot_accept_their_own_case(world):
    case = new_case(world)
    with pytest.raises(PermissionDenied):
        services.accept_case(case, by=world.citizen, at=at("2025-09-02"))


def test_supervisors_and_admins_read_every_department(world):
    a, b = new_case(world), new_case(world, item=world.item_b, clerk=world.clerk_b)
    for user in (world.supervisor, world.admin):
        assert set(cases_visible_to(user)) == {a, b}


def test_supervisors_read_but_do_not_act(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a)
    with pytest.raises(PermissionDenied):
        services.accept_case(case, by=world.supervisor, at=at("2025-09-02"))


def test_the_board_shows_a_leader_only_their_department_and_refuses_clerks(world):
    new_case(world)
    new_case(world, item=world.item_b, clerk=world.clerk_b)
    assert [d["code"] for d in supervision_board(world.leader_b)["departments"]] == ["WJ"]
    assert [d["code"] for d in supervision_board(world.supervisor)["departments"]] == ["SC", "WJ"]
    with pytest.raises(PermissionDenied):
        supervision_board(world.clerk_a)
    assert _client(world.clerk_a).get("/api/v1/cases/supervision").status_code == 403


def test_a_comprehensive_window_accepts_centrally_accepted_items_of_any_department(world):
    case = new_case(world, item=world.item_b, clerk=world.window_clerk)
    complete_materials(case, by=world.window_clerk)
    services.accept_case(case, by=world.window_clerk, at=at("2025-09-02"))
    assert case.state == State.ACCEPTED and case.department == world.dept_b
    with pytest.raises(PermissionDenied):
        services.assign_case(case, by=world.window_clerk, reviewer=world.reviewer_b, at=at("2025-09-02"))


def test_a_comprehensive_window_cannot_take_in_an_item_not_authorized_for_it(world):
    from onewindow.cases.tests.factories import make_item

    item = make_item(world.dept_b, code="WJ-LOCAL", central_acceptance=False)
    with pytest.raises(PermissionDenied):
        new_case(world, item=item, clerk=world.window_clerk)


def test_the_identity_number_is_whole_only_for_staff_of_the_handling_department_and_the_applicant(world):
    case = new_case(world)
    whole = case.applicant_id_number
    masked = whole[:4] + "*" * 10 + whole[-4:]
    for user in (world.clerk_a, world.reviewer_a, world.leader_a, world.citizen):
        assert identity_for(case, user) == whole
    for user in (world.clerk_b, world.supervisor, world.admin, world.citizen2, world.window_clerk, None):
        assert identity_for(case, user) == masked


def test_lists_and_the_api_list_always_mask_identity_numbers(world):
    case = new_case(world)
    row = _client(world.clerk_a).get("/api/v1/cases").json()["results"][0]
    assert row["applicant_id_number"] != case.applicant_id_number
    assert row["applicant_id_number"].startswith("5001") and "**********" in row["applicant_id_number"]
    detail = _client(world.clerk_a).get(f"/api/v1/cases/{case.number}").json()
    assert detail["applicant_id_number"] == case.applicant_id_number
    assert _client(world.supervisor).get(f"/api/v1/cases/{case.number}").json()["applicant_id_number"] != \
        case.applicant_id_number


def test_a_reviewer_cannot_decide_a_case_assigned_to_a_colleague(world):
    case = case_in_state(world, "in_review")
    with pytest.raises(PermissionDenied):
        services.approve_case(case, by=world.reviewer_a2, at=at("2025-09-02"))


def test_a_clerk_decides_only_where_the_window_is_authorized(world):
    case = case_in_state(world, "accepted")
    with pytest.raises(PermissionDenied):
        services.approve_case(case, by=world.clerk_a, at=at("2025-09-02"))
    world.dept_a.window_authorized = True
    world.dept_a.save()
    case.department.refresh_from_db()
    services.approve_case(case, by=world.clerk_a, at=at("2025-09-02"))
    assert case.state == State.APPROVED
