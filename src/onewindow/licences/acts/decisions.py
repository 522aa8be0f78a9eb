"""撤销 (revoke, art. 69) and 注销 (cancel, art. 70): acts of the issuing department's reviewers and leaders, each
with its reason and legal basis, audited, the holder told.

Art. 69: the deciding authority (or its superior) may revoke a licence granted by abuse of power, beyond its
powers, against the procedure, to an applicant not qualified, or obtained by fraud or bribery (the last must be
revoked). Art. 70: the authority cancels (注销) a licence that expired without renewal, whose holder died or was
dissolved, that was revoked, withdrawn or withdrawn by penalty, or that force majeure made impossible to use.
"""

from __future__ import annotations

import datetime as dt

from onewindow.catalog.selectors import department_id_of
from onewindow.core import kit
from onewindow.core.errors import DomainError, PermissionDenied
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.licences.acts.base import move, tell_holder
from onewindow.licences.lifecycle import transition_refusal
from onewindow.licences.models import LEGAL_BASIS_MAX, REASON_MAX, Licence, Renewal, RenewalOutcome
from onewindow.licences.selectors import get_licence_for

WHAT = {"revoke": ("撤销", "licence_revoked", "证照已被撤销"), "cancel": ("注销", "licence_cancelled", "证照已注销")}


def decision_refusal(licence: Licence, by: User, action: str) -> DomainError | None:
    """Why `by` may not revoke or cancel `licence` now, whatever they fill in — or None. Never raises. (The caller
    has already found the licence in `by`'s scope.)"""
    error = transition_refusal(action, licence.state, by.role)
    if error is not None:
        return error
    if department_id_of(by) != licence.department_id:
        return PermissionDenied(f"只有发证部门可以{WHAT[action][0]}证照", fields={"department": "scope"})
    return None


def _decide(licence: Licence, *, by: User, action: str, reason: str, legal_basis: str, at: dt.datetime | None,
            expected_version: int | None) -> Licence:
    kit.require_signed_in(by)
    licence = get_licence_for(by, licence.pk)
    error = decision_refusal(licence, by, action)
    if error is not None:
        raise error
    label, kind, title = WHAT[action]
    reason = kit.require_text(reason, "reason", f"{label}理由", max_length=REASON_MAX)
    legal_basis = kit.require_text(legal_basis, "legal_basis", "法律依据", max_length=LEGAL_BASIS_MAX)
    when, _day = kit.moment(at)
    move(licence, action=action, by=by, when=when, reason=reason, basis=legal_basis,
         expected_version=expected_version, extra={"legal_basis": legal_basis})
    # A renewal still running has nothing left to continue.
    Renewal.objects.filter(licence=licence, outcome=RenewalOutcome.PENDING).update(
        outcome=RenewalOutcome.ENDED, settled_at=when)
    tell_holder(licence, kind, title, f"理由：{reason}（依据：{legal_basis}）")
    return licence


@composable
def revoke_licence(licence: Licence, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
                   expected_version: int | None = None) -> Licence:
    """撤销 a valid or expired licence (art. 69) with the reason and legal basis; 403 unless `by` is a reviewer or
    leader of the issuing department, 404 outside their scope, 409 from another state or a stale version, 422
    without a reason or basis."""
    return _decide(licence, by=by, action="revoke", reason=reason, legal_basis=legal_basis, at=at,
                   expected_version=expected_version)


@composable
def cancel_licence(licence: Licence, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
                   expected_version: int | None = None) -> Licence:
    """注销 a valid, expired or revoked licence (art. 70) with the reason and legal basis; errors as `revoke_licence`."""
    return _decide(licence, by=by, action="cancel", reason=reason, legal_basis=legal_basis, at=at,
                   expected_version=expected_version)


