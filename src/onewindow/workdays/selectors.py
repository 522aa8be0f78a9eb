"""The process-wide working-day index, built from the holiday table once and reused.

The index holds the official years (the holiday table) and, after the last of them, provisional years computed
from the holiday rules (`workdays.provisional`) up to `CALENDAR_PROVISIONAL_YEARS` years ahead (default 5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Max

from onewindow.workdays.calendar import WorkCalendar, YearArrangement
from onewindow.workdays.models import CalendarYear, SpecialDay
from onewindow.workdays.provisional import RULE_FIRST_YEAR, provisional_arrangement

_lock = threading.Lock()
_state: dict = {"calendar": None, "revision": None, "checked_at": 0.0}
# A calendar put in force for this thread by an act of the holiday table while its receivers run (`in_force`).
_local = threading.local()


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
    arrangements = [YearArrangement(year=y, holidays=frozenset(h), workdays=frozenset(w)) for y, (h, w) in years.items()]
    return WorkCalendar(arrangements + _provisional_years(set(years)))


def _provisional_years(official: set[int]) -> list[YearArrangement]:
    """The provisional years: from the first year of the holiday rules (or the first official year, if later) to
    `CALENDAR_PROVISIONAL_YEARS` years after the last official one, every year without its notice."""
    if not official:
        return []
    horizon = max(official) + int(getattr(settings, "CALENDAR_PROVISIONAL_YEARS", 5))
    result = []
    for year in range(max(min(official), RULE_FIRST_YEAR), horizon + 1):
        if year not in official and (arrangement := provisional_arrangement(year)) is not None:
            result.append(arrangement)
    return result


@contextlib.contextmanager
def in_force(calendar: WorkCalendar) -> Iterator[WorkCalendar]:
    """Make `calendar` the one `get_calendar()` answers in this thread while the block runs: an edit of the
    holiday table runs the receivers of `calendar_changed` on the table as edited, before it commits, without
    leaving the uncommitted table in the process-wide index."""
    previous = getattr(_local, "calendar", None)
    _local.calendar = calendar
    try:
        yield calendar
    finally:
        _local.calendar = previous


def get_calendar() -> WorkCalendar:
    """The index, rebuilt when this process changed the table or, every few minutes, when another did."""
    forced = getattr(_local, "calendar", None)
    if forced is not None:
        return forced
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


def is_provisional(day: dt.date | None) -> bool:
    """Whether a date counted on the calendar may still move when an official notice is loaded (暂定)."""
    return get_calendar().is_provisional(day)


def provisional_years() -> list[int]:
    """The years computed from the holiday rules, their notice not loaded yet, in order."""
    return sorted(get_calendar().provisional_years)
