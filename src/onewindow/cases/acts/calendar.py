"""The calendar changed (工作日历调整): every stored working-day date of the cases that depends on a changed day is
counted again, in the transaction of the holiday edit (`workdays.events.calendar_changed`).

A date counted from a start over N working days depends on a changed day d exactly when start < d ≤ the date (or
d = start, for a count of 0); the candidates are therefore the cases with a start before the last changed day and
a stored date on or after the first. For each, every stored date is derived again from the facts it was counted
from — the day of submission, of acceptance, the finished special procedures, the extension — exactly as the acts
counted it: the acceptance deadline (受理期限), the promised and statutory due dates (承诺/法定办结日), the working
days of each finished special procedure, the clock and its yellow-from day, the on-time bucket of a decided case,
the dates recorded with the extension, the delivery limit of a decided case (送达期限, art. 44) and the limits of
an open hearing (申请听证期限, 组织听证期限 and the last day to tell its time and place, arts. 47–48). A 容缺 promise that would now fall after the statutory due date is brought
back to it (the rule of `check_tolerance_due_on`). Each case that moved is one audited `case.recount` at its
version; while the case is open and a date still ahead of it moved (the acceptance deadline while it waits for
acceptance, the due dates until the decision, a 容缺 promise until the material arrives), its applicant and its
department (the reviewer and the department's leaders) are told after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from onewindow.cases import clock
from onewindow.cases.acts.base import DELIVERY_CLOCK_STATES, applicant_ids, clock_columns, deadline_columns
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, Extension, Hearing, HearingState, Suspension
from onewindow.cases.notifications import notify_on_commit
from onewindow.core import kit
from onewindow.core.models import Role, User
from onewindow.workdays.events import CalendarChanged
from onewindow.workdays.selectors import get_calendar

# States whose clock runs on a stored deadline (`clock_columns`); a suspended case keeps its paused light.
CLOCK_STATES = frozenset({State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW}) | DELIVERY_CLOCK_STATES
# Dates a person reads: the notice names them, before → after.
TOLD = {"acceptance_due_on": "受理期限", "due_on": "承诺办结日", "legal_due_on": "法定办结日",
        "tolerance_due_on": "容缺材料补齐日期", "delivery_due_on": "送达期限"}
OPEN_HEARING = (HearingState.NOTIFIED, HearingState.REQUESTED, HearingState.SCHEDULED)


def affected_cases(first: dt.date, last: dt.date) -> Any:
    """The cases with a stored date that may have been counted through a day between `first` and `last`."""
    return Case.objects.filter(
        Q(submitted_on__lte=last, acceptance_due_on__gte=first)
        | Q(accepted_on__lte=last, due_on__gte=first)
        | Q(accepted_on__lte=last, legal_due_on__gte=first)
        | Q(suspensions__started_on__lte=last, suspensions__ended_on__gte=first)
        | Q(decided_on__lte=last, delivery_due_on__gte=first)
        | Q(hearings__notified_on__lte=last, hearings__state__in=OPEN_HEARING)
    ).distinct()


def recount(case: Case) -> dict[str, Any]:
    """The stored dates of `case` counted again on the calendar in force: only those that differ, as changes."""
    calendar = get_calendar()
    target: dict[str, Any] = {}
    if case.submitted_on and case.acceptance_due_on:
        target["acceptance_due_on"] = clock.acceptance_due(calendar, case.submitted_on)
    for suspension in Suspension.objects.filter(case=case, ended_on__isnull=False):
        if suspension.ended_on is None:
            continue
        days = clock.suspension_days(calendar, suspension.started_on, suspension.ended_on)
        if days != suspension.working_days:
            Suspension.objects.filter(pk=suspension.pk).update(working_days=days)
    if case.accepted_on:
        target.update(deadline_columns(case))
        _recount_extension(case)
    if case.decided_on and case.delivery_due_on:
        target["delivery_due_on"] = clock.delivery_due(calendar, case.decided_on)
    _recount_hearings(case)
    if case.state in CLOCK_STATES:
        today = kit.moment()[1]
        target.update(clock_columns(case, state=case.state, today=today, due_on=target.get("due_on"),
                                    acceptance_due_on=target.get("acceptance_due_on"),
                                    delivery_due_on=target.get("delivery_due_on")))
    if case.decided_on and target.get("due_on"):
        target["timeliness"] = clock.timeliness(case.decided_on, target["due_on"])
    legal = target.get("legal_due_on")
    if legal and case.tolerance_due_on and case.tolerance_resolved_on is None and case.tolerance_due_on > legal:
        target["tolerance_due_on"] = legal
    return {key: value for key, value in target.items() if getattr(case, key) != value}


def _recount_hearings(case: Case) -> None:
    """An open hearing's limits (第四十七、四十八条), counted again from the day the parties were told and the day
    of their request, as `request_hearing` counted them."""
    calendar = get_calendar()
    for hearing in Hearing.objects.filter(case=case, state__in=OPEN_HEARING):
        changes: dict[str, Any] = {"request_due_on": clock.hearing_request_due(calendar, hearing.notified_on)}
        if hearing.requested_on is not None:
            hold_by_on = clock.hearing_hold_by(calendar, hearing.requested_on)
            changes.update(hold_by_on=hold_by_on, notice_due_on=clock.hearing_notice_due(calendar, hold_by_on))
        if any(getattr(hearing, key) != value for key, value in changes.items()):
            Hearing.objects.filter(pk=hearing.pk).update(**changes)


def _recount_extension(case: Case) -> None:
    """The dates recorded with the extension (原/新承诺办结日): counted as on the day it was approved, with the
    special procedures finished by then."""
    extension = Extension.objects.filter(case=case).first()
    if extension is None or case.accepted_on is None:
        return
    calendar = get_calendar()
    approved_on = kit.moment(extension.approved_at)[1]
    paused = sum(clock.suspension_days(calendar, s.started_on, s.ended_on)
                 for s in Suspension.objects.filter(case=case, ended_on__lte=approved_on) if s.ended_on)
    previous = calendar.due_date(case.accepted_on, case.promised_days + paused)
    new = calendar.due_date(case.accepted_on, case.promised_days + extension.days + paused)
    if (previous, new) != (extension.previous_due_on, extension.new_due_on):
        Extension.objects.filter(pk=extension.pk).update(previous_due_on=previous, new_due_on=new)


def on_calendar_changed(event: CalendarChanged) -> None:
    """Receiver of `workdays.events.calendar_changed`, inside the edit's transaction: recount every affected case."""
    rows = Case.objects.filter(pk__in=affected_cases(event.first, event.last).values("pk")).order_by("pk")
    for case in rows.select_for_update():
        changes = recount(case)
        if not changes:
            continue
        before = {key: getattr(case, key) for key in changes}
        kit.versioned_update(case, action="recount", by=event.by, changes=changes,
                             reason=f"工作日历调整：{event.describe()}", extra={"calendar": event.action})
        if case.closed_at is None and case.delivered_at is None:
            _tell(case, before, changes)


def _ahead(case: Case) -> set[str]:
    """The dates still ahead of the applicant and the department: the ones a notice is worth."""
    if case.state == State.SUBMITTED:
        return {"acceptance_due_on"}
    ahead = {"delivery_due_on"} if case.decided_on else {"due_on", "legal_due_on"}
    if case.tolerance_due_on and case.tolerance_resolved_on is None:
        ahead.add("tolerance_due_on")
    return ahead


def _tell(case: Case, before: dict[str, Any], after: dict[str, Any]) -> None:
    """One notice to the applicant, one to the department, naming each date still ahead that moved."""
    ahead = _ahead(case)
    lines = [f"{label} {before[key]:%Y-%m-%d} → {after[key]:%Y-%m-%d}" for key, label in TOLD.items()
             if key in after and key in ahead and before[key] and after[key]]
    if not lines:
        return
    body = "因国家节假日安排（工作日历）调整，本办件的期限相应调整：" + "；".join(lines) + "。"
    title = f"{case.number} 期限调整"
    notify_on_commit(applicant_ids(case), case_id=case.pk, kind="calendar_changed", title=title, body=body)
    staff = list(User.objects.filter(is_active=True, role=Role.LEADER, assignment__department_id=case.department_id)
                 .values_list("pk", flat=True))
    if case.assigned_to_id:
        staff.append(case.assigned_to_id)
    notify_on_commit(staff, case_id=case.pk, kind="calendar_changed", title=title, body=body)
