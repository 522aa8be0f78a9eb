"""Review (审查): assign a reviewer, special procedures that stop the clock (特别程序), the one extension (延期)."""

from __future__ import annotations

import datetime as dt

from onewindow.cases import clock, limits
from onewindow.cases.acts.base import (
    check_actor,
    clock_columns,
    commit,
    deadline_columns,
    due_on_of,
    not_before,
    tell_applicant,
)
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    Case,
    Extension,
    Suspension,
    SuspensionKind,
)
from onewindow.cases.notifications import notify_on_commit
from onewindow.catalog.selectors import department_id_of
from onewindow.core import kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, PermissionDenied
from onewindow.core.kit import composable
from onewindow.core.language import in_chinese
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar


@composable
def assign_case(
    case: Case, *, by: User, reviewer: User, at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Assign the case to a reviewer (分派承办人); a reviewer may take a case for themself."""
    check_actor(case, by, "assign")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    if reviewer.role not in (Role.REVIEWER, Role.LEADER) or department_id_of(reviewer) != case.department_id \
            or not reviewer.is_active:
        raise InvalidInput("承办人应为本部门的审核人员或负责人", fields={"reviewer_id": "scope"})
    if by.role == Role.REVIEWER and reviewer.pk != by.pk:
        raise PermissionDenied("审核人员只能领取给自己，分派他人须由部门负责人操作", fields={"reviewer_id": "not_self"})
    changes = {"state": State.IN_REVIEW, "assigned_to": reviewer,
               **clock_columns(case, state=State.IN_REVIEW, today=day)}
    commit(case, action="assign", by=by, changes=changes, at=when, audit_extra={"assigned_to_label": str(reviewer)})
    notify_on_commit([reviewer.pk], case_id=case.pk, kind="assigned", title=f"{case.number} 分派给您审查",
                     body=f"{case.item_version.name}，承诺办结日 {case.due_on:%Y-%m-%d}")
    return case


def expected_end(day: dt.date, *, expected_days: int | None, expected_end_on: dt.date | None) -> dt.date:
    """The day a special procedure is expected to end, from the working days it needs or the date given; one of the
    two is required (第四十五条: the applicant is told in writing the time it needs)."""
    if expected_end_on is not None:
        if expected_end_on <= day:
            raise InvalidInput("预计结束日期应晚于开始日期", fields={"expected_end_on": "not_after_start"})
        return expected_end_on
    if expected_days is None:
        raise InvalidInput("请写明特别程序所需时间：预计工作日数或预计结束日期（须书面告知申请人）",
                           code=ErrorCode.EXPECTED_END_REQUIRED, fields={"expected_days": "required"})
    if isinstance(expected_days, bool) or not isinstance(expected_days, int) or not 1 <= expected_days <= 250:
        raise InvalidInput("预计所需时间应为 1 至 250 个工作日", fields={"expected_days": "range"})
    return get_calendar().due_date(day, expected_days)


def start_suspension(case: Case, *, by: User, kind: str, reason: str, day: dt.date,
                     expected_end_on: dt.date) -> tuple[Suspension, dict]:
    """Open a special procedure on `day`: its row and the case's changes (state suspended, the clock's light held)."""
    not_before(day, case.accepted_on, "受理日期")
    suspension = Suspension.objects.create(case=case, kind=kind, reason=reason, started_on=day,
                                           expected_end_on=expected_end_on, started_by=by)
    return suspension, {"state": State.SUSPENDED, **clock_columns(case, state=State.SUSPENDED, today=day)}


def end_suspension(case: Case, *, by: User, day: dt.date) -> tuple[Suspension, dict]:
    """Close the open special procedure on `day`: its working days stop counting, the due dates move by them,
    and the case is back in review with its clock running."""
    suspension = Suspension.objects.filter(case=case, ended_on__isnull=True).first()
    if suspension is None:
        raise Conflict("没有进行中的特别程序", code=ErrorCode.NO_OPEN_SUSPENSION)
    not_before(day, suspension.started_on, "特别程序开始日期")
    suspension.ended_on = day
    suspension.ended_by = by
    suspension.working_days = clock.suspension_days(get_calendar(), suspension.started_on, day)
    suspension.save(update_fields=["ended_on", "ended_by", "working_days"])
    changes = deadline_columns(case)
    changes["state"] = State.IN_REVIEW
    changes.update(clock_columns(case, state=State.IN_REVIEW, today=day, due_on=changes["due_on"]))
    return suspension, changes


@composable
def suspend_case(
    case: Case, *, by: User, kind: str, reason: str, expected_days: int | None = None,
    expected_end_on: dt.date | None = None, at: dt.datetime | None = None, expected_version: int | None = None,
) -> Suspension:
    """Start a special procedure (特别程序: 检验、检测、鉴定、专家评审…); the clock stops until it ends (第四十五条).

    `expected_days` (working days) or `expected_end_on` (Beijing date) says the time it needs, told to the applicant
    in writing (the 特别程序告知书 PDF); running past it raises a supervision alert. A hearing is not started here but
    by `notify_hearing_right` (its own acts and limits)."""
    check_actor(case, by, "suspend", at=at)
    kit.check_version(case, expected_version)
    if kind == SuspensionKind.HEARING:
        raise InvalidInput("听证请使用“告知听证权利”，按听证程序办理", fields={"kind": "hearing"})
    if kind not in SuspensionKind.values:
        raise InvalidInput(f"特别程序类型“{kind}”无效", fields={"kind": "choice"})
    reason = kit.require_text(reason, "reason", "特别程序事由", max_length=limits.SUSPENSION_REASON)
    when, day = kit.moment(at)
    end = expected_end(day, expected_days=expected_days, expected_end_on=expected_end_on)
    suspension, changes = start_suspension(case, by=by, kind=kind, reason=reason, day=day, expected_end_on=end)
    commit(case, action="suspend", by=by, changes=changes, at=when, reason=reason, suspension=suspension,
           audit_extra={"kind": kind, "started_on": day.isoformat(), "expected_end_on": end.isoformat()})
    label = in_chinese(SuspensionKind(kind).label)
    tell_applicant(case, "suspended", f"进入特别程序（{label}）",
                   f"自 {day:%Y-%m-%d} 起{label}，预计 {end:%Y-%m-%d} 结束，所需时间不计入办理时限。事由：{reason}")
    return suspension


@composable
def resume_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """End the special procedure (特别程序结束): the due dates move by the working days it lasted."""
    check_actor(case, by, "resume", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    suspension, changes = end_suspension(case, by=by, day=day)
    commit(case, action="resume", by=by, changes=changes, at=when,
           audit_extra={"suspension": suspension.pk, "working_days": suspension.working_days})
    tell_applicant(case, "resumed", "特别程序结束", f"恢复计时，承诺办结日调整为 {case.due_on:%Y-%m-%d}")
    return case


def _clock_day(case: Case, day: dt.date) -> dt.date:
    """The day the clock has run to: `day`, or the start of the open special procedure (art. 45)."""
    if case.state == State.SUSPENDED:
        open_suspension = Suspension.objects.filter(case=case, ended_on__isnull=True).first()
        if open_suspension is not None:
            return open_suspension.started_on
    return day


@composable
def extend_case(
    case: Case, *, by: User, days: int, reason: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Extension:
    """Extend the limit once (延期, 行政许可法第四十二条), approved by the department leader, by at most the item's
    maximum, in working days. Decided against the statutory limit: allowed while `legal_due_on` has not passed
    (counted to the start of an open special procedure when suspended), even when the promise (`due_on`) has
    lapsed — then only `legal_due_on` moves and the lapsed promise stays late (`Extension.moves_promise` False).
    Refusals: `already_extended` (409), `statutory_limit_passed` (409), days out of range (422). The applicant is
    told (inbox) and the written notice `extension` (延长行政许可期限告知书, PDF) states the reason."""
    check_actor(case, by, "extend", at=at)
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "延期理由", max_length=limits.EXTENSION_REASON)
    when, day = kit.moment(at)
    maximum = case.item_version.max_extension_days
    if not isinstance(days, int) or days < 1 or days > maximum:
        raise InvalidInput(f"延期天数应为 1 至 {maximum} 个工作日", fields={"days": "range"})
    previous = due_on_of(case)
    previous_legal = case.legal_due_on
    # Decided against the statutory limit (the rule saw to that); a promise that already lapsed stays lapsed —
    # only the statutory date moves, and the case stays late in the on-time figures.
    counted_to = _clock_day(case, day)
    moves_promise = counted_to <= previous
    changes = deadline_columns(case, extension_days=days, moves_promise=moves_promise)
    changes["extension_days"] = days
    if case.state != State.SUSPENDED:
        changes.update(clock_columns(case, state=case.state, today=day, due_on=changes["due_on"]))
    extension = Extension.objects.create(case=case, days=days, reason=reason, approved_by=by, approved_at=when,
                                         previous_due_on=previous, new_due_on=changes["due_on"],
                                         previous_legal_due_on=previous_legal,
                                         new_legal_due_on=changes["legal_due_on"], moves_promise=moves_promise)
    commit(case, action="extend", by=by, changes=changes, at=when, reason=reason, extension=extension,
           audit_extra={"days": days, "moves_promise": moves_promise})
    promise = (f"新的承诺办结日 {case.due_on:%Y-%m-%d}" if moves_promise
               else f"承诺办结日 {case.due_on:%Y-%m-%d} 已过，不再顺延")
    tell_applicant(case, "extended", "办理期限延长",
                    f"经部门负责人批准，依照《行政许可法》第四十二条延长 {days} 个工作日，法定办结日延至 "
                    f"{case.legal_due_on:%Y-%m-%d}，{promise}。理由：{reason}。书面告知书可在办件页面下载。")
    return extension
