"""Appointment acts (预约): open time bands, book, cancel, check in (it becomes a priority ticket), expire."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.identity import mask_identity, normalize_identity_number, normalize_mobile
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.hall import events, selectors
from onewindow.hall.acts.common import (
    BookingBlocked,
    identity_key,
    is_hall_staff,
    random_code,
    require_hall_staff,
    staff_id_of,
)
from onewindow.hall.acts.configuration import check_band
from onewindow.hall.acts.tickets import issue
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState, Priority, ServiceCategory, Ticket


def slot_start(slot: AppointmentSlot) -> dt.datetime:
    """When a time band begins, as an aware instant."""
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.start))


def slot_end(slot: AppointmentSlot) -> dt.datetime:
    """When a time band ends, as an aware instant."""
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.end))


def _announce(event: Any, appointment: Appointment, *, by: User | None, at: dt.datetime, **payload: Any) -> None:
    slot = appointment.slot
    event.send(event.payload(
        appointment_id=appointment.pk, code=appointment.code, hall_id=slot.category.hall_id,
        category_id=slot.category_id, slot_id=slot.pk, day=slot.day, slot_start=slot_start(slot),
        slot_end=slot_end(slot), state=appointment.state, staff_id=staff_id_of(by), at=at, **payload,
    ))


@composable
def create_slots(
    *,
    category: ServiceCategory,
    day: dt.date,
    bands: list[tuple[dt.time, dt.time]],
    capacity: int,
    by: User | None,
) -> list[AppointmentSlot]:
    """Open bookable time bands of a category on a day (放号); existing bands keep their bookings."""
    require_hall_staff(by)
    if capacity < 1:
        raise InvalidInput("每个时段至少可约 1 人", fields={"capacity": "min"})
    for start, end in bands:
        check_band(start, end, field="bands")
    slots = []
    for start, end in bands:
        slot, created = AppointmentSlot.objects.get_or_create(
            category=category, day=day, start=start, defaults={"end": end, "capacity": capacity}
        )
        if created:
            slots.append(slot)
    audit.record("slots.create", obj=category, by=by, after={"day": day.isoformat(), "created": len(slots)})
    return slots


@composable
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
    mobile = normalize_mobile(mobile)
    name = (name or "").strip()
    if len(name) > 40:
        raise InvalidInput("姓名过长", fields={"name": "max_length"})
    slot = AppointmentSlot.objects.select_related("category").get(pk=slot.pk)
    category = slot.category
    if not (category.active and category.bookable):
        raise Conflict(f"“{category.name}”不接受预约", code=ErrorCode.NOT_BOOKABLE)
    now, today = kit.moment(at)
    policy = selectors.policy_for(category.hall_id)
    if slot_start(slot) <= now:
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
            # A savepoint: a clash on the code or the one-booking-a-day index is undone alone, and the booking
            # tries a new code or says why.
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    slot=slot, day=slot.day, code=random_code(8), identity_key=key,
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
    _announce(events.appointment_booked, appointment, by=by, at=now)
    return appointment


@composable
def cancel_appointment(
    *,
    appointment: Appointment,
    identity_number: str = "",
    by: User | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """Cancel a booking (取消预约) up to the hall's cut-off; the place returns to the slot."""
    appointment = Appointment.objects.select_for_update().select_related("slot__category").get(pk=appointment.pk)
    is_staff = is_hall_staff(by)
    if not is_staff:
        number = normalize_identity_number(identity_number)
        if not hmac.compare_digest(identity_key(number), appointment.identity_key):
            raise PermissionDenied("身份证号与预约不符")
    if appointment.state != AppointmentState.BOOKED:
        raise IllegalTransition(f"预约当前为“{appointment.get_state_display()}”，不能取消")
    slot = appointment.slot
    policy = selectors.policy_for(slot.category.hall_id)
    now, _ = kit.moment(at)
    if not is_staff and now > slot_start(slot) - dt.timedelta(minutes=policy.cancel_before_minutes):
        raise Conflict(f"须在预约开始前 {policy.cancel_before_minutes} 分钟以上取消", code=ErrorCode.TOO_LATE_TO_CANCEL)
    appointment.state = AppointmentState.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["state", "cancelled_at"])
    AppointmentSlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
    audit.record("appointment.cancel", obj=appointment, by=by, before={"state": AppointmentState.BOOKED},
                 after={"state": appointment.state})
    _announce(events.appointment_cancelled, appointment, by=by, at=now)
    return appointment


@composable
def check_in(*, appointment: Appointment, by: User | None = None, at: dt.datetime | None = None) -> Ticket:
    """Check in a booking (签到) at the kiosk or the window: it becomes a priority ticket."""
    appointment = Appointment.objects.select_for_update().select_related("slot__category").get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise IllegalTransition(f"预约当前为“{appointment.get_state_display()}”，不能签到")
    slot = appointment.slot
    policy = selectors.policy_for(slot.category.hall_id)
    now, _ = kit.moment(at)
    opens = slot_start(slot) - dt.timedelta(minutes=policy.checkin_early_minutes)
    closes = slot_end(slot) + dt.timedelta(minutes=policy.checkin_grace_minutes)
    if now < opens:
        raise Conflict(f"请在 {timezone.localtime(opens):%Y-%m-%d %H:%M} 之后签到", code=ErrorCode.CHECK_IN_TOO_EARLY)
    if now > closes:
        raise Conflict("预约时段已过，请重新取号", code=ErrorCode.CHECK_IN_TOO_LATE)
    appointment.state = AppointmentState.CHECKED_IN
    appointment.checked_in_at = now
    appointment.save(update_fields=["state", "checked_in_at"])
    ticket = issue(slot.category, by=by, at=now, priority=Priority.APPOINTMENT, identity_key=appointment.identity_key,
                   identity_masked=appointment.identity_masked, mobile_masked=appointment.mobile_masked,
                   appointment=appointment)
    audit.record("appointment.check_in", obj=appointment, by=by, before={"state": AppointmentState.BOOKED},
                 after={"state": appointment.state, "ticket": ticket.number})
    _announce(events.appointment_checked_in, appointment, by=by, at=now, ticket_id=ticket.pk,
              ticket_number=ticket.number)
    return ticket


@composable
def expire_appointments(*, at: dt.datetime | None = None) -> int:
    """Mark bookings whose time has passed without a check-in as missed (爽约); returns how many."""
    now, today = kit.moment(at)
    rows = (
        Appointment.objects.select_for_update()
        .select_related("slot__category")
        .filter(state=AppointmentState.BOOKED, day__lte=today)
    )
    missed = []
    for appointment in rows:
        grace = selectors.policy_for(appointment.slot.category.hall_id).checkin_grace_minutes
        if slot_end(appointment.slot) + dt.timedelta(minutes=grace) < now:
            missed.append(appointment.pk)
    if missed:
        Appointment.objects.filter(pk__in=missed).update(state=AppointmentState.MISSED)
        audit.record("appointment.expire", object_type="hall.appointment", object_id=",".join(map(str, missed))[:64],
                     after={"missed": missed})
    return len(missed)
