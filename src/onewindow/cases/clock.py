"""The case clock (办件计时), pure: acceptance deadline, due and legal dates, lights, timeliness buckets.

Every function takes the working-day calendar object (workdays.calendar.WorkCalendar or anything with
`due_date`, `working_days_between`, `is_working_day`) so it can be tested without a database.
Counting starts the day after the start date (行政许可法 第八十二条: 工作日, 不含法定节假日).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

ACCEPTANCE_DAYS = 5  # 行政许可法 第三十二条: 5 日内一次告知, else deemed accepted
DELIVERY_DAYS = 10  # 第四十四条: licence issued and delivered within 10 working days of the decision
HEARING_REQUEST_DAYS = 5  # 第四十七条: the parties ask within 5 days of being told (calendar days, see below)
HEARING_HOLD_DAYS = 20  # 第四十七条: the hearing is held within 20 working days of the request
HEARING_NOTICE_DAYS = 7  # 第四十八条: time and place told at least 7 working days before the hearing

def gettext_noop(message: str) -> str:
    """Marks a label for the message catalog (`makemessages`) without importing Django; pages translate it."""
    return message



class Calendar(Protocol):
    def due_date(self, start: dt.date, days: int) -> dt.date: ...
    def working_days_between(self, start: dt.date, end: dt.date) -> int: ...
    def is_working_day(self, day: dt.date) -> bool: ...


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_LABELS = {Light.GREEN: gettext_noop("绿灯（正常）"), Light.YELLOW: gettext_noop("黄灯（临近到期）"), Light.RED: gettext_noop("红灯（已超期）")}


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


TIMELINESS_LABELS = {Timeliness.EARLY: gettext_noop("提前办结"), Timeliness.ON_TIME: gettext_noop("按时办结"), Timeliness.LATE: gettext_noop("超期办结")}


@dataclass(frozen=True)
class Deadlines:
    due_on: dt.date  # 承诺办结日
    legal_due_on: dt.date  # 法定办结日
    paused_days: int  # working days spent in special procedures (特别程序), not counted


def acceptance_due(calendar: Calendar, submitted_on: dt.date) -> dt.date:
    """Last day to accept, refuse or ask for correction: 5 working days after submission."""
    return calendar.due_date(submitted_on, ACCEPTANCE_DAYS)


def suspension_days(calendar: Calendar, started_on: dt.date, ended_on: dt.date) -> int:
    """Working days a special procedure lasted: those after its first day, up to and including its last."""
    return calendar.working_days_between(started_on, ended_on)


def deadlines(
    calendar: Calendar,
    *,
    accepted_on: dt.date,
    promised_days: int,
    statutory_days: int,
    extension_days: int = 0,
    suspensions: Iterable[tuple[dt.date, dt.date]] = (),
    extension_moves_promise: bool = True,
) -> Deadlines:
    """Due and legal dates from the acceptance day, moved by the extension and every finished suspension.

    An extension decided after the promise lapsed (`extension_moves_promise=False`) moves only the statutory
    date: the broken promise stays broken (行政许可法第四十二条 extends the statutory limit, not the promise)."""
    paused = sum(suspension_days(calendar, start, end) for start, end in suspensions)
    promise_extension = extension_days if extension_moves_promise else 0
    return Deadlines(
        due_on=calendar.due_date(accepted_on, promised_days + promise_extension + paused),
        legal_due_on=calendar.due_date(accepted_on, statutory_days + extension_days + paused),
        paused_days=paused,
    )


def yellow_threshold(promised_days: int, *, min_days: int = 2, ratio: float = 0.2) -> int:
    """Working days left at or below which a case is yellow: max(min_days, ratio × promised limit), whole days."""
    return max(min_days, math.floor(ratio * promised_days + 1e-9))


def warn_on(calendar: Calendar, due_on: dt.date, threshold: int) -> dt.date:
    """First day on which at most `threshold` working days are left before `due_on` (the case turns yellow)."""
    # Walk back to the (threshold + 1)-th working day up to and including due_on: from that day on,
    # the days after it up to due_on hold at most `threshold` working days.
    day = due_on
    needed = threshold + 1
    if not calendar.is_working_day(day):
        # due_on is normally a working day; if not, the days before it are what counts.
        day -= dt.timedelta(days=1)
    while True:
        if calendar.is_working_day(day):
            needed -= 1
            if needed == 0:
                return day
        day -= dt.timedelta(days=1)


def days_left(calendar: Calendar, today: dt.date, due_on: dt.date) -> int:
    """Working days left after today up to due_on; negative when overdue (working days past due)."""
    if today <= due_on:
        return calendar.working_days_between(today, due_on)
    return -calendar.working_days_between(due_on, today)


def light(today: dt.date, due_on: dt.date, warn_from: dt.date) -> Light:
    """电子监察 light from the stored dates: red when overdue, yellow from warn_from, else green."""
    if today > due_on:
        return Light.RED
    if today >= warn_from:
        return Light.YELLOW
    return Light.GREEN


def timeliness(finished_on: dt.date, due_on: dt.date) -> Timeliness:
    """Bucket of a finished case: before its due date, on it, or after it."""
    if finished_on < due_on:
        return Timeliness.EARLY
    if finished_on == due_on:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def delivery_due(calendar: Calendar, decided_on: dt.date) -> dt.date:
    """Last day to issue and deliver the result: 10 working days after the decision (第四十四条)."""
    return calendar.due_date(decided_on, DELIVERY_DAYS)


def hearing_request_due(calendar: Calendar, notified_on: dt.date) -> dt.date:
    """Last day for a party to ask for a hearing: 5 calendar days after the day they were told; a last day that is
    not a working day (a weekend or statutory holiday) moves to the next working day (民法典 第二百零一、二百零三条).

    The 5 days are the parties' own period, not a limit on the authority, so 第八十二条's working days do not
    apply to them; the holiday rule keeps a party from losing days while the authority is closed."""
    last = notified_on + dt.timedelta(days=HEARING_REQUEST_DAYS)
    while not calendar.is_working_day(last):
        last += dt.timedelta(days=1)
    return last


def hearing_hold_by(calendar: Calendar, requested_on: dt.date) -> dt.date:
    """Last day to hold the hearing: 20 working days after the request (第四十七条, counted as 第八十二条 says)."""
    return calendar.due_date(requested_on, HEARING_HOLD_DAYS)


def earliest_hearing(calendar: Calendar, notice_on: dt.date) -> dt.date:
    """The first day a hearing may be held when its time and place are told on `notice_on`: the 7th working day
    after it (第四十八条 "七日前", an authority's limit, counted in working days as 第八十二条 says)."""
    return calendar.due_date(notice_on, HEARING_NOTICE_DAYS)


def hearing_notice_due(calendar: Calendar, hold_by_on: dt.date) -> dt.date:
    """The last day to tell the time and place so that the hearing can still be held by `hold_by_on`."""
    day = hold_by_on - dt.timedelta(days=HEARING_NOTICE_DAYS)
    while earliest_hearing(calendar, day) > hold_by_on:
        day -= dt.timedelta(days=1)
    while earliest_hearing(calendar, day + dt.timedelta(days=1)) <= hold_by_on:
        day += dt.timedelta(days=1)
    return day
