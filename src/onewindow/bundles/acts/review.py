"""Joint review (集中会审): the package's departments meet, and the meeting is on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import Participant, tell
from onewindow.bundles.clock import JOINT_EXTENSION_DAYS
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import JointReview, Package, SubCase
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar


@kit.composable
def extend_package(
    package: Package, *, by: User, days: int, reason: str, government_approval: str,
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> Package:
    """Extend the statutory limit of a package handled jointly once, by 1–15 working days (行政许可法第四十二条
    第二款), with the approval of the head of the people's government at the same level.

    The government head is not a user of the center: the approval is a flag the act requires — the reference of
    the written approval (`government_approval`, 批准文件文号) — recorded by the center's supervisor or the theme's
    window department's leader. Allowed while the package is accepted and its 45-day limit still runs; the
    applicant is told the reason (inbox). Errors: 403 who, 409 `already_extended` / `statutory_limit_passed`,
    422 days out of range, reason or approval missing."""
    kit.require_signed_in(by)
    kit.check_version(package, expected_version)
    if not (by.role == Role.SUPERVISOR or (by.role == Role.LEADER and selectors.is_window(by, package.theme))):
        raise PermissionDenied("一件事延长法定期限须经本级人民政府负责人批准，由中心督查人员或牵头部门负责人登记")
    if package.state != PackageState.ACCEPTED or package.legal_due_on is None:
        raise IllegalTransition("一件事受理后、决定前才能延长期限", fields={"state": package.state, "action": "extend"})
    if package.extension_days:
        raise Conflict("本一件事已延长一次，不能再次延长", code=ErrorCode.ALREADY_EXTENDED)
    when, day = kit.moment(at)
    if day > package.legal_due_on:
        raise Conflict(f"法定办理期限已于 {package.legal_due_on:%Y-%m-%d} 届满，不能再延长（行政许可法第四十二条）",
                       code=ErrorCode.STATUTORY_LIMIT_PASSED, fields={"legal_due_on": "passed"})
    if not isinstance(days, int) or not 1 <= days <= JOINT_EXTENSION_DAYS:
        raise InvalidInput(f"延长天数应为 1 至 {JOINT_EXTENSION_DAYS} 个工作日", fields={"days": "range"})
    reason = kit.require_text(reason, "reason", "延长理由", 2000)
    approval = kit.require_text(government_approval, "government_approval", "本级人民政府负责人批准文件", 200)
    legal_due_on = get_calendar().due_date(package.legal_due_on, days)
    kit.versioned_update(package, action="extend", by=by, reason=reason, changes={
        "extension_days": days, "extension_reason": reason, "extension_approval": approval, "extended_at": when,
        "legal_due_on": legal_due_on}, extra={"previous_legal_due_on": package.legal_due_on.isoformat()})
    tell(package, "package_extended", "办理期限延长",
         f"经本级人民政府负责人批准（{approval}），依照《行政许可法》第四十二条延长 {days} 个工作日，"
         f"法定办结日延至 {legal_due_on:%Y-%m-%d}。理由：{reason}")
    return package


@kit.composable
def record_joint_review(
    package: Package, *, by: User, held_at: dt.datetime, participants: Sequence[Participant], conclusions: str,
    place: str = "",
) -> JointReview:
    """Record a joint review meeting (集中会审) of the package's departments: who took part, what was concluded."""
    kit.require_signed_in(by)
    departments = set(SubCase.objects.filter(package=package).values_list("case__department_id", flat=True))
    if not (by.is_center_wide or selectors.is_window(by, package.theme) or department_id_of(by) in departments):
        raise PermissionDenied("只有参与本一件事的部门或牵头部门可以记录集中会审")
    if package.state not in (PackageState.ACCEPTED, PackageState.DECIDED):
        raise IllegalTransition("一件事受理后、送达前才能召开集中会审",
                                fields={"state": package.state, "action": "joint_review"})
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if package.accepted_at and held_at < package.accepted_at:
        raise InvalidInput("会审时间早于受理时间", fields={"held_at": "before_acceptance"})
    conclusions = kit.require_text(conclusions, "conclusions", "会审结论", 5000)
    people = [{"department": kit.require_text(person.department, f"participants.{index}.department", "参会部门", 100),
               "name": kit.require_text(person.name, f"participants.{index}.name", "参会人员姓名", 64)}
              for index, person in enumerate(participants)]
    if len(people) < 2:
        raise InvalidInput("集中会审至少应有两名参会人员", fields={"participants": "too_few"})
    review = JointReview.objects.create(package=package, held_at=held_at, place=(place or "").strip()[:200],
                                        participants=people, conclusions=conclusions, recorded_by=by,
                                        recorded_at=timezone.now())
    audit.record("package.joint_review", obj=package, by=by,
                 after={"review": review.pk, "held_at": held_at.isoformat(), "participants": people,
                        "conclusions": conclusions})
    return review
