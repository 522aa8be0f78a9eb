"""Accept once (一窗受理): the package's clock starts, and so does each sub-case's as soon as every prerequisite
of it is approved — at acceptance for the items that need none, later for the others."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import (
    check_window,
    clock_columns,
    desk_actor,
    fetch_shared,
    fresh_case,
    missing_lines,
    move,
    tell,
)
from onewindow.bundles.clock import JOINT_STATUTORY_DAYS
from onewindow.bundles.lifecycle import package_transition
from onewindow.bundles.models import Package, SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases.lifecycle import State
from onewindow.core import kit
from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.models import User
from onewindow.workdays.calendar import CalendarNotLoaded
from onewindow.workdays.selectors import get_calendar


def joint_legal_due_on(day: dt.date) -> dt.date | None:
    """45 working days after `day` (art. 42 ¶2); None while the year it reaches has no calendar yet — the window's
    acceptance is not refused for want of a calendar year (the promised clock, shorter, still runs). The date stays empty —
    nothing shown or supervised for that package — until a recomputation over the loaded calendar sets it."""
    try:
        return get_calendar().due_date(day, JOINT_STATUTORY_DAYS)
    except CalendarNotLoaded:
        return None


@kit.composable
def accept_package(
    package: Package, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None,
) -> Package:
    """Accept once for every department (一窗受理): the package's clock starts, and so does the clock of every
    sub-case with no prerequisite; the others start when their prerequisites are approved."""
    check_window(by, package)
    kit.check_version(package, expected_version)
    package_transition("accept", package.state)
    when, day = kit.moment(at)
    if day < package.submitted_on:
        raise InvalidInput(f"受理日期 {day} 早于提交日期 {package.submitted_on}", fields={"at": "before_submission"})
    subs = selectors.sub_cases_of(package)
    missing = "、".join(missing_lines(subs, selectors.material_aliases(package.theme)))
    if missing:
        raise InvalidInput(f"材料不齐，不能受理：{missing}。请一次性告知补正", code=ErrorCode.MATERIALS_MISSING,
                           fields={"materials": missing})
    by_id = {s.pk: s for s in subs}
    ready = [s for s in subs if all(selectors.was_approved(by_id[r.pk].case) for r in s.requires.all())]
    due_on = get_calendar().due_date(day, package.promised_days)
    legal_due_on = joint_legal_due_on(day)
    move(package, "accept", by=by, changes={"accepted_at": when, "accepted_on": day, "accepted_by": by,
                                            "due_on": due_on, "legal_due_on": legal_due_on,
                                            **clock_columns(package, due_on)},
         extra={"started": [s.case.number for s in ready]})
    for sub in ready:
        start_sub_case(sub, human=by, when=when)
    tell(package, "package_accepted", "已受理",
         f"您的一件事申请已受理，各部门并联审批，承诺 {package.promised_days} 个工作日内（{due_on:%Y-%m-%d} 前）办结。")
    return package


def start_sub_case(sub: SubCase, *, human: User | None, when: dt.datetime) -> None:
    """Start a sub-case's review: fetch government-issued materials by data sharing, submit, accept (clock on).

    If the department must judge something before accepting, the sub-case waits in its acceptance queue.
    """
    case = fresh_case(sub.case_id)
    actor = desk_actor(human, case)
    fetch_shared(case, actor=actor, when=when)
    if case.state == State.DRAFT:
        case_acts.submit_case(case, by=actor, at=when)
    if case.state == State.SUBMITTED:
        try:
            # A savepoint: an acceptance the department must judge first is undone alone; the package goes on.
            with transaction.atomic():
                case_acts.accept_case(case, by=actor, at=when)
        except InvalidInput:
            case.refresh_from_db()
    SubCase.objects.filter(pk=sub.pk).update(started_at=when)
    sub.started_at = when
    sub.case = case


def start_dependents(sub: SubCase, *, when: dt.datetime) -> None:
    """`sub` was approved: every item waiting for it whose prerequisites are now all approved starts."""
    for dependent in SubCase.objects.filter(requires=sub, started_at__isnull=True).prefetch_related("requires__case"):
        if all(selectors.was_approved(r.case) for r in dependent.requires.all()):
            start_sub_case(dependent, human=None, when=when)
