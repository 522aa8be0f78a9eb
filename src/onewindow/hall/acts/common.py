"""What the hall's acts share: who may act, the window lock, and the person's data kept only masked or keyed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings

from onewindow.catalog.selectors import department_id_of
from onewindow.core import kit
from onewindow.core.errors import Conflict, ErrorCode, NotFound, PermissionDenied
from onewindow.core.models import Role
from onewindow.core.prepared import PreparedRead
from onewindow.hall.models import Window

WINDOW_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class WindowBusy(Conflict):
    code = ErrorCode.WINDOW_BUSY


class BookingBlocked(PermissionDenied):
    code = ErrorCode.BOOKING_BLOCKED


def identity_key(number: str) -> str:
    """A keyed digest of an identity number: lets us match a person without keeping the number."""
    return hmac.new(settings.SECRET_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


def holder_key(number: str, mobile: str) -> str:
    """A keyed digest of an identity number together with a mobile: who holds a booking. A code sent to the mobile
    proves the mobile, not the identity; keyed by both, a booking in someone else's number with one's own mobile
    is never that person's booking (their one-a-day and their no-show count stay theirs)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{number}|{mobile}".encode(), hashlib.sha256).hexdigest()


def code_digest(appointment_code: str, code: str) -> str:
    """A keyed digest of a one-time code for one booking: the code itself is never stored."""
    message = f"sms|{appointment_code}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def random_code(length: int) -> str:
    """A code people type or scan (查询码、预约码): no 0/O or 1/I to confuse."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def is_hall_staff(user: Any) -> bool:
    """A signed-in clerk, supervisor or administrator (or a superuser)."""
    return kit.is_signed_in(user) and (user.is_superuser or user.role in WINDOW_ROLES)


def staff_id_of(by: Any) -> int | None:
    """The account named in an event as the staff member who acted; None for a kiosk, a citizen or the system."""
    return by.pk if is_hall_staff(by) else None


def require_hall_staff(by: Any) -> None:
    """401 unless signed in, 403 unless hall staff."""
    kit.require_role(by, WINDOW_ROLES, "只有大厅工作人员可以执行此操作")


def may_operate(window: Window, by: Any) -> bool:
    """Whether `by` may operate `window` (操作窗口): a department's clerk only that department's windows, a
    comprehensive window clerk (综合窗口人员, no department) only the comprehensive windows (no department),
    supervisors and administrators every window, anyone else none."""
    if not is_hall_staff(by):
        return False
    if by.role != Role.CLERK or by.is_superuser:
        return True
    return department_id_of(by) == window.department_id


def require_operator(window: Window, by: Any) -> None:
    """401 unless signed in, 403 unless `by` may operate `window` (the check of every window act)."""
    kit.require_role(by, WINDOW_ROLES, "只有窗口人员可以操作窗口")
    if not may_operate(window, by):
        raise PermissionDenied(f"{window}属于其他部门，您不能操作")


# The window, locked, with its current ticket (an outer join: a window may have none).
_WINDOW_LOCKED = PreparedRead(
    lambda window_id: Window.objects.select_related("current_ticket").select_for_update(of=("self",))
    .filter(pk=window_id).order_by("pk")[:1],
    window_id=int)
# The window and its current ticket, both locked: an inner join (PostgreSQL cannot lock the missing side of an
# outer join), so a window without a current ticket gives no row.
_WINDOW_AND_TICKET_LOCKED = PreparedRead(
    lambda window_id: Window.objects.select_related("current_ticket")
    .select_for_update(of=("self", "current_ticket")).filter(pk=window_id, current_ticket__isnull=False)
    .order_by("pk")[:1],
    window_id=int)


def operated_window(window: Window, by: Any, *, with_current_ticket: bool = False) -> Window:
    """The window locked for this act, with its current ticket read, once `by` may operate it (`require_operator`).

    `with_current_ticket`: the act moves the window's current ticket, which is locked in the same statement;
    a window with none is returned unlocked, without one (the act then refuses, changing nothing). NotFound (404)
    when there is no such window. Reads compiled once per process (`core.prepared`)."""
    if with_current_ticket:
        locked = _WINDOW_AND_TICKET_LOCKED.first(window_id=window.pk)
        if locked is None:
            locked = Window.objects.filter(pk=window.pk).first()
            if locked is not None:
                locked.current_ticket = None
    else:
        locked = _WINDOW_LOCKED.first(window_id=window.pk)
    if locked is None:
        raise NotFound(f"窗口 {window.pk} 不存在")
    require_operator(locked, by)
    return locked
