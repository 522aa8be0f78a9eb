"""The whole state × action matrix, walked from ALLOWED_TRANSITIONS: allowed moves work, the rest are
refused with 409 and change nothing."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from onewindow.cases.lifecycle import ALLOWED_TRANSITIONS, State, target_state
from onewindow.cases.models import Case, CorrectionNotice, Extension, Suspension
from onewindow.cases.tests.factories import (
    at,
    case_in_state,
    complete_materials,
    correction_items,
    hearing_case,
    tolerated_approval,
)
from onewindow.core.errors import IllegalTransition
from onewindow.core.models import AuditEvent

WHEN = at("2025-09-02")


def _call(action: str, case: Case, world) -> None:
    transition = ALLOWED_TRANSITIONS[action]
    role = next(r for r in ("leader", "clerk", "reviewer", "citizen") if r in transition.roles)
    by = world.actor(role)
    calls = {
        "submit": lambda: services.submit_case(case, by=by, at=WHEN),
        "accept": lambda: services.accept_case(case, by=by, at=WHEN),
        "request_correction": lambda: services.request_correction(case, by=by, items=correction_items(case), at=WHEN),
        "refuse": lambda: services.refuse_case(case, by=by, reason="不属于本机关职权", at=WHEN),
        "assign": lambda: services.assign_case(case, by=by, reviewer=world.reviewer_a, at=WHEN),
        "suspend": lambda: services.suspend_case(case, by=by, kind="testing", reason="检测", expected_days=5, at=WHEN),
        "notify_hearing_right": lambda: services.notify_hearing_right(case, by=by, matter="相邻权", at=WHEN),
        "request_hearing": lambda: services.request_hearing(case, by=by, party="李四", at=WHEN),
        "schedule_hearing": lambda: services.schedule_hearing(
            case, by=by, hearing_at=at("2025-09-15", 9), place="听证室", presiding_officer=world.leader_a, at=WHEN),
        "record_hearing": lambda: services.record_hearing(case, by=by, record="陈述、质证", signed_by="张三", at=WHEN),
        "waive_hearing": lambda: services.waive_hearing(case, by=by, at=WHEN),
        "lapse_hearing": lambda: services.lapse_hearing(case, by=by, at=WHEN),
        "issue_denial": lambda: services.issue_denial(case, by=by, at=WHEN),
        "revoke_approval": lambda: services.revoke_approval(case, by=by, reason="容缺材料逾期", legal_basis="某条例",
                                                            at=WHEN),
        "resume": lambda: services.resume_case(case, by=by, at=WHEN),
        "extend": lambda: services.extend_case(case, by=by, days=3, reason="情况复杂", at=WHEN),
        "approve": lambda: services.approve_case(case, by=by, at=WHEN),
        "deny": lambda: services.deny_case(case, by=by, reason="不符合条件", legal_basis="某条例", at=WHEN),
        "issue_result": lambda: services.issue_result(case, by=by, licence_number="L-1", at=WHEN),
        "deliver": lambda: services.deliver_case(case, by=by, pickup_code=case.pickup_code, at=WHEN),
        "withdraw": lambda: services.withdraw_case(case, by=by, at=WHEN),
        "terminate": lambda: services.terminate_case(case, by=by, reason="主体资格消灭", legal_basis="行政许可法第七十条",
                                                     at=WHEN),
    }
    calls[action]()


def _snapshot(case: Case) -> tuple:
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        AuditEvent.objects.count(),
        list(Suspension.objects.filter(case=case).values_list("id", "ended_on").order_by("id")),
        Extension.objects.filter(case=case).count(),
        CorrectionNotice.objects.filter(case=case).count(),
    )


def test_every_action_of_the_table_has_sources_roles_and_a_service():
    assert set(ALLOWED_TRANSITIONS) == {
        "submit", "accept", "request_correction", "refuse", "assign", "suspend", "resume", "extend", "approve",
        "deny", "issue_result", "deliver", "withdraw", "terminate", "notify_hearing_right", "request_hearing",
        "schedule_hearing", "record_hearing", "waive_hearing", "lapse_hearing", "issue_denial", "revoke_approval",
    }
    for action, transition in ALLOWED_TRANSITIONS.items():
        assert transition.sources, action
        assert transition.roles, action


# An allowed act that needs more than the state: the hearing acts a hearing at the right step, the revocation an
# approval whose tolerated material is overdue.
_STAGED = {"request_hearing": "notified", "schedule_hearing": "requested", "record_hearing": "scheduled",
           "waive_hearing": "notified", "lapse_hearing": "lapsable"}


def _case_for(world, state: str, action: str, n: int) -> Case:
    if state == State.SUSPENDED and action in _STAGED:
        return hearing_case(world, _STAGED[action], n=n)
    if state == State.APPROVED and action == "revoke_approval":
        return tolerated_approval(world, due="2025-08-20", n=n)
    return case_in_state(world, state, n=n)


@pytest.mark.parametrize("state", [s.value for s in State])
def test_each_state_allows_exactly_the_transitions_of_the_table(world, state):
    for index, action in enumerate(ALLOWED_TRANSITIONS):
        case = _case_for(world, state, action, index + 1)
        assert case.state == state
        if state in ALLOWED_TRANSITIONS[action].sources:
            if action == "accept":
                complete_materials(case, by=world.clerk_a, when=WHEN)
            _call(action, case, world)
            stored = Case.objects.get(pk=case.pk)
            assert stored.state == target_state(action, state), f"{action} from {state} should lead to the table's target"
            assert AuditEvent.objects.filter(object_id=str(case.pk), action=f"case.{action}").exists()
        else:
            before = _snapshot(case)
            with pytest.raises(IllegalTransition) as refused:
                _call(action, case, world)
            assert refused.value.status == 409
            assert _snapshot(case) == before, f"refused {action} from {state} must change nothing"
