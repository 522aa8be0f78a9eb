"""What every licence act shares: moving a licence along the table (versioned, audited), writing a register entry,
telling the holder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.cases.models import Case
from onewindow.cases.notifications import notify_on_commit, supervisors_and_leader_ids
from onewindow.core import audit, kit
from onewindow.core.identity import mask_identity
from onewindow.core.models import User
from onewindow.licences.lifecycle import TRANSITIONS, transition_refusal
from onewindow.licences.models import Licence

ART_50 = "《中华人民共和国行政许可法》第五十条"


def move(licence: Licence, *, action: str, by: User | None, when: dt.datetime, reason: str = "", basis: str = "",
         expected_version: int | None = None, extra: dict[str, Any] | None = None) -> Licence:
    """Take `action` of the table (`lifecycle.TRANSITIONS`) on `licence`: the refusal first, then the optimistic
    lock, the state with its instant, reason and basis, and the audit event `licence.<action>`."""
    error = transition_refusal(action, licence.state, by.role if by is not None else None)
    if error is not None:
        raise error
    kit.check_version(licence, expected_version)
    changes = {"state": TRANSITIONS[action].target, "state_changed_at": when, "state_reason": reason,
               "state_basis": basis}
    return kit.versioned_update(licence, action=action, by=by, changes=changes, reason=reason, extra=extra)


def create_entry(*, case: Case, number: str, name: str, item_id: int, holder_of: Case | Licence, issued_on: dt.date,
                 valid_from: dt.date, valid_until: dt.date | None, when: dt.datetime, by: User | None,
                 renewed_from: Licence | None = None, deemed: bool = False) -> Licence:
    """Write one register entry (证照登记) and its audit event `licence.register`."""
    if isinstance(holder_of, Case):
        holder = {"holder_kind": holder_of.applicant_kind, "holder_name": holder_of.applicant_name,
                  "holder_id_number": holder_of.applicant_id_number, "holder_user_id": holder_of.applicant_user_id}
    else:
        holder = {"holder_kind": holder_of.holder_kind, "holder_name": holder_of.holder_name,
                  "holder_id_number": holder_of.holder_id_number, "holder_user_id": holder_of.holder_user_id}
    licence = Licence.objects.create(
        number=number, name=name, item_id=item_id, department_id=case.department_id, case=case, issued_on=issued_on,
        valid_from=valid_from, valid_until=valid_until, renewed_from=renewed_from, deemed=deemed, created_at=when,
        **holder)
    audit.record("licence.register", obj=licence, by=by, after={
        "number": number, "case": case.number, "holder": mask_identity(licence.holder_id_number),
        "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat() if valid_until else None,
        "renewed_from": renewed_from.pk if renewed_from else None, "deemed": deemed})
    return licence


def tell_holder(licence: Licence, kind: str, title: str, body: str) -> None:
    """An inbox notice (and e-mail) to the holder's account, after commit; nobody when the holder has none."""
    if licence.holder_user_id:
        notify_on_commit([licence.holder_user_id], case_id=licence.case_id, kind=kind,
                         title=f"{licence.number} {title}", body=body)


def tell_department(licence: Licence, kind: str, title: str, body: str) -> None:
    """The issuing department's leaders and the center's supervisors, after commit."""
    notify_on_commit(supervisors_and_leader_ids(licence.department_id), case_id=licence.case_id, kind=kind,
                     title=f"{licence.number} {title}", body=body)
