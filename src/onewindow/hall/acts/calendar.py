"""The calendar changed (工作日历调整): appointments on a day that is now a rest day are cancelled, in the transaction
of the holiday edit (`workdays.events.calendar_changed`), unless their hall is declared open that day.

A time band stays (it is the bookings' history) but takes no booking on a closed day (`require_open`). Each live
booking on it (预约, not yet checked in) is cancelled — never counted as a no-show — audited as
`appointment.cancel` with the calendar change as its reason, and its account, when it was booked signed in, is
told after commit. A day that became a working day moves nothing: no band was open on it.
"""

from __future__ import annotations

from django.db.models import F

from onewindow.cases.notifications import notify_on_commit
from onewindow.core import audit
from onewindow.hall import selectors
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState
from onewindow.workdays.events import CalendarChanged
from onewindow.workdays.selectors import get_calendar


def on_calendar_changed(event: CalendarChanged) -> None:
    """Receiver of `workdays.events.calendar_changed`: cancel the bookings of the days that are now closed, those
    confirmed and those still waiting for their code (both hold a place)."""
    calendar = get_calendar()
    now_resting = [day for day in event.days if not calendar.is_working_day(day)]
    if not now_resting:
        return
    rows = (Appointment.objects.select_for_update(of=("self",)).select_related("slot__category")
            .filter(day__in=now_resting, state__in=[AppointmentState.BOOKED, AppointmentState.PENDING])
            .order_by("pk"))
    for appointment in rows:
        slot = appointment.slot
        if selectors.is_open_on(slot.category.hall_id, slot.day):
            continue
        Appointment.objects.filter(pk=appointment.pk).update(state=AppointmentState.CANCELLED, cancelled_at=event.at)
        AppointmentSlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
        reason = f"工作日历调整：{slot.day:%Y-%m-%d} 为休息日，大厅不开放"
        audit.record("appointment.cancel", obj=appointment, by=event.by, before={"state": appointment.state},
                     after={"state": AppointmentState.CANCELLED, "calendar": event.action}, reason=reason)
        if appointment.booked_by_id:
            notify_on_commit([appointment.booked_by_id], case_id=None, kind="calendar_changed",
                             title=f"预约 {appointment.code} 已取消",
                             body=f"因国家节假日安排（工作日历）调整，{slot.day:%Y-%m-%d} 为休息日，"
                                  f"您在“{slot.category.name}”{slot.start:%H:%M}–{slot.end:%H:%M} 的预约已取消，"
                                  "不计爽约，请改约其他日期。")
