"""Declared events of the case engine (办件事件): what other apps may learn of a case's acts, and when.

Every event is sent by the act that causes it, after the case row and its audit event are written, inside the
act's transaction (see `core.events` for the two kinds of receivers):

- receivers connected plainly run **inside** that transaction and see the case exactly as the act left it; if
  one raises, the act is undone. Use them for state that must agree with the case (a 一件事 package and its
  sub-cases; the supervision hand-off record, an outbox that must exist exactly when the result does).
- receivers connected with `after_commit=True` run once the act has committed, never if it rolls back, and
  cannot undo it: notices, e-mail, webhooks, boards, statistics.

Every payload is a `CaseEvent` (or a subclass adding what that act alone knows). The case object is the
caller's instance as the act left it; after commit it is a snapshot, so re-read it to act on newer state.
Payloads are never changed by receivers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onewindow.core.events import Event

if TYPE_CHECKING:
    from onewindow.cases.models import Case, CorrectionNotice, Extension, Hearing, Suspension
    from onewindow.core.models import User


@dataclass(frozen=True)
class CaseEvent:
    """What every case event carries: the case, the lifecycle action, the state it left, who acted and when."""

    case: Case
    action: str  # the action of `cases.lifecycle.ALLOWED_TRANSITIONS`
    previous_state: str  # the state before the act (`cases.lifecycle.State`)
    by: User | None  # who acted; None is the system
    at: dt.datetime  # the instant of the act (aware; its Beijing date is the day it counts on)


@dataclass(frozen=True)
class CorrectionRequested(CaseEvent):
    notice: CorrectionNotice  # the 补正告知 with every line the applicant must answer


@dataclass(frozen=True)
class CaseSuspended(CaseEvent):
    suspension: Suspension  # the special procedure (特别程序) that stopped the clock


@dataclass(frozen=True)
class CaseExtended(CaseEvent):
    extension: Extension  # the one extension (延期) with its days and the dates before and after


@dataclass(frozen=True)
class HearingEvent(CaseEvent):
    hearing: Hearing  # the hearing (听证) as the act left it: its state and dates


@dataclass(frozen=True)
class CaseDecided(CaseEvent):
    approved: bool  # True for 准予许可, False for 不予许可


case_submitted = Event(
    "case_submitted", CaseEvent,
    "An application was submitted (提交申请), first or again after correction (`previous_state` tells which); "
    "the case is `submitted` and its 5-working-day acceptance clock runs from `case.submitted_on`.")
case_accepted = Event(
    "case_accepted", CaseEvent,
    "The case was accepted (受理, 容缺受理 when `case.tolerated_materials`); its clock runs and `case.due_on` / "
    "`case.legal_due_on` are set.")
case_deemed_accepted = Event(
    "case_deemed_accepted", CaseEvent,
    "Five working days passed after receipt with neither acceptance, refusal nor a correction notice: the "
    "application counts as accepted from the day of receipt (视为受理, 行政许可法第三十二条). `by` is None (the "
    "system); `case.deemed_accepted` is set, `case.accepted_on` is the day of receipt and `case.due_on` / "
    "`case.legal_due_on` run from it. The state stays `submitted` until the department records its acceptance.")
correction_requested = Event(
    "correction_requested", CorrectionRequested,
    "The applicant was asked, once and for every missing material, to correct the application (补正告知); the "
    "acceptance clock waits.")
case_refused = Event(
    "case_refused", CaseEvent,
    "The application was not accepted (不予受理) with `case.closed_reason`; the case is closed.")
case_assigned = Event(
    "case_assigned", CaseEvent, "The case was assigned to a reviewer (分派承办人, `case.assigned_to`).")
case_suspended = Event(
    "case_suspended", CaseSuspended,
    "A special procedure began (特别程序: hearing, testing, expert review…); the clock stands still.")
case_resumed = Event(
    "case_resumed", CaseEvent,
    "The special procedure ended; the due dates moved by the working days it lasted.")
hearing_right_notified = Event(
    "hearing_right_notified", HearingEvent,
    "The applicant and the interested parties were told of their right to ask for a hearing within 5 days "
    "(告知听证权利, 第四十七条); the case is `suspended` (the hearing's time does not count, 第四十五条).")
hearing_requested = Event(
    "hearing_requested", HearingEvent,
    "A party asked for a hearing (申请听证); it must be held within 20 working days (`hearing.hold_by_on`).")
hearing_scheduled = Event(
    "hearing_scheduled", HearingEvent,
    "The parties were told the time and place of the hearing at least 7 days ahead (第四十八条).")
hearing_ended = Event(
    "hearing_ended", HearingEvent,
    "The hearing procedure ended — held and recorded (`hearing.state` held), waived or lapsed — and the clock runs "
    "again (`case.due_on` moved by the working days it lasted).")
case_extended = Event(
    "case_extended", CaseExtended, "The department head extended the time limit once (延期).")
case_decided = Event(
    "case_decided", CaseDecided,
    "The department decided (准予许可 / 不予许可): `approved`, `case.decided_on`, `case.timeliness`.")
result_issued = Event(
    "result_issued", CaseEvent,
    "The result was issued (出证); ready for delivery. `previous_state` is the decision it follows: `approved` — a "
    "licence, `case.licence_number` (action `issue_result`) — or `denied` — the written denial decision with its "
    "reasons and the rights of review and litigation (action `issue_denial`, 第三十八条), with no licence number.")
case_delivered = Event(
    "case_delivered", CaseEvent, "The result was delivered and the case closed (送达、办结).")
approval_revoked = Event(
    "approval_revoked", CaseEvent,
    "The leader revoked an approval whose tolerated (容缺) material was not brought by its promised day (撤销); the "
    "case is `terminated` with `case.closed_reason`, and no licence will be issued.")
case_withdrawn = Event(
    "case_withdrawn", CaseEvent, "The applicant withdrew the application before a decision (撤回申请); closed.")
case_terminated = Event(
    "case_terminated", CaseEvent, "The department head terminated the case with a legal reason (终止办理); closed.")

# The event each lifecycle action sends (`cases.lifecycle.ALLOWED_TRANSITIONS` names the actions).
BY_ACTION: dict[str, Event] = {
    "submit": case_submitted,
    "accept": case_accepted,
    "deem_accept": case_deemed_accepted,
    "request_correction": correction_requested,
    "refuse": case_refused,
    "assign": case_assigned,
    "suspend": case_suspended,
    "resume": case_resumed,
    "extend": case_extended,
    "notify_hearing_right": hearing_right_notified,
    "request_hearing": hearing_requested,
    "schedule_hearing": hearing_scheduled,
    "record_hearing": hearing_ended,
    "waive_hearing": hearing_ended,
    "lapse_hearing": hearing_ended,
    "approve": case_decided,
    "deny": case_decided,
    "issue_result": result_issued,
    "issue_denial": result_issued,
    "deliver": case_delivered,
    "withdraw": case_withdrawn,
    "terminate": case_terminated,
    "revoke_approval": approval_revoked,
}
# Acts after which a case will never be decided by its department, or its approval is gone (撤销): a package reacts
# to them as to a denial.
ENDINGS = (case_refused, case_withdrawn, case_terminated, approval_revoked)
