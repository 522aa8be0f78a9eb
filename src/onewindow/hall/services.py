"""Every state change of the hall: issuing, calling, transferring tickets; windows; appointments; lost & found.

Each function is one transaction, checks who may do it, appends to the audit chain last, and tells the
display board only after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from onewindow.core.identity import mask_identity, mask_mobile, normalize_identity_number
from onewindow.core.models import Role, User
from onewindow.hall import events, selectors
from onewindow.hall.models import (
    ACTIVE_AT_WINDOW,
    TICKET_TRANSITIONS,
    Appointment,
    AppointmentSlot,
    AppointmentState,
    FoundItem,
    FoundItemState,
    Priority,
    ServiceCategory,
    Ticket,
    TicketState,
    Window,
    WindowStatus,
)

WINDOW_ROLES = {Role.CLERK, Role.SUPERVISOR, Role.ADMIN}
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class WindowBusy(Conflict):
    code = ErrorCode.WINDOW_BUSY


class BookingBlocked(PermissionDenied):
    code = ErrorCode.BOOKING_BLOCKED


# -- helpers -------------------------------------------------------------------------------------


def identity_key(number: str) -> str:
    """A keyed digest of an identity number: lets us match a person without keeping the number."""
    return hmac.new(settings.SECRET_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _random_code(length: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def _normalize_mobile(value: str) -> str:
    mobile = (value or "").strip().replace(" ", "")
    if not _MOBILE_RE.match(mobile):
        raise InvalidInput("手机号码应为11位，以1开头", fields={"mobile": "format"})
    return mobile


def _require_window_staff(user: User | None, window: Window) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("只有窗口人员可以操作窗口")
    if user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN):
        return
    if user.role != Role.CLERK:
        raise PermissionDenied("只有窗口人员可以操作窗口")
    if window.department_id and department_id_of(user) != window.department_id:
        raise PermissionDenied(f"{window}属于其他部门，您不能操作")


def _require_staff(user: User | None) -> None:
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role in WINDOW_ROLES):
        raise PermissionDenied("只有大厅工作人员可以执行此操作")


def _move(ticket: Ticket, to: str) -> str:
    before = ticket.state
    if to not in TICKET_TRANSITIONS[before]:
        raise IllegalTransition(
            f"号票 {ticket.number} 当前为“{ticket.get_state_display()}”，不能改为“{TicketState(to).label}”"
        )
    ticket.state = to
    return before


def _announce(ticket: Ticket, window: Window, kind: str) -> None:
    """Tell the board and the window screen, after commit; waiting counts (read then) only when they changed."""
    hall_id, number, window_number = ticket.hall_id, ticket.number, window.number
    category_name = ticket.category.name

    def build() -> dict[str, Any]:
        event = {
            "kind": kind,
            "ticket": number,
            "window": window_number,
            "category": category_name,
            "speech": events.call_phrase(number, window_number) if kind in ("call", "recall") else "",
            "at": timezone.localtime().strftime("%H:%M:%S"),
        }
        if kind in ("call", "transfer"):
            event["waiting"] = selectors.waiting_counts(hall_id)
        return event

    events.send_on_commit([events.hall_group(hall_id), events.window_group(window.pk)], build)


def _announce_counts(hall_id: int) -> None:
    events.send_on_commit(
        [events.hall_group(hall_id)], lambda: {"kind": "counts", "waiting": selectors.waiting_counts(hall_id)}
    )


def _locked_window(window: Window) -> Window:
    locked = Window.objects.select_for_update(of=("self",)).select_related("current_ticket").filter(pk=window.pk).first()
    if locked is None:
        raise NotFound("窗口不存在")
    return locked


def _current(window: Window) -> Ticket:
    ticket = window.current_ticket
    if ticket is None or ticket.state not in ACTIVE_AT_WINDOW:
        raise Conflict(f"{window}当前没有正在叫号或办理的号票", code=ErrorCode.NO_CURRENT_TICKET)
    return Ticket.objects.select_for_update(of=("self",)).select_related("category").get(pk=ticket.pk)


def _next_sequence(category: ServiceCategory, day: dt.date) -> int:
    """The category's next number of the day (每日流水号), taken under its row lock until commit."""
    return kit.next_in_sequence(f"hall.category.{category.pk}", day)


# -- tickets -------------------------------------------------------------------------------------


@transaction.atomic
def issue_ticket(
    *,
    category: ServiceCategory,
    priority: str = Priority.NORMAL,
    identity_number: str = "",
    mobile: str = "",
    appointment: Appointment | None = None,
    by: User | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """Issue a ticket (取号) in a category; its number is the category prefix and the day's sequence."""
    if priority not in Priority.values:
        raise InvalidInput(f"优先类型“{priority}”无效", fields={"priority": "choice"})
    if not category.active:
        raise Conflict(f"业务类别“{category.name}”已停用", code=ErrorCode.CATEGORY_INACTIVE)
    if priority == Priority.APPOINTMENT and appointment is None:
        raise InvalidInput("预约优先号须通过预约签到领取", fields={"priority": "appointment_required"})
    key = masked = ""
    if identity_number:
        normalized = normalize_identity_number(identity_number)
        key, masked = identity_key(normalized), mask_identity(normalized)
    mobile_masked = mask_mobile(_normalize_mobile(mobile)) if mobile else ""
    return _issue(category=category, priority=priority, identity_key=key, identity_masked=masked,
                  mobile_masked=mobile_masked, appointment=appointment, by=by, now=_now(at))


def _issue(
    *, category: ServiceCategory, priority: str, identity_key: str, identity_masked: str, mobile_masked: str,
    appointment: Appointment | None, by: User | None, now: dt.datetime,
) -> Ticket:
    day = timezone.localdate(now)
    policy = selectors.policy_for(category.hall_id)
    sequence = _next_sequence(category, day)
    ticket = Ticket.objects.create(
        hall_id=category.hall_id,
        category=category,
        day=day,
        sequence=sequence,
        number=f"{category.prefix}{sequence:03d}",
        code=_random_code(10),
        issued_at=now,
        queued_at=now,
        priority=priority,
        priority_rank=policy.rank_of(priority),
        identity_masked=identity_masked,
        identity_key=identity_key,
        mobile_masked=mobile_masked,
        appointment=appointment,
    )
    _announce_counts(category.hall_id)
    audit.record("ticket.issue", obj=ticket, by=by, after={"number": ticket.number, "priority": priority})
    return ticket


@transaction.atomic
def cancel_ticket(*, ticket: Ticket, by: User | None = None, reason: str = "") -> Ticket:
    """Withdraw a waiting ticket (取消)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = _move(ticket, TicketState.CANCELLED)
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["state", "finished_at"])
    _announce_counts(ticket.hall_id)
    audit.record("ticket.cancel", obj=ticket, by=by, before={"state": before}, after={"state": ticket.state}, reason=reason)
    return ticket


def _pick_next(window: Window, day: dt.date) -> Ticket | None:
    """The highest-priority, earliest waiting ticket this window may take, locked for us."""
    served = window.categories.filter(active=True).values("pk")
    rows = (
        Ticket.objects.filter(hall_id=window.hall_id, day=day, state=TicketState.WAITING)
        .filter(Q(target_window=window) | Q(target_window__isnull=True, category_id__in=served))
        .order_by("-priority_rank", "queued_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        # Another window's transaction holds the best row: take the next one instead of waiting for it.
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    # SQLite has no row locks: the IMMEDIATE transaction (settings) already serializes writers.
    # No join here: the planner can then walk the queue index in order and stop at the first free row.
    return rows.first()


@transaction.atomic
def call_next(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket | None:
    """Call the next ticket (叫号) to this window; None when nobody waits for it."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    if window.status != WindowStatus.OPEN:
        raise Conflict(f"{window}处于“{window.get_status_display()}”状态，不能叫号", code=ErrorCode.WINDOW_NOT_OPEN)
    current = window.current_ticket
    if current is not None and current.state in ACTIVE_AT_WINDOW:
        raise WindowBusy(f"{window}正在处理 {current.number}，请先办结、过号或转移")
    now = _now(at)
    ticket = _pick_next(window, timezone.localdate(now))
    if ticket is None:
        return None
    before = _move(ticket, TicketState.CALLED)
    ticket.window = window
    ticket.called_at = now
    ticket.called_by = by
    ticket.save(update_fields=["state", "window", "called_at", "called_by"])
    window.current_ticket = ticket
    window.save(update_fields=["current_ticket"])
    _announce(ticket, window, "call")
    audit.record("ticket.call", obj=ticket, by=by, before={"state": before},
                 after={"state": ticket.state, "window": window.number})
    return ticket


@transaction.atomic
def recall(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Call the current ticket again (重呼), up to the hall's limit."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    ticket = _current(window)
    if ticket.state != TicketState.CALLED:
        raise IllegalTransition(f"{ticket.number} 已在办理中，无需重呼")
    limit = selectors.policy_for(window.hall_id).max_recalls
    if ticket.recall_count >= limit:
        raise Conflict(f"{ticket.number} 已重呼 {limit} 次，请做过号处理", code=ErrorCode.RECALL_LIMIT)
    _move(ticket, TicketState.CALLED)
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    _announce(ticket, window, "recall")
    audit.record("ticket.recall", obj=ticket, by=by, after={"recall_count": ticket.recall_count})
    return ticket


@transaction.atomic
def start_serving(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """The person has arrived at the window: start handling (开始办理)."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    ticket = _current(window)
    before = _move(ticket, TicketState.SERVING)
    ticket.serving_started_at = _now(at)
    ticket.save(update_fields=["state", "serving_started_at"])
    _announce(ticket, window, "serving")
    audit.record("ticket.serve", obj=ticket, by=by, before={"state": before}, after={"state": ticket.state})
    return ticket


@transaction.atomic
def finish(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Finish the current ticket (办结). Finishing a called ticket counts its service from the call."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    ticket = _current(window)
    before = _move(ticket, TicketState.DONE)
    now = _now(at)
    ticket.serving_started_at = ticket.serving_started_at or ticket.called_at
    ticket.finished_at = now
    ticket.save(update_fields=["state", "serving_started_at", "finished_at"])
    window.current_ticket = None
    window.save(update_fields=["current_ticket"])
    _announce(ticket, window, "finish")
    audit.record("ticket.finish", obj=ticket, by=by, before={"state": before}, after={"state": ticket.state})
    return ticket


@transaction.atomic
def mark_no_show(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Nobody came (过号): close the call; the ticket may be reactivated once within the hall's time."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    ticket = _current(window)
    before = _move(ticket, TicketState.NO_SHOW)
    ticket.no_show_at = _now(at)
    ticket.save(update_fields=["state", "no_show_at"])
    window.current_ticket = None
    window.save(update_fields=["current_ticket"])
    _announce(ticket, window, "no_show")
    audit.record("ticket.no_show", obj=ticket, by=by, before={"state": before}, after={"state": ticket.state})
    return ticket


@transaction.atomic
def reactivate_ticket(*, ticket: Ticket, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Put a no-show ticket back in the queue (过号恢复), once, within the hall's time; it joins the end."""
    _require_staff(by)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.state == TicketState.NO_SHOW and ticket.reactivated_at is not None:
        raise Conflict(f"{ticket.number} 已恢复过一次，不能再次恢复，请重新取号", code=ErrorCode.ALREADY_REACTIVATED)
    now = _now(at)
    if ticket.state == TicketState.NO_SHOW:
        minutes = selectors.policy_for(ticket.hall_id).reactivate_within_minutes
        if now - ticket.no_show_at > dt.timedelta(minutes=minutes):
            raise Conflict(f"{ticket.number} 过号已超过 {minutes} 分钟，请重新取号", code=ErrorCode.REACTIVATION_EXPIRED)
    before = _move(ticket, TicketState.WAITING)
    ticket.reactivated_at = now
    ticket.queued_at = now
    ticket.window = None
    ticket.save(update_fields=["state", "reactivated_at", "queued_at", "window"])
    _announce_counts(ticket.hall_id)
    audit.record("ticket.reactivate", obj=ticket, by=by, before={"state": before}, after={"state": ticket.state})
    return ticket


@transaction.atomic
def transfer(
    *,
    window: Window,
    by: User | None,
    category: ServiceCategory | None = None,
    target_window: Window | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Ticket:
    """Send the current ticket to another category or a named window (转移); it keeps its place in line."""
    window = _locked_window(window)
    _require_window_staff(by, window)
    if category is None and target_window is None:
        raise InvalidInput("请指定转入的业务类别或窗口", fields={"category": "required"})
    if category is not None and (category.hall_id != window.hall_id or not category.active):
        raise InvalidInput("转入的业务类别不在本大厅或已停用", fields={"category": "other_hall"})
    if target_window is not None:
        if target_window.hall_id != window.hall_id:
            raise InvalidInput("转入的窗口不在本大厅", fields={"window": "other_hall"})
        if target_window.pk == window.pk:
            raise InvalidInput("不能转给本窗口", fields={"window": "same_window"})
    old = _current(window)
    before = _move(old, TicketState.TRANSFERRED)
    now = _now(at)
    old.finished_at = now
    old.serving_started_at = old.serving_started_at or old.called_at
    old.save(update_fields=["state", "finished_at", "serving_started_at"])
    new = Ticket.objects.create(
        hall_id=old.hall_id,
        category=category or old.category,
        day=old.day,
        sequence=old.sequence,
        number=old.number,
        code=old.code,
        issued_at=old.issued_at,
        queued_at=old.queued_at,
        priority=old.priority,
        priority_rank=old.priority_rank,
        identity_masked=old.identity_masked,
        identity_key=old.identity_key,
        mobile_masked=old.mobile_masked,
        appointment=old.appointment,
        target_window=target_window,
        transferred_from=old,
    )
    window.current_ticket = None
    window.save(update_fields=["current_ticket"])
    _announce(old, window, "transfer")
    audit.record(
        "ticket.transfer", obj=old, by=by, before={"state": before, "category": old.category_id},
        after={"state": old.state, "new_ticket": new.pk, "category": new.category_id,
               "window": target_window.number if target_window else None},
        reason=reason,
    )
    return new


# -- windows -------------------------------------------------------------------------------------


def _set_window_status(window: Window, by: User | None, allowed_from: set[str], to: str, action: str) -> Window:
    window = _locked_window(window)
    _require_window_staff(by, window)
    before = window.status
    if before not in allowed_from:
        raise IllegalTransition(f"{window}当前为“{window.get_status_display()}”，不能改为“{WindowStatus(to).label}”")
    if to == WindowStatus.CLOSED and window.current_ticket and window.current_ticket.state in ACTIVE_AT_WINDOW:
        raise WindowBusy(f"{window}还有未处理完的 {window.current_ticket.number}")
    window.status = to
    fields = ["status"]
    if to == WindowStatus.OPEN and before == WindowStatus.CLOSED:
        window.operator = by
        fields.append("operator")
    if to == WindowStatus.CLOSED:
        window.operator = None
        fields.append("operator")
    window.save(update_fields=fields)
    hall_id, number, status = window.hall_id, window.number, window.status
    events.send_on_commit(
        [events.hall_group(hall_id), events.window_group(window.pk)],
        {"kind": "window", "window": number, "status": status},
    )
    audit.record(action, obj=window, by=by, before={"status": before}, after={"status": to})
    return window


@transaction.atomic
def open_window(*, window: Window, by: User | None) -> Window:
    """Open the window for the day (开窗) with the signed-in clerk as its operator."""
    return _set_window_status(window, by, {WindowStatus.CLOSED}, WindowStatus.OPEN, "window.open")


@transaction.atomic
def pause_window(*, window: Window, by: User | None) -> Window:
    """Pause calling (暂停服务); the current ticket can still be finished."""
    return _set_window_status(window, by, {WindowStatus.OPEN}, WindowStatus.PAUSED, "window.pause")


@transaction.atomic
def resume_window(*, window: Window, by: User | None) -> Window:
    """Resume calling after a pause (恢复服务)."""
    return _set_window_status(window, by, {WindowStatus.PAUSED}, WindowStatus.OPEN, "window.resume")


@transaction.atomic
def close_window(*, window: Window, by: User | None) -> Window:
    """Close the window (关窗) once its current ticket is dealt with."""
    return _set_window_status(
        window, by, {WindowStatus.OPEN, WindowStatus.PAUSED}, WindowStatus.CLOSED, "window.close"
    )


# -- appointments --------------------------------------------------------------------------------


def _slot_start(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.start))


def _slot_end(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.end))


@transaction.atomic
def create_slots(
    *,
    category: ServiceCategory,
    day: dt.date,
    bands: list[tuple[dt.time, dt.time]],
    capacity: int,
    by: User | None,
) -> list[AppointmentSlot]:
    """Open bookable time bands of a category on a day (放号); existing bands keep their bookings."""
    _require_staff(by)
    if capacity < 1:
        raise InvalidInput("每个时段至少可约 1 人", fields={"capacity": "min"})
    slots = []
    for start, end in bands:
        if end <= start:
            raise InvalidInput(f"时段 {start:%H:%M}-{end:%H:%M} 结束时间须晚于开始时间", fields={"bands": "order"})
        slot, created = AppointmentSlot.objects.get_or_create(
            category=category, day=day, start=start, defaults={"end": end, "capacity": capacity}
        )
        if created:
            slots.append(slot)
    audit.record("slots.create", obj=category, by=by, after={"day": day.isoformat(), "created": len(slots)})
    return slots


@transaction.atomic
def book_appointment(
    *,
    slot: AppointmentSlot,
    identity_number: str,
    mobile: str,
    name: str = "",
    by: User | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """Book a slot (预约) for a person; never beyond its capacity, one live booking per person per day."""
    number = normalize_identity_number(identity_number)
    mobile = _normalize_mobile(mobile)
    name = (name or "").strip()
    if len(name) > 40:
        raise InvalidInput("姓名过长", fields={"name": "max_length"})
    slot = AppointmentSlot.objects.select_related("category").get(pk=slot.pk)
    category = slot.category
    if not (category.active and category.bookable):
        raise Conflict(f"“{category.name}”不接受预约", code=ErrorCode.NOT_BOOKABLE)
    now = _now(at)
    policy = selectors.policy_for(category.hall_id)
    today = timezone.localdate(now)
    if _slot_start(slot) <= now:
        raise Conflict("该时段已开始或已过，不能预约", code=ErrorCode.SLOT_PAST)
    if slot.day > today + dt.timedelta(days=policy.booking_horizon_days):
        raise Conflict(f"最多可提前 {policy.booking_horizon_days} 天预约", code=ErrorCode.BOOKING_TOO_FAR_AHEAD)
    key = identity_key(number)
    blocked_until = selectors.booking_blocked_until(key, policy=policy, today=today)
    if blocked_until is not None:
        raise BookingBlocked(
            f"近 {policy.missed_window_days} 天内爽约 {policy.missed_limit} 次及以上，"
            f"{blocked_until.isoformat()} 前不能网上预约"
        )
    # The conditional update is the capacity check: concurrent bookings cannot both take the last place.
    taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise Conflict("该时段已约满，请选择其他时段", code=ErrorCode.SLOT_FULL)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    slot=slot, day=slot.day, code=_random_code(8), identity_key=key,
                    identity_masked=mask_identity(number), mobile=mobile, name=name, booked_at=now,
                    booked_by=by if getattr(by, "pk", None) else None,
                )
            break
        except IntegrityError:
            if Appointment.objects.filter(
                identity_key=key, day=slot.day, state__in=[AppointmentState.BOOKED, AppointmentState.CHECKED_IN]
            ).exists():
                raise Conflict("同一身份证号每天只能预约一次", code=ErrorCode.ALREADY_BOOKED) from None
    else:  # pragma: no cover - eight random characters colliding five times
        raise Conflict("预约码生成失败，请重试", code=ErrorCode.BOOKING_CODE_COLLISION)
    audit.record("appointment.book", obj=appointment, by=by,
                 after={"slot": slot.pk, "code": appointment.code, "identity": appointment.identity_masked})
    return appointment


@transaction.atomic
def cancel_appointment(
    *,
    appointment: Appointment,
    identity_number: str = "",
    by: User | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """Cancel a booking (取消预约) up to the hall's cut-off; the place returns to the slot."""
    appointment = Appointment.objects.select_for_update().select_related("slot__category").get(pk=appointment.pk)
    is_staff = by is not None and by.is_authenticated and (by.is_superuser or by.role in WINDOW_ROLES)
    if not is_staff:
        number = normalize_identity_number(identity_number)
        if not hmac.compare_digest(identity_key(number), appointment.identity_key):
            raise PermissionDenied("身份证号与预约不符")
    if appointment.state != AppointmentState.BOOKED:
        raise IllegalTransition(f"预约当前为“{appointment.get_state_display()}”，不能取消")
    slot = appointment.slot
    policy = selectors.policy_for(slot.category.hall_id)
    now = _now(at)
    if not is_staff and now > _slot_start(slot) - dt.timedelta(minutes=policy.cancel_before_minutes):
        raise Conflict(f"须在预约开始前 {policy.cancel_before_minutes} 分钟以上取消", code=ErrorCode.TOO_LATE_TO_CANCEL)
    appointment.state = AppointmentState.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["state", "cancelled_at"])
    AppointmentSlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
    audit.record("appointment.cancel", obj=appointment, by=by, before={"state": AppointmentState.BOOKED},
                 after={"state": appointment.state})
    return appointment


@transaction.atomic
def check_in(*, appointment: Appointment, by: User | None = None, at: dt.datetime | None = None) -> Ticket:
    """Check in a booking (签到) at the kiosk or the window: it becomes a priority ticket."""
    appointment = Appointment.objects.select_for_update().select_related("slot__category").get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise IllegalTransition(f"预约当前为“{appointment.get_state_display()}”，不能签到")
    slot = appointment.slot
    policy = selectors.policy_for(slot.category.hall_id)
    now = _now(at)
    opens = _slot_start(slot) - dt.timedelta(minutes=policy.checkin_early_minutes)
    closes = _slot_end(slot) + dt.timedelta(minutes=policy.checkin_grace_minutes)
    if now < opens:
        raise Conflict(f"请在 {timezone.localtime(opens):%Y-%m-%d %H:%M} 之后签到", code=ErrorCode.CHECK_IN_TOO_EARLY)
    if now > closes:
        raise Conflict("预约时段已过，请重新取号", code=ErrorCode.CHECK_IN_TOO_LATE)
    appointment.state = AppointmentState.CHECKED_IN
    appointment.checked_in_at = now
    appointment.save(update_fields=["state", "checked_in_at"])
    if not slot.category.active:
        raise Conflict(f"业务类别“{slot.category.name}”已停用", code=ErrorCode.CATEGORY_INACTIVE)
    ticket = _issue(
        category=slot.category, priority=Priority.APPOINTMENT, identity_key=appointment.identity_key,
        identity_masked=appointment.identity_masked, mobile_masked=appointment.mobile_masked,
        appointment=appointment, by=by, now=now,
    )
    audit.record("appointment.check_in", obj=appointment, by=by, before={"state": AppointmentState.BOOKED},
                 after={"state": appointment.state, "ticket": ticket.number})
    return ticket


@transaction.atomic
def expire_appointments(*, at: dt.datetime | None = None) -> int:
    """Mark bookings whose time has passed without a check-in as missed (爽约); returns how many."""
    now = _now(at)
    rows = (
        Appointment.objects.select_for_update()
        .select_related("slot__category")
        .filter(state=AppointmentState.BOOKED, day__lte=timezone.localdate(now))
    )
    missed = []
    for appointment in rows:
        grace = selectors.policy_for(appointment.slot.category.hall_id).checkin_grace_minutes
        if _slot_end(appointment.slot) + dt.timedelta(minutes=grace) < now:
            missed.append(appointment.pk)
    if missed:
        Appointment.objects.filter(pk__in=missed).update(state=AppointmentState.MISSED)
        audit.record("appointment.expire", object_type="hall.appointment", object_id=",".join(map(str, missed))[:64],
                     after={"missed": missed})
    return len(missed)


# -- lost and found ------------------------------------------------------------------------------

_PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


@transaction.atomic
def register_found_item(
    *,
    hall: Hall,
    description: str,
    found_place: str,
    found_at: dt.datetime,
    storage_place: str,
    by: User | None,
    photo: UploadedFile | None = None,
    finder_note: str = "",
    published: bool = True,
) -> FoundItem:
    """Register a found item (失物登记); it is published without any personal data."""
    _require_staff(by)
    fields = {}
    for label, value, limit in (("description", description, 200), ("found_place", found_place, 100),
                                ("storage_place", storage_place, 100)):
        if not (value or "").strip():
            fields[label] = "required"
        elif len(value.strip()) > limit:
            fields[label] = "max_length"
    if fields:
        raise InvalidInput("请填写物品描述、拾获地点和保管位置（不超过规定长度）", fields=fields)
    if found_at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput("拾获时间不能晚于现在", fields={"found_at": "future"})
    if photo is not None:
        if getattr(photo, "content_type", "") not in _PHOTO_TYPES:
            raise InvalidInput("照片须为 JPEG、PNG 或 WebP 图片", fields={"photo": "type"})
        if photo.size > settings.MAX_UPLOAD_BYTES:
            raise InvalidInput("照片过大", fields={"photo": "size"})
    item = FoundItem.objects.create(
        hall=hall, description=description.strip(), found_place=found_place.strip(), found_at=found_at,
        storage_place=storage_place.strip(), finder_note=(finder_note or "").strip()[:100], published=published,
        registered_at=timezone.now(), registered_by=by,
    )
    if photo is not None:
        item.photo.save(f"{item.pk}-{secrets.token_hex(4)}{_photo_suffix(photo.content_type)}", photo, save=True)
    audit.record("found_item.register", obj=item, by=by, after={"description": item.description})
    return item


def _photo_suffix(content_type: str) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]


@transaction.atomic
def hand_over_found_item(
    *,
    item: FoundItem,
    owner_name: str,
    identity_number: str,
    identity_checked: bool,
    by: User | None,
    mobile: str = "",
    at: dt.datetime | None = None,
) -> FoundItem:
    """Hand an item back to its owner (认领) after checking their identity card."""
    _require_staff(by)
    if not identity_checked:
        raise InvalidInput("请先核验领取人身份证件", fields={"identity_checked": "required"})
    if not (owner_name or "").strip():
        raise InvalidInput("请填写领取人姓名", fields={"owner_name": "required"})
    number = normalize_identity_number(identity_number)
    mobile_masked = mask_mobile(_normalize_mobile(mobile)) if mobile else ""
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if item.state != FoundItemState.STORED:
        raise IllegalTransition(f"该物品当前为“{item.get_state_display()}”，不能再领取")
    item.state = FoundItemState.RETURNED
    item.owner_name = owner_name.strip()[:40]
    item.owner_identity_masked = mask_identity(number)
    item.owner_mobile_masked = mobile_masked
    item.returned_at = _now(at)
    item.returned_by = by
    item.published = False
    item.save()
    audit.record("found_item.return", obj=item, by=by, before={"state": FoundItemState.STORED},
                 after={"state": item.state, "owner": item.owner_identity_masked})
    return item


@transaction.atomic
def dispose_found_item(*, item: FoundItem, by: User | None, reason: str) -> FoundItem:
    """Hand an unclaimed item over to the authorities or dispose of it (逾期处置), with a reason."""
    _require_staff(by)
    if not (reason or "").strip():
        raise InvalidInput("请填写处置原因", fields={"reason": "required"})
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if item.state != FoundItemState.STORED:
        raise IllegalTransition(f"该物品当前为“{item.get_state_display()}”，不能处置")
    item.state = FoundItemState.DISPOSED
    item.published = False
    item.save(update_fields=["state", "published"])
    audit.record("found_item.dispose", obj=item, by=by, before={"state": FoundItemState.STORED},
                 after={"state": item.state}, reason=reason.strip())
    return item
