"""Appointment acts (预约): open time bands, book, cancel, check in (it becomes a priority ticket), expire."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from onewindow.core import audit, kit, sms
from onewindow.core.errors import Conflict, DomainError, ErrorCode, IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.identity import mask_identity, normalize_identity_number, normalize_mobile
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.hall import events, selectors
from onewindow.hall.acts.common import (
    BookingBlocked,
    code_digest,
    holder_key,
    identity_key,
    is_hall_staff,
    random_code,
    require_hall_staff,
    staff_id_of,
)
from onewindow.hall.acts.configuration import check_band
from onewindow.hall.acts.tickets import issue
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    Confirmation,
    Priority,
    ServiceCategory,
    Ticket,
)

LIVE_STATES = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)


def slot_start(slot: AppointmentSlot) -> dt.datetime:
    """When a time band begins, as an aware instant."""
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.start))


def slot_end(slot: AppointmentSlot) -> dt.datetime:
    """When a time band ends, as an aware instant."""
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.end))


def require_open(hall_id: int, day: dt.date, *, field: str = "day") -> None:
    """Conflict (409 hall_closed, naming `field`) on a rest day — a statutory holiday or a weekend day that is not an
    adjusted working day — unless the hall is declared open that day (HallOpenDay); CalendarNotLoaded (422) when
    not even a provisional calendar year knows the day."""
    if not selectors.is_open_on(hall_id, day):
        raise Conflict(f"{day:%Y-%m-%d} 为休息日（法定节假日或周末），本大厅未声明当天开放，不能开放或预约时段",
                       code=ErrorCode.HALL_CLOSED, fields={field: "closed"})


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
    require_open(category.hall_id, day)
    slots = []
    for start, end in bands:
        slot, created = AppointmentSlot.objects.get_or_create(
            category=category, day=day, start=start, defaults={"end": end, "capacity": capacity}
        )
        if created:
            slots.append(slot)
    audit.record("slots.create", obj=category, by=by, after={"day": day.isoformat(), "created": len(slots)})
    return slots


def holds_identity(by: Any, number: str) -> bool:
    """Whether `by` is a signed-in account whose verified holder (实名) is the person with this identity number."""
    return kit.is_signed_in(by) and by.holds_identity(number)


def _release(rows: list[Appointment], *, state: str) -> None:
    """Unconfirmed bookings lapse (or are replaced): each gives its place back to its slot."""
    for appointment in rows:
        Appointment.objects.filter(pk=appointment.pk).update(state=state, code_digest="")
        AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _lapsed(now: dt.datetime, **filters: Any) -> list[Appointment]:
    return list(Appointment.objects.select_for_update().filter(
        state=AppointmentState.PENDING, expires_at__lt=now, **filters))


def new_confirmation_code(appointment: Appointment) -> str:
    """A fresh six-digit one-time code for a pending booking, replacing any earlier one; only its keyed digest is
    kept. The caller sends it to the booking's mobile (the booking act does; the demo plays the person)."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    appointment.code_digest = code_digest(appointment.code, code)
    appointment.code_attempts = 0
    appointment.save(update_fields=["code_digest", "code_attempts"])
    return code


def _check_holder_may_book(key: str, holder: str, day: dt.date, policy: Any, today: dt.date) -> None:
    """The holder is not blocked for missed bookings, and has no confirmed booking that day (said at once, before
    a code is sent that could only fail at confirmation)."""
    blocked_until = selectors.booking_blocked_until(key, holder_key=holder, policy=policy, today=today)
    if blocked_until is not None:
        raise BookingBlocked(
            f"近 {policy.missed_window_days} 天内爽约 {policy.missed_limit} 次及以上，"
            f"{blocked_until.isoformat()} 前不能网上预约"
        )
    if Appointment.objects.filter(holder_key=holder, day=day,
                                  state__in=[AppointmentState.BOOKED, AppointmentState.CHECKED_IN]).exists():
        raise Conflict("同一身份证号每天只能预约一次", code=ErrorCode.ALREADY_BOOKED)


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
    """Book a slot (预约) for a person; never beyond its capacity, one confirmed booking per holder per day.

    Confirmed at once (state `booked`) when `by` is a signed-in account whose 实名 identity is the booked one;
    otherwise the booking is `pending`: it holds its place for HALL_BOOKING_CONFIRM_MINUTES (10) minutes while a
    six-digit code goes to `mobile` by SMS (`confirm_appointment`), and lapses (`expired`) if not confirmed.
    The holder is the identity number with the mobile (`holder_key`): the one-a-day rule and the no-show block
    count confirmed bookings of the holder. Raises InvalidIdentityNumber / InvalidInput (422), Conflict (409:
    not_bookable, slot_past, booking_too_far_ahead, slot_full, already_booked), BookingBlocked (403).
    """
    number = normalize_identity_number(identity_number, "identity_number")
    mobile = normalize_mobile(mobile)
    name = (name or "").strip()
    if len(name) > 40:
        raise InvalidInput("姓名过长", fields={"name": "max_length"})
    slot = AppointmentSlot.objects.select_related("category").get(pk=slot.pk)
    category = slot.category
    if not (category.active and category.bookable):
        raise Conflict(f"“{category.name}”不接受预约", code=ErrorCode.NOT_BOOKABLE)
    require_open(category.hall_id, slot.day, field="slot")
    now, today = kit.moment(at)
    policy = selectors.policy_for(category.hall_id)
    if slot_start(slot) <= now:
        raise Conflict("该时段已开始或已过，不能预约", code=ErrorCode.SLOT_PAST)
    if slot.day not in selectors.booking_days(category.hall_id, today=today, horizon=policy.booking_horizon_days):
        raise Conflict(f"最多可预约今后 {policy.booking_horizon_days} 个开放日（工作日及大厅开放的休息日）",
                       code=ErrorCode.BOOKING_TOO_FAR_AHEAD)
    key, holder = identity_key(number), holder_key(number, mobile)
    _check_holder_may_book(key, holder, slot.day, policy, today)
    confirmed = holds_identity(by, number)
    # Places held by lapsed bookings of this slot return first; a holder's own earlier unconfirmed booking that
    # day is replaced by this one (one place held per holder).
    _release(_lapsed(now, slot=slot), state=AppointmentState.EXPIRED)
    _release(list(Appointment.objects.select_for_update().filter(
        state=AppointmentState.PENDING, holder_key=holder, day=slot.day)), state=AppointmentState.EXPIRED)
    # The conditional update is the capacity check: concurrent bookings cannot both take the last place.
    taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise Conflict("该时段已约满，请选择其他时段", code=ErrorCode.SLOT_FULL)
    state = AppointmentState.BOOKED if confirmed else AppointmentState.PENDING
    for _attempt in range(5):
        try:
            # A savepoint: a clash on the code or the one-booking-a-day index is undone alone, and the booking
            # tries a new code or says why.
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    slot=slot, day=slot.day, code=random_code(8), identity_key=key, holder_key=holder,
                    identity_masked=mask_identity(number), mobile=mobile, name=name, booked_at=now,
                    booked_by=by if getattr(by, "pk", None) else None, state=state,
                    confirmed_via=Confirmation.ACCOUNT if confirmed else Confirmation.NONE,
                    confirmed_at=now if confirmed else None,
                    expires_at=None if confirmed else now + dt.timedelta(minutes=settings.HALL_BOOKING_CONFIRM_MINUTES),
                )
            break
        except IntegrityError:
            if Appointment.objects.filter(holder_key=holder, day=slot.day, state__in=LIVE_STATES).exists():
                raise Conflict("同一身份证号每天只能预约一次", code=ErrorCode.ALREADY_BOOKED) from None
    else:  # pragma: no cover - eight random characters colliding five times
        raise Conflict("预约码生成失败，请重试", code=ErrorCode.BOOKING_CODE_COLLISION)
    if not confirmed:
        code = new_confirmation_code(appointment)
        sms.send_sms_on_commit(mobile, (
            f"【{settings.CENTER_NAME}】您的预约验证码为 {code}，{settings.HALL_BOOKING_CONFIRM_MINUTES} 分钟内有效，"
            f"预约码 {appointment.code}。如非本人操作，请忽略。"))
    audit.record("appointment.book", obj=appointment, by=by,
                 after={"slot": slot.pk, "code": appointment.code, "identity": appointment.identity_masked,
                        "state": appointment.state, "confirmed_via": appointment.confirmed_via})
    if confirmed:
        _announce(events.appointment_booked, appointment, by=by, at=now)
    return appointment


@dataclass(frozen=True)
class ConfirmOutcome:
    """What a confirmation attempt did: the booking, and the error to answer when it was refused (the attempt
    itself — a wrong code counted, a lapsed booking released — is kept either way)."""

    appointment: Appointment
    error: DomainError | None = None


@composable
def confirm_appointment(
    *, appointment: Appointment, code: str = "", by: User | None = None, at: dt.datetime | None = None,
) -> ConfirmOutcome:
    """Confirm a pending booking (确认预约) with the code sent to its mobile, or as its 实名 account holder.

    The code is single-use and HALL_BOOKING_CODE_ATTEMPTS (5) wrong tries end the booking; after
    HALL_BOOKING_CONFIRM_MINUTES the booking has lapsed. Returns the outcome instead of raising, so that the
    attempt is recorded: `error` is WRONG_CONFIRMATION_CODE (422) or CONFIRMATION_EXPIRED (409), or Conflict
    (409 already_booked) when the holder already has a confirmed booking that day.
    """
    appointment = Appointment.objects.select_for_update().select_related("slot__category").get(pk=appointment.pk)
    now, _ = kit.moment(at)
    if appointment.state == AppointmentState.BOOKED:
        return ConfirmOutcome(appointment)
    if appointment.state != AppointmentState.PENDING:
        return ConfirmOutcome(appointment, Conflict("该预约已失效，请重新预约", code=ErrorCode.CONFIRMATION_EXPIRED))
    if appointment.expires_at is not None and appointment.expires_at < now:
        _release([appointment], state=AppointmentState.EXPIRED)
        appointment.refresh_from_db()
        return ConfirmOutcome(appointment, Conflict("预约未在规定时间内确认，已失效，请重新预约",
                                                    code=ErrorCode.CONFIRMATION_EXPIRED))
    holder_number = by.identity_number if by is not None and kit.is_signed_in(by) else ""
    by_holder = bool(holder_number) and hmac.compare_digest(identity_key(holder_number), appointment.identity_key)
    given = (code or "").strip()
    if not by_holder and not (given.isascii() and hmac.compare_digest(
            code_digest(appointment.code, given), appointment.code_digest or "-")):
        appointment.code_attempts += 1
        left = settings.HALL_BOOKING_CODE_ATTEMPTS - appointment.code_attempts
        if left <= 0:
            appointment.save(update_fields=["code_attempts"])
            _release([appointment], state=AppointmentState.EXPIRED)
            appointment.refresh_from_db()
            return ConfirmOutcome(appointment, Conflict("验证码错误次数过多，预约已失效，请重新预约",
                                                        code=ErrorCode.CONFIRMATION_EXPIRED))
        appointment.save(update_fields=["code_attempts"])
        return ConfirmOutcome(appointment, InvalidInput(f"验证码错误，还可尝试 {left} 次",
                                                        code=ErrorCode.WRONG_CONFIRMATION_CODE,
                                                        fields={"code": "wrong"}))
    appointment.state = AppointmentState.BOOKED
    appointment.confirmed_via = Confirmation.ACCOUNT if by_holder else Confirmation.CODE
    appointment.confirmed_at = now
    appointment.expires_at = None
    appointment.code_digest = ""  # single use
    try:
        with transaction.atomic():
            appointment.save(update_fields=["state", "confirmed_via", "confirmed_at", "expires_at", "code_digest"])
    except IntegrityError:
        _release([appointment], state=AppointmentState.EXPIRED)
        appointment.refresh_from_db()
        return ConfirmOutcome(appointment, Conflict("同一身份证号每天只能预约一次", code=ErrorCode.ALREADY_BOOKED))
    audit.record("appointment.confirm", obj=appointment, by=by, before={"state": AppointmentState.PENDING},
                 after={"state": appointment.state, "confirmed_via": appointment.confirmed_via})
    _announce(events.appointment_booked, appointment, by=by, at=now)
    return ConfirmOutcome(appointment)


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
        number = normalize_identity_number(identity_number, "identity_number")
        if not hmac.compare_digest(identity_key(number), appointment.identity_key):
            raise PermissionDenied("身份证号与预约不符")
    if appointment.state not in (AppointmentState.BOOKED, AppointmentState.PENDING):
        raise IllegalTransition(f"预约当前为“{appointment.get_state_display()}”，不能取消")
    slot = appointment.slot
    policy = selectors.policy_for(slot.category.hall_id)
    now, _ = kit.moment(at)
    was = appointment.state
    if was == AppointmentState.BOOKED and not is_staff \
            and now > slot_start(slot) - dt.timedelta(minutes=policy.cancel_before_minutes):
        raise Conflict(f"须在预约开始前 {policy.cancel_before_minutes} 分钟以上取消", code=ErrorCode.TOO_LATE_TO_CANCEL)
    appointment.state = AppointmentState.CANCELLED
    appointment.cancelled_at = now
    appointment.code_digest = ""
    appointment.save(update_fields=["state", "cancelled_at", "code_digest"])
    AppointmentSlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
    audit.record("appointment.cancel", obj=appointment, by=by, before={"state": was},
                 after={"state": appointment.state})
    if was == AppointmentState.BOOKED:  # an unconfirmed booking was never announced
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
    """Mark bookings whose time has passed without a check-in as missed (爽约), and release the places of
    unconfirmed bookings that lapsed (never missed: they were never the holder's); returns how many were missed."""
    now, today = kit.moment(at)
    lapsed = _lapsed(now)
    if lapsed:
        _release(lapsed, state=AppointmentState.EXPIRED)
        audit.record("appointment.lapse", object_type="hall.appointment",
                     object_id=",".join(str(a.pk) for a in lapsed)[:64], after={"expired": [a.pk for a in lapsed]})
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
