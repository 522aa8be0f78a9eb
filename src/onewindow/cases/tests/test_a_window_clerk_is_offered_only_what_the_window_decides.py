"""Where a department authorizes its window to decide on the spot (窗口授权到位), its clerk may approve or deny an
accepted case nobody has taken for review — and nothing more: once a reviewer has the case, the decision is the
reviewer's, and the clerk's page offers no decision form. Walked over every state with every person of the
department, the window's case page offers exactly what the acts accept."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.actions import ACTIONS, allowed
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.cases.tests.test_action_registry import FORM_ID, _act_accepts
from onewindow.catalog.models import Department
from onewindow.core.errors import PermissionDenied
from onewindow.core.models import AuditEvent

PEOPLE = ("clerk_a", "reviewer_a", "reviewer_a2", "leader_a")


@pytest.fixture
def authorized(world):
    Department.objects.filter(pk=world.dept_a.pk).update(window_authorized=True)
    return world


def _offered(client, case: Case, user) -> set[str]:
    client.force_login(user)
    return set(FORM_ID.findall(client.get(reverse("cases:case", args=[case.number])).content.decode()))


@pytest.mark.parametrize("state", [s.value for s in State if s != State.DRAFT])
def test_each_person_of_an_authorized_department_is_offered_exactly_what_the_acts_accept(client, authorized, state):
    world = authorized
    with time_machine.travel(at("2025-09-02"), tick=False):
        case = case_in_state(world, state, when=at("2025-09-01"))
        for name in PEOPLE:
            user = getattr(world, name)
            case = Case.objects.get(pk=case.pk)
            may = {action.name for action in allowed(case, user)}
            accepted = {action for action in ACTIONS if _act_accepts(action, case.pk, user, world)}
            assert may == accepted, f"{name} on a {state} case: registry {sorted(may)} ≠ acts {sorted(accepted)}"
            assert _offered(client, case, user) == may, f"{name} on a {state} case"


def test_the_clerk_decides_an_accepted_case_nobody_has_taken(authorized):
    case = Case.objects.get(pk=case_in_state(authorized, State.ACCEPTED).pk)

    assert {"approve", "deny"} <= {a.name for a in allowed(case, authorized.clerk_a)}


def test_the_clerk_is_not_offered_the_decision_of_a_case_a_reviewer_has(client, authorized):
    case = Case.objects.get(pk=case_in_state(authorized, State.IN_REVIEW).pk)
    before = (Case.objects.filter(pk=case.pk).values("state", "version").get(), AuditEvent.objects.count())

    offered = _offered(client, case, authorized.clerk_a)
    with pytest.raises(PermissionDenied):
        services.approve_case(case, by=authorized.clerk_a, at=at("2025-09-02"))
    posted = client.post(reverse("cases:case_action", args=[case.number, "deny"]),
                         {"expected_version": case.version, "reason": "不符合条件", "legal_basis": "某条例第五条"})

    assert not {"approve", "deny"} & offered, f"the clerk is offered {sorted(offered)}"
    assert {"approve", "deny"} <= _offered(client, case, authorized.reviewer_a), "the reviewer who has it decides"
    assert posted.status_code == 403
    assert (Case.objects.filter(pk=case.pk).values("state", "version").get(), AuditEvent.objects.count()) == before
