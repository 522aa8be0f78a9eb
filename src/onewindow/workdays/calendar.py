"""Working-day arithmetic of the Administrative Licensing Law (工作日), pure and in memory.

A working day is Monday–Friday unless it is a statutory holiday, or a weekend day that the
State Council's yearly notice turns into a working day (调休). Every call is O(1): the index keeps,
for each day of the loaded range, how many working days came up to and including it, and the
list of working days in order.

A year is official (its notice is loaded) or provisional (computed from the national holiday rules until the
notice is published, see `workdays.provisional`). A date counted through a provisional year is provisional
(`WorkCalendar.is_provisional`): it may still move when the notice is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from onewindow.core.errors import DomainError, ErrorCode


class CalendarNotLoaded(DomainError):
    """The arithmetic needs a year whose holidays are not loaded; it never guesses."""

    code = ErrorCode.CALENDAR_NOT_LOADED
    status = 422

    def __init__(self, year: int):
        super().__init__(
            f"{year}年的节假日安排尚未载入工作日历，无法计算工作日（请用 onewindow calendar load 载入）",
            fields={"year": str(year)},
        )
        self.year = year


@dataclass(frozen=True)
class YearArrangement:
    """One year's statutory holidays and adjusted working days (调休上班日); `provisional` when computed from the
    holiday rules rather than taken from the year's official notice."""

    year: int
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    provisional: bool = False


def _is_working(day: dt.date, arrangement: YearArrangement) -> bool:
    if day in arrangement.workdays:
        return True
    if day in arrangement.holidays:
        return False
    return day.weekday() < 5


class WorkCalendar:
    """Index over a set of loaded years. Days of years not loaded are unknown, never guessed."""

    def __init__(self, arrangements: Iterable[YearArrangement]):
        by_year = {a.year: a for a in arrangements}
        self.years: frozenset[int] = frozenset(by_year)
        self.provisional_years: frozenset[int] = frozenset(y for y, a in by_year.items() if a.provisional)
        self._arrangements = by_year
        if not by_year:
            self._first = self._last = None
            self._cum: list[int] = []
            self._workdays: list[int] = []
            return
        first_year, last_year = min(by_year), max(by_year)
        self._first = dt.date(first_year, 1, 1).toordinal()
        self._last = dt.date(last_year, 12, 31).toordinal()
        cum: list[int] = []
        workdays: list[int] = []
        count = 0
        for ordinal in range(self._first, self._last + 1):
            day = dt.date.fromordinal(ordinal)
            arrangement = by_year.get(day.year)
            if arrangement is not None and _is_working(day, arrangement):
                count += 1
                workdays.append(ordinal)
            cum.append(count)
        self._cum = cum
        self._workdays = workdays

    # -- guards ---------------------------------------------------------------------------------
    def _require_years(self, first: int, last: int) -> None:
        for year in range(first, last + 1):
            if year not in self.years:
                raise CalendarNotLoaded(year)

    def _require_day(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarNotLoaded(day.year)

    def _count_through(self, ordinal: int) -> int:
        """Working days from the start of the index through `ordinal` (inclusive)."""
        return self._cum[ordinal - self._first]

    # -- the arithmetic -------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        self._require_day(day)
        index = day.toordinal() - self._first
        return self._cum[index] - (self._cum[index - 1] if index else 0) == 1

    def due_date(self, start: dt.date, days: int) -> dt.date:
        """The day on which a limit of `days` working days ends, counting from the day after `start`.

        `days == 0` is `start` itself when it is a working day, else the next working day.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        self._require_day(start)
        ordinal = start.toordinal()
        before = self._count_through(ordinal)
        if days == 0:
            if self.is_working_day(start):
                return start
            rank = before + 1
        else:
            rank = before + days
        if rank > len(self._workdays):
            raise CalendarNotLoaded(max(self.years) + 1)
        due = dt.date.fromordinal(self._workdays[rank - 1])
        # A gap of unloaded years between start and due would have been skipped silently.
        self._require_years(start.year, due.year)
        return due

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end; 0 when end <= start."""
        if end <= start:
            return 0
        first = start + dt.timedelta(days=1)
        self._require_years(first.year, end.year)
        return self._count_through(end.toordinal()) - self._count_through(start.toordinal())

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """Alias of due_date for callers that move a date by a number of working days."""
        return self.due_date(start, days)

    # -- provisional years ----------------------------------------------------------------------------
    def is_provisional(self, day: dt.date | None) -> bool:
        """Whether a date counted on this calendar up to `day` may have passed through a provisional year.

        Every stored date is counted forwards from a day before it, so a date is provisional when its year, or
        an earlier one, is provisional. (A date in an official year after a provisional one is marked too, though
        its own count may not cross it: the mark errs on the side of telling.) None is never provisional.
        """
        return day is not None and any(year <= day.year for year in self.provisional_years)

    def covers(self, day: dt.date) -> bool:
        """Whether the calendar knows the day (official or provisional year)."""
        return day.year in self.years

    def changed_days(self, other: WorkCalendar) -> list[dt.date]:
        """Days known to both calendars that are a working day on one and a rest day on the other, in order.

        Days of a year only one of them knows are not compared: nothing stored was counted through a day that
        was unknown, and a date counted through a year no longer known cannot be counted again.
        """
        changed: list[dt.date] = []
        for year in sorted(self.years & other.years):
            mine, theirs = self._arrangements[year], other._arrangements[year]
            if (mine.holidays, mine.workdays) == (theirs.holidays, theirs.workdays):
                continue
            day = dt.date(year, 1, 1)
            while day.year == year:
                if self.is_working_day(day) != other.is_working_day(day):
                    changed.append(day)
                day += dt.timedelta(days=1)
        return changed


def naive_due_date(start: dt.date, days: int, is_working_day) -> dt.date:
    """Day-by-day reference implementation; the benchmark's baseline and the tests' oracle."""
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def arrangements_from_mapping(
    holidays: Mapping[dt.date, str], workdays: Mapping[dt.date, str], years: Iterable[int]
) -> list[YearArrangement]:
    """Group flat holiday / adjusted-workday mappings into per-year arrangements."""
    result = []
    for year in sorted(set(years)):
        result.append(
            YearArrangement(
                year=year,
                holidays=frozenset(d for d in holidays if d.year == year),
                workdays=frozenset(d for d in workdays if d.year == year),
            )
        )
    return result
