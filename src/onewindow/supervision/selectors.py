"""Reads of 一链监管: the supervising department's inbox (事中事后监管)."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases.selectors import DESK_ROLES
from onewindow.catalog.selectors import department_id_of
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.kit import is_signed_in
from onewindow.core.models import User
from onewindow.supervision.models import SupervisionEvent


def supervision_inbox(user: User, *, unacknowledged_only: bool = False) -> QuerySet[SupervisionEvent]:
    """The 事中事后监管 list of the user's department (all departments for supervisors), newest first."""
    events = SupervisionEvent.objects.select_related("department", "case")
    if not is_signed_in(user):
        return events.none()
    if not user.is_center_wide:
        department_id = department_id_of(user)
        if user.role not in DESK_ROLES or department_id is None:
            raise PermissionDenied("监管事件仅对本部门工作人员开放")
        events = events.filter(department_id=department_id)
    if unacknowledged_only:
        events = events.filter(acknowledged_at__isnull=True)
    return events.order_by("-id")


def event_for(user: User, event_id: int) -> SupervisionEvent:
    """One event of the user's inbox; NotFound (404) when it does not exist or is another department's."""
    event = supervision_inbox(user).filter(pk=event_id).first()
    if event is None:
        raise NotFound("监管事件不存在或无权查看", fields={"event_id": "not_found"})
    return event
