"""Joint review (集中会审): the package's departments meet, and the meeting is on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import Participant
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import JointReview, Package, SubCase
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.models import User


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
