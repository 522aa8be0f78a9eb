"""Receivers of the case engine's declared events (`cases.events`), inside each act's transaction: the register
agrees with the cases exactly, and an act the register refuses (a renewal submitted too late) does not happen."""

from __future__ import annotations

from onewindow.cases.events import CaseDecided, CaseEvent
from onewindow.cases.lifecycle import State
from onewindow.core import audit, kit
from onewindow.licences.acts.register import register_licence, renew_by_issued_result
from onewindow.licences.acts.renewal import check_submission
from onewindow.licences.models import Renewal, RenewalOutcome


def _renewal_of(payload: CaseEvent) -> Renewal | None:
    """The renewal the case applies for, or None (most cases): asked without joins, as every submission and
    decision asks it; a renewal's licence, item and successor are read when used."""
    renewal = Renewal.objects.filter(case_id=payload.case.pk).first()
    if renewal is not None:
        renewal.case = payload.case
    return renewal


def on_result_issued(payload: CaseEvent) -> None:
    """`result_issued`: an approval's licence enters the register — a renewal case's continues its licence; a
    denial's written decision is no licence."""
    if payload.previous_state != State.APPROVED:
        return
    renewal = _renewal_of(payload)
    if renewal is not None and renewal.outcome in (RenewalOutcome.PENDING, RenewalOutcome.DEEMED):
        renew_by_issued_result(renewal, by=payload.by, at=payload.at)
    else:
        register_licence(payload.case, by=payload.by, at=payload.at)


def on_case_submitted(payload: CaseEvent) -> None:
    """`case_submitted`: the first submission of a renewal case is the renewal application; after the last day to
    apply it is refused (409 `renewal_too_late`) and the case stays a draft."""
    if payload.previous_state != State.DRAFT:
        return
    renewal = _renewal_of(payload)
    if renewal is None or renewal.applied_on is not None or renewal.outcome != RenewalOutcome.PENDING:
        return  # not a renewal, submitted again after a correction, or ended with its licence (撤销, 注销)
    _when, day = kit.moment(payload.at)
    check_submission(renewal, day=day)
    Renewal.objects.filter(pk=renewal.pk).update(applied_on=day)
    audit.record("licence.renewal_submitted", obj=renewal.licence, by=payload.by,
                 after={"case": payload.case.number, "applied_on": day.isoformat()})


def _settle(payload: CaseEvent, outcome: str) -> None:
    renewal = _renewal_of(payload)
    if renewal is None or renewal.outcome != RenewalOutcome.PENDING:
        return  # a late decision after a deemed renewal leaves it standing: only 撤销 (art. 69) could undo it
    Renewal.objects.filter(pk=renewal.pk).update(outcome=outcome, settled_at=payload.at)
    audit.record("licence.renewal_settled", obj=renewal.licence, by=payload.by,
                 after={"case": payload.case.number, "outcome": outcome})


def on_case_decided(payload: CaseDecided) -> None:
    """`case_decided`: a denied renewal (不予延续) settles it; the licence runs to its expiry. (An approval waits for
    its issued licence.)"""
    if not payload.approved:
        _settle(payload, RenewalOutcome.DENIED)


def on_case_ended(payload: CaseEvent) -> None:
    """不予受理, 撤回, 终止 of a renewal case: no renewal; nothing can be deemed granted."""
    _settle(payload, RenewalOutcome.ENDED)
