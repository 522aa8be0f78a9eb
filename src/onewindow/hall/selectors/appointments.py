"""Reads of appointments: bookable bands, missed bookings and the booking block, today's booking to check in."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.core.identity import canonical_number
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    Confirmation,
    HallOpenDay,
    HallPolicy,
    ServiceCategory,
)


def bookable_slots(category: ServiceCategory, *, start: dt.date, end: dt.date) -> QuerySet[AppointmentSlot]:
    """The category's time bands from `start` to `end`, without those on days its hall is closed (rest days not
    declared open, `is_open_on`)."""
    closed = closed_days(category.hall_id, start, end) if start <= end else set()
    return AppointmentSlot.objects.filter(category=category, day__gte=start, day__lte=end).exclude(
        day__in=closed).order_by("day", "start")


def missed_count(identity_key: str, *, holder_key: str, since: dt.date, today: dt.date) -> tuple[int, dt.date | None]:
    """Confirmed bookings missed since a day (marked missed, or still booked for a day already past) that are the
    person's own: confirmed by their 实名 account (any mobile), or by a code sent to this holder's mobile.
    Unconfirmed bookings never count, nor those someone confirmed with another mobile in this person's number."""
    own = Q(holder_key=holder_key, confirmed_via=Confirmation.CODE) | Q(identity_key=identity_key,
                                                                       confirmed_via=Confirmation.ACCOUNT)
    rows = Appointment.objects.filter(own, day__gte=since, day__lte=today).filter(
        Q(state=AppointmentState.MISSED) | Q(state=AppointmentState.BOOKED, day__lt=today)
    )
    agg = rows.aggregate(n=Count("id"), last=Max("day"))
    return agg["n"], agg["last"]


def booking_blocked_until(identity_key: str, *, holder_key: str, policy: HallPolicy, today: dt.date) -> dt.date | None:
    """The day online booking opens again for a holder who missed too many of their own confirmed bookings
    (`missed_count`), else None."""
    since = today - dt.timedelta(days=policy.missed_window_days)
    count, last = missed_count(identity_key, holder_key=holder_key, since=since, today=today)
    if count < policy.missed_limit or last is None:
        return None
    until = last + dt.timedelta(days=policy.booking_block_days)
    return until if until > today else None


def appointment_for_check_in(hall: Hall, *, code: str = "", identity_key: str = "") -> Appointment | None:
    """Today's live booking in this hall, by booking code (canonical: full-width and spaces allowed) or by the
    person's identity key."""
    rows = Appointment.objects.select_related("slot__category").filter(
        slot__category__hall=hall, day=timezone.localdate(), state=AppointmentState.BOOKED
    )
    if code:
        return rows.filter(code=canonical_number(code)).first()
    if identity_key:
        return rows.filter(identity_key=identity_key).order_by("slot__start").first()
    return None


def is_open_on(hall_id: int, day: dt.date) -> bool:
    """Whether a hall receives appointments on `day`: a working day by the calendar, or a rest day on which it is
    declared open (HallOpenDay). CalendarNotLoaded (422) when not even a provisional year knows the day."""
    from onewindow.workdays.selectors import is_working_day

    return is_working_day(day) or HallOpenDay.objects.filter(hall_id=hall_id, day=day).exists()


# How far `booking_days` looks for the horizon's open days: beyond any run of rest days (Spring Festival with its
# weekends is under two weeks), so a horizon of up to 60 open days is found whole.
_BOOKING_SEARCH_DAYS = 120


def booking_days(hall_id: int, *, today: dt.date, horizon: int) -> list[dt.date]:
    """The bookable days (可预约日期): the first `horizon` days from `today` (included) on which the hall receives
    appointments — working days by the calendar, and rest days it is declared open (HallOpenDay). The policy's
    `booking_horizon_days` counts these open days, not calendar days: "7 days ahead" over a weekend reaches the
    ninth calendar day. Days the calendar does not know are closed, so the list may be shorter at its end."""
    end = today + dt.timedelta(days=min(_BOOKING_SEARCH_DAYS, max(horizon, 0) * 3 + 30))
    closed = closed_days(hall_id, today, end)
    days: list[dt.date] = []
    day = today
    while day <= end and len(days) < horizon:
        if day not in closed:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def closed_days(hall_id: int, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days from `start` to `end` on which the hall receives no appointments (rest days not declared open);
    days the calendar does not know count as closed."""
    from onewindow.workdays.selectors import get_calendar

    calendar = get_calendar()
    opened = set(HallOpenDay.objects.filter(hall_id=hall_id, day__range=(start, end)).values_list("day", flat=True))
    closed = set()
    day = start
    while day <= end:
        if day not in opened and not (calendar.covers(day) and calendar.is_working_day(day)):
            closed.add(day)
        day += dt.timedelta(days=1)
    return closed
