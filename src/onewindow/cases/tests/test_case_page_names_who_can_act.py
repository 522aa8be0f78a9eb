"""A person who may see a case but not act on it (the center's administrator, a supervisor) is not left facing a
page without actions: the case page says who can handle it, by name. Someone who may act is offered the acts."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import case_in_state


def _page(user, case) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("cases:case", args=[case.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_administrator_is_told_who_in_the_department_can_handle_a_submitted_case(world):
    case = case_in_state(world, State.SUBMITTED)
    for user in (world.admin, world.supervisor):
        page = _page(user, case)
        assert "action-accept" not in page, "nothing the person may not do is offered"
        assert "没有您可以办理的操作" in page and world.dept_a.name in page
        for handler in (world.clerk_a, world.reviewer_a, world.leader_a):
            assert str(handler) in page, f"{handler} can handle the case but is not named"
        assert str(world.clerk_b) not in page, "staff of another department are not named"


def test_a_clerk_of_the_department_is_offered_the_acceptance_and_not_told_to_ask_someone_else(world):
    page = _page(world.clerk_a, case_in_state(world, State.SUBMITTED))
    assert 'id="action-accept"' in page and "没有您可以办理的操作" not in page


def test_a_closed_case_names_nobody(world):
    page = _page(world.admin, case_in_state(world, State.DELIVERED))
    assert "没有您可以办理的操作" not in page
