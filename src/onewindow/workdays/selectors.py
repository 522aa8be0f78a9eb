"""The process-wide working-day index, built from the holiday table once and reused."""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.conf import settings
from django.db.models import Count, Max

from onewindow.workdays.calendar import WorkCalendar, YearArrangement
from onewindow.workdays.models import CalendarYear, SpecialDay

_lock = threading.Lock()
_state: dict = {"calendar": None, "revision": None, "checked_at": 0.0}


def _revision() -> tuple:
    """A cheap fingerprint of the table, so another process's edit is noticed."""
    agg = CalendarYear.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    days = SpecialDay.objects.aggregate(n=Count("id"), top=Max("id"))
    return (agg["n"], agg["latest"], days["n"], days["top"])


def build_calendar() -> WorkCalendar:
    # year → (its holidays, its adjusted working days)
    years: dict[int, tuple[set[dt.date], set[dt.date]]] = {
        y: (set(), set()) for y in CalendarYear.objects.values_list("year", flat=True)
    }
    for year, date, kind in SpecialDay.objects.values_list("calendar_year__year", "date", "kind"):
        years[year][0 if kind == SpecialDay.Kind.HOLIDAY else 1].add(date)
    return WorkCalendar(
        YearArrangement(year=y, holidays=frozenset(h), workdays=frozenset(w)) for y, (h, w) in years.items()
    )


def get_calendar() -> WorkCalendar:
    """The index, rebuilt when this process changed the table or, every few minutes, when another did."""
    ttl = getattr(settings, "CALENDAR_REFRESH_SECONDS", 300)
    now = time.monotonic()
    calendar = _state["calendar"]
    if calendar is not None and now - _state["checked_at"] < ttl:
        return calendar
    with _lock:
        revision = _revision()
        if _state["calendar"] is None or revision != _state["revision"]:
            _state["calendar"] = build_calendar()
            _state["revision"] = revision
        _state["checked_at"] = now
        return _state["calendar"]


def invalidate_calendar() -> None:
    with _lock:
        _state["calendar"] = None
        _state["revision"] = None
        _state["checked_at"] = 0.0


def due_date(start: dt.date, days: int) -> dt.date:
    return get_calendar().due_date(start, days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return get_calendar().working_days_between(start, end)


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)
