"""No dead ends: from every state a case can be in, some lawful act by someone leads on to a final state.

The walk drives real cases (built through the services) in every state of the lifecycle table — and in the stages
the table does not name: a hearing at each step, an approval owing a tolerated (容缺) material, before and after its
promised day — and searches the acts the registry allows to anyone of the department or the applicant, each performed
through its act (the service's body) inside a savepoint and undone, until a final state is reached."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from onewindow.cases import acts, services
from onewindow.cases.actions import allowed
from onewindow.cases.lifecycle import ALLOWED_TRANSITIONS, CLOSED_STATES, State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import (
    HEARING_STAGES,
    PDF,
    at,
    case_in_state,
    correction_items,
    hearing_case,
    tolerated_approval,
)
from onewindow.core.errors import Conflict, DomainError, ErrorCode, InvalidInput, PermissionDenied

NOW = at("2025-09-02", 11)
FINAL = frozenset(CLOSED_STATES)


class Undone(Exception):
    """Raised to undo a path once it has been shown to reach a final state."""


def _arguments(name: str, case: Case, by, world) -> dict:
    """Input a careful person would give each act (the search tries it; the act may still refuse)."""
    owed = [entry["id"] for entry in case.tolerated_materials]
    material = case.item_version.materials.filter(pk__in=owed).first() if owed and case.state == State.APPROVED \
        else case.item_version.materials.order_by("order").first()
    return {
        "request_correction": {"items": correction_items(case)},
        "refuse": {"reason": "不属于本机关职权范围"},
        "assign": {"reviewer": world.reviewer_a},
        "suspend": {"kind": "testing", "reason": "检测", "expected_days": 5},
        "notify_hearing_right": {"matter": "相邻权"},
        "request_hearing": {"party": "李四"},
        "schedule_hearing": {"hearing_at": at("2025-09-15", 9), "place": "听证室", "presiding_officer": world.leader_a},
        "record_hearing": {"record": "陈述、申辩、质证", "signed_by": "张三"},
        "extend": {"days": 3, "reason": "情况复杂"},
        "approve": {"legal_basis": "《某条例》第十条"},
        "deny": {"reason": "不符合条件", "legal_basis": "《某条例》第五条"},
        "issue_result": {"licence_number": "SC2025-0001"},
        "deliver": {"pickup_code": case.pickup_code},
        "withdraw": {"reason": "不再需要"},
        "terminate": {"reason": "主体资格消灭", "legal_basis": "行政许可法第七十条"},
        "revoke_approval": {"reason": "容缺材料逾期未补交", "legal_basis": "《某条例》第十二条"},
        "add_material": {"content": PDF, "filename": "a.pdf", "material_id": material.pk},
    }.get(name, {})


def _act(name: str):
    """The composable act behind the action's service (a service is its act in one durable transaction, which a
    savepoint cannot hold)."""
    return getattr(acts, name, None) or getattr(acts, f"{name}_case")


def _people(world) -> list:
    return [world.citizen, world.clerk_a, world.reviewer_a, world.leader_a]


def _path_to_an_end(case_pk: int, world, depth: int) -> list[str] | None:
    """Acts (`action by role`) leading from the case as stored to a final state within `depth` acts, or None.
    Each step is performed through its service in a savepoint and undone again."""
    case = Case.objects.get(pk=case_pk)
    if case.state in FINAL:
        return []
    if depth == 0:
        return None
    for person in _people(world):
        for action in allowed(Case.objects.get(pk=case_pk), person):
            found: list[str] | None = None
            try:
                with transaction.atomic():
                    current = Case.objects.get(pk=case_pk)
                    _act(action.name)(current, by=person, **_arguments(action.name, current, person, world))
                    rest = _path_to_an_end(case_pk, world, depth - 1)
                    if rest is not None:
                        found = [f"{action.name} by {person.role}", *rest]
                    raise Undone
            except Undone:
                pass
            except DomainError:
                continue  # this input was not lawful here; other acts may be
            if found is not None:
                return found
    return None


STAGES = {
    **{state.value: (lambda world, state=state: case_in_state(world, state, when=at("2025-09-01")))
       for state in State if state not in FINAL},
    **{f"hearing {stage}": (lambda world, stage=stage: hearing_case(world, stage)) for stage in HEARING_STAGES},
    "approved owing a tolerated material": lambda world: tolerated_approval(
        world, accepted="2025-08-15", due="2025-09-10", approved="2025-08-20"),
    "approved with a tolerated material overdue": lambda world: tolerated_approval(world, due="2025-08-20"),
}


def test_the_walk_covers_every_non_final_state_of_the_table():
    covered = {name.split()[0] for name in STAGES if name in {s.value for s in State}}
    assert covered == {s.value for s in State} - FINAL
    targets = {t.target for t in ALLOWED_TRANSITIONS.values() if t.target}
    assert targets >= FINAL, "every final state is reached by some act"


@pytest.mark.parametrize("stage", list(STAGES))
def test_from_every_state_some_lawful_act_leads_on_to_a_final_state(world, stage):
    with time_machine.travel(NOW, tick=False):
        case = STAGES[stage](world)
        assert case.state not in FINAL

        path = _path_to_an_end(case.pk, world, depth=4)

    assert path is not None, f"a case {stage} cannot reach any final state: a dead end"


# -- the dead end the issue names: approved before the tolerated material arrived ---------------------------------
def test_an_approval_owing_a_tolerated_material_takes_it_then_is_issued_and_delivered(world):
    case = tolerated_approval(world, accepted="2025-08-15", due="2025-09-10", approved="2025-08-20")
    owed = case.tolerated_materials[0]["id"]
    other = case.item_version.materials.exclude(pk=owed).first()

    with pytest.raises(InvalidInput) as early:
        services.issue_result(case, by=world.clerk_a, licence_number="SC2025-1", at=at("2025-08-21"))
    assert early.value.code == ErrorCode.TOLERANCE_OPEN
    with pytest.raises(InvalidInput) as not_owed:
        services.add_material(case, by=world.citizen, content=PDF, filename="b.pdf", material_id=other.pk,
                              at=at("2025-08-22"))
    assert not_owed.value.fields == {"material_id": "not_tolerated"}

    services.add_material(case, by=world.citizen, content=PDF, filename="场地证明.pdf", material_id=owed,
                          at=at("2025-08-22"))
    case.refresh_from_db()
    assert case.tolerance_resolved_on == dt.date(2025, 8, 22)
    services.issue_result(case, by=world.clerk_a, licence_number="SC2025-1", at=at("2025-08-25"))
    services.deliver_case(case, by=world.clerk_a, pickup_code=case.pickup_code, at=at("2025-08-26"))
    assert Case.objects.get(pk=case.pk).state == State.DELIVERED


def test_the_applicants_page_takes_the_owed_material_after_the_approval(client, world):
    case = tolerated_approval(world, accepted="2025-08-15", due="2025-09-10", approved="2025-08-20")
    client.force_login(world.citizen)

    page = client.get(reverse("cases:my_case", args=[case.number])).content.decode()

    assert 'name="action" value="add_material"' in page
    assert "场地证明" in page and "申请书" not in page.split('value="add_material"')[1].split("</form>")[0]


def test_an_overdue_tolerated_material_lets_the_leader_revoke_the_approval(world):
    case = tolerated_approval(world, due="2025-08-20")

    with pytest.raises(Conflict) as too_early:
        services.revoke_approval(case, by=world.leader_a, reason="逾期", legal_basis="《某条例》第十二条",
                                 at=at("2025-08-20"))
    assert too_early.value.code == ErrorCode.TOLERANCE_NOT_OVERDUE
    with pytest.raises(PermissionDenied):
        services.revoke_approval(case, by=world.reviewer_a, reason="逾期", legal_basis="《某条例》第十二条",
                                 at=at("2025-08-21"))
    with pytest.raises(InvalidInput) as no_reason:
        services.revoke_approval(case, by=world.leader_a, reason=" ", legal_basis="《某条例》第十二条",
                                 at=at("2025-08-21"))
    assert no_reason.value.fields == {"reason": "required"}
    assert Case.objects.get(pk=case.pk).state == State.APPROVED, "nothing changed"

    services.revoke_approval(case, by=world.leader_a, reason="容缺材料逾期未补交，撤销准予许可决定",
                             legal_basis="《某条例》第十二条", at=at("2025-08-21"))

    case.refresh_from_db()
    assert (case.state, case.closed_reason) == (State.TERMINATED, "容缺材料逾期未补交，撤销准予许可决定")
    assert case.clock_due_on is None, "no delivery clock for a revoked approval"
