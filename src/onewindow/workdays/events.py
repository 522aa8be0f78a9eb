"""Declared events of the working-day calendar (工作日历事件).

`calendar_changed` is sent by every act that changes the holiday table (loading a year's notice, an edit in the
admin, the package seed and its corrections) when at least one day changed between working day and rest day,
after the table is written and before the act's audit event, inside the act's transaction (see `core.events`).
While its receivers run, `workdays.selectors.get_calendar()` answers the calendar as edited.

Apps above the calendar keep their stored working-day dates consistent with it: a plain (in-transaction)
receiver recomputes every stored date that depends on the changed days (cases, packages, appointments) and
appends its own audit events; if one raises, the edit is undone. People whose dates moved are told after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from onewindow.core.events import Event


@dataclass(frozen=True)
class CalendarChanged:
    """Which days changed between working day and rest day, by which act, who and when."""

    days: tuple[dt.date, ...]  # every day whose working status changed, in order (never empty)
    action: str  # the audit action of the edit: calendar.load_year, calendar.change, calendar.seed…
    by: Any  # who edited (core.models.User); None is the system (the seed, `onewindow calendar load`)
    at: dt.datetime  # the instant of the edit (aware)

    @property
    def first(self) -> dt.date:
        return self.days[0]

    @property
    def last(self) -> dt.date:
        return self.days[-1]

    def describe(self) -> str:
        """The changed days as people read them (at most ten named)."""
        shown = "、".join(f"{d:%Y-%m-%d}" for d in self.days[:10])
        return shown + (f" 等 {len(self.days)} 天" if len(self.days) > 10 else "")


calendar_changed = Event(
    "calendar_changed", CalendarChanged,
    "The holiday table changed the working status of `days` (a year's notice loaded, an edit in the admin, a "
    "correction): every stored date counted through one of them must be counted again in this transaction.")
