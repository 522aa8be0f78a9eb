"""撤销 (art. 69) and 注销 (art. 70): acts of the issuing department's reviewers and leaders with the reason and the
legal basis, audited, the holder told; anyone else is refused and nothing changes."""

import pytest

from onewindow.cases.models import Notice
from onewindow.cases.tests.factories import at
from onewindow.core.errors import ErrorCode, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from onewindow.core.models import AuditEvent
from onewindow.licences import services
from onewindow.licences.lifecycle import FINAL_STATES, TRANSITIONS, transition_refusal
from onewindow.licences.models import LicenceState
from onewindow.licences.selectors import licence_history
from onewindow.licences.tests.factories import issued_licence

BASIS_69 = "《中华人民共和国行政许可法》第六十九条第二款"
BASIS_70 = "《中华人民共和国行政许可法》第七十条第（四）项"


def test_the_leader_revokes_with_reason_and_basis_and_the_holder_is_told(world, django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_licence(licence, by=world.leader_a, reason="以欺骗手段取得许可", legal_basis=BASIS_69,
                                at=at("2026-03-02"))
    licence.refresh_from_db()
    assert (licence.state, licence.state_reason, licence.state_basis) == (
        LicenceState.REVOKED, "以欺骗手段取得许可", BASIS_69)
    event = list(licence_history(licence))[-1]
    assert (event.action, event.actor, event.reason) == ("licence.revoke", world.leader_a, "以欺骗手段取得许可")
    assert event.after["legal_basis"] == BASIS_69 and event.before["state"] == "valid"
    notice = Notice.objects.get(recipient=world.citizen, kind="licence_revoked")
    assert "以欺骗手段取得许可" in notice.body and BASIS_69 in notice.body


def test_a_revoked_licence_is_then_cancelled_by_a_reviewer(world):
    licence = issued_licence(world)
    services.revoke_licence(licence, by=world.leader_a, reason="超越职权作出", legal_basis=BASIS_69)
    services.cancel_licence(licence, by=world.reviewer_a, reason="许可已被撤销", legal_basis=BASIS_70)
    licence.refresh_from_db()
    assert licence.state == LicenceState.CANCELLED
    assert [e.action for e in licence_history(licence)][-2:] == ["licence.revoke", "licence.cancel"]


@pytest.mark.parametrize("who, error", [("clerk_a", PermissionDenied), ("citizen", PermissionDenied),
                                        ("leader_b", NotFound), ("citizen2", NotFound)])
def test_nobody_else_revokes_and_nothing_changes(world, who, error):
    licence = issued_licence(world)
    events = AuditEvent.objects.count()
    with pytest.raises(error):
        services.revoke_licence(licence, by=getattr(world, who), reason="理由", legal_basis=BASIS_69)
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID and AuditEvent.objects.count() == events


@pytest.mark.parametrize("reason, basis, field", [("", BASIS_70, "reason"), ("申请人死亡", "  ", "legal_basis"),
                                                  ("x" * 2001, BASIS_70, "reason")])
def test_a_cancellation_without_reason_or_basis_is_refused_and_nothing_changes(world, reason, basis, field):
    licence = issued_licence(world)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.cancel_licence(licence, by=world.leader_a, reason=reason, legal_basis=basis)
    assert field in refused.value.fields
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID and AuditEvent.objects.count() == events


def test_a_cancelled_licence_is_final_and_a_stale_version_is_refused(world):
    licence = issued_licence(world)
    stale = licence.version
    services.cancel_licence(licence, by=world.leader_a, reason="申请人申请注销", legal_basis=BASIS_70)
    with pytest.raises(IllegalTransition):
        services.revoke_licence(licence, by=world.leader_a, reason="理由", legal_basis=BASIS_69)
    other = issued_licence(world, number="SC2025-0002", n=2)
    services.revoke_licence(other, by=world.leader_a, reason="理由", legal_basis=BASIS_69)
    with pytest.raises(Exception) as refused:
        services.cancel_licence(other, by=world.leader_a, reason="理由", legal_basis=BASIS_70, expected_version=stale)
    assert refused.value.code == ErrorCode.VERSION_CONFLICT


def test_the_table_every_state_and_act():
    """Walk the table: each act from each state is allowed exactly where the table lists it, for its roles."""
    for action, transition in TRANSITIONS.items():
        for state in LicenceState.values:
            refusal = transition_refusal(action, state, None)
            assert (refusal is None) == (state in transition.sources), (action, state)
        for role in ("citizen", "clerk", "reviewer", "leader", "supervisor", "admin"):
            refusal = transition_refusal(action, next(iter(transition.sources)), role)
            assert (refusal is None) == (role in transition.roles), (action, role)
    for state in FINAL_STATES:
        assert all(transition_refusal(a, state, None) is not None for a in TRANSITIONS)
    # From every state that is not final some act leads on to a final one.
    for state in set(LicenceState.values) - FINAL_STATES:
        assert transition_refusal("cancel", state, "leader") is None
