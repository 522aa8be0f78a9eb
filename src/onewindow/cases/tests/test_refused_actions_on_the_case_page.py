"""Who may act is checked before anything posted is read: an action a person may never take answers the styled 403
page and its form is not shown again; one that the case has moved past is refused beside the case as it now
stands, without its form; only a person who may act is told that their page is stale."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import case_in_state
from onewindow.core.models import AuditEvent


def _with_csrf(user, case: Case) -> tuple[Client, str]:
    """A browser-like client (CSRF enforced) and the token its case page gave it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("cases:case", args=[case.number])).content.decode()
    return client, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def _assign(user, case: Case, reviewer, **fields):
    """`user` posts the assignment to `reviewer` from the case page, with the page's CSRF token and `fields`."""
    client, token = _with_csrf(user, case)
    return client.post(reverse("cases:case_action", args=[case.number, "assign"]),
                       {"csrfmiddlewaretoken": token, "reviewer": reviewer.pk, **fields})


def _unchanged(case: Case) -> tuple:
    return Case.objects.filter(pk=case.pk).values("state", "version", "assigned_to").get(), AuditEvent.objects.count()


def test_a_clerk_posting_an_assignment_gets_the_403_page_without_the_assignment_form(world):
    case = case_in_state(world, State.ACCEPTED)
    before = _unchanged(case)

    response = _assign(world.clerk_a, case, world.reviewer_a, expected_version=case.version)

    page = response.content.decode()
    assert response.status_code == 403
    assert "无权使用此页面" in page, "the styled error page of the page edge"
    assert 'id="action-assign"' not in page and "分派审查</button>" not in page
    assert _unchanged(case) == before


def test_a_forbidden_post_without_the_page_version_is_still_403_not_a_stale_page(world):
    case = case_in_state(world, State.ACCEPTED)

    response = _assign(world.clerk_a, case, world.reviewer_a)

    assert response.status_code == 403
    assert "页面已过期" not in response.content.decode()


def test_a_person_who_may_act_is_told_a_page_without_its_version_is_stale(world):
    case = case_in_state(world, State.ACCEPTED)

    response = _assign(world.leader_a, case, world.reviewer_a)

    assert response.status_code == 422
    assert "页面已过期" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_an_action_the_case_has_moved_past_is_refused_beside_the_case_without_its_form(world):
    case = case_in_state(world, State.IN_REVIEW)
    client, token = _with_csrf(world.clerk_a, case)
    before = _unchanged(case)

    response = client.post(reverse("cases:case_action", args=[case.number, "accept"]),
                           {"csrfmiddlewaretoken": token, "expected_version": case.version})

    page = response.content.decode()
    assert response.status_code == 409
    assert "“受理”未完成" in page and "审查中" in page, "the case page as the case now stands, with the reason"
    assert 'id="action-accept"' not in page
    assert _unchanged(case) == before


def test_a_case_of_another_department_is_not_found_whatever_is_posted(world):
    case = case_in_state(world, State.ACCEPTED)
    client = Client()
    client.force_login(world.clerk_b)

    response = client.post(reverse("cases:case_action", args=[case.number, "assign"]), {})

    assert response.status_code == 404
