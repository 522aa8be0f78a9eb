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


@composable
def suspend_case(
    case: Case, *, by: User, kind: str, reason: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Suspension:
    """Start a special procedure (特别程序: 听证、检测、专家评审…); the clock stops until it ends."""
    check_actor(case, by, "suspend")
    kit.check_version(case, expected_version)
    if kind not in SuspensionKind.values:
        raise InvalidInput(f"特别程序类型“{kind}”无效", fields={"kind": "choice"})
    reason = kit.require_text(reason, "reason", "特别程序事由", max_length=limits.SUSPENSION_REASON)
    when, day = kit.moment(at)
    not_before(day, case.accepted_on, "受理日期")
    suspension = Suspension.objects.create(case=case, kind=kind, reason=reason, started_on=day, started_by=by)
    changes = {"state": State.SUSPENDED, **clock_columns(case, state=State.SUSPENDED, today=day)}
    commit(case, action="suspend", by=by, changes=changes, at=when, reason=reason, suspension=suspension,
            audit_extra={"kind": kind, "started_on": day.isoformat()})
    tell_applicant(case, "suspended", f"进入特别程序（{SuspensionKind(kind).label}）",
                    f"自 {day:%Y-%m-%d} 起{SuspensionKind(kind).label}所需时间不计入办理时限。事由：{reason}")
    return suspension


@composable
def resume_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """End the special procedure (特别程序结束): the due dates move by the working days it lasted."""
    check_actor(case, by, "resume")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
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
    commit(case, action="resume", by=by, changes=changes, at=when,
            audit_extra={"suspension": suspension.pk, "working_days": suspension.working_days})
    tell_applicant(case, "resumed", "特别程序结束", f"恢复计时，承诺办结日调整为 {case.due_on:%Y-%m-%d}")
    return case


@composable
def extend_case(
    case: Case, *, by: User, days: int, reason: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Extension:
    """Extend the limit once (延期), approved by the department leader, by at most the item's maximum."""
    check_actor(case, by, "extend", at=at)
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "延期理由", max_length=limits.EXTENSION_REASON)
    when, day = kit.moment(at)
    maximum = case.item_version.max_extension_days
    if not isinstance(days, int) or days < 1 or days > maximum:
        raise InvalidInput(f"延期天数应为 1 至 {maximum} 个工作日", fields={"days": "range"})
    previous = due_on_of(case)
    changes = deadline_columns(case, extension_days=days)
    changes["extension_days"] = days
    if case.state != State.SUSPENDED:
        changes.update(clock_columns(case, state=case.state, today=day, due_on=changes["due_on"]))
    extension = Extension.objects.create(case=case, days=days, reason=reason, approved_by=by, approved_at=when,
                                         previous_due_on=previous, new_due_on=changes["due_on"])
    commit(case, action="extend", by=by, changes=changes, at=when, reason=reason, extension=extension,
           audit_extra={"days": days})
    tell_applicant(case, "extended", "办理期限延长",
                    f"经部门负责人批准延长 {days} 个工作日，新的承诺办结日 {case.due_on:%Y-%m-%d}。理由：{reason}")
    return extension
