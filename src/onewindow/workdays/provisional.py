"""Provisional years (暂定日历): the statutory holidays of a year whose official notice is not out yet.

The State Council publishes each year's arrangement (国务院办公厅关于某年部分节假日安排的通知) in the autumn before.
Until it is loaded, a year is computed from the national holiday rules (《全国年节及纪念日放假办法》 as revised by
国务院令第795号, in force from 2025-01-01): New Year's Day 1 day, Spring Festival 4 (New Year's Eve and the first
three days), Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3. The lunar dates come from the
`holidays` library's China calendar (observed and substituted days left out): no adjustment day (调休) is guessed,
so a provisional year has statutory holidays only, and every date counted through it is marked provisional.
"""

from __future__ import annotations

import datetime as dt
import functools

from onewindow.workdays.calendar import YearArrangement

# The first year of the rules above (国务院令第795号): earlier years are never computed, only loaded.
RULE_FIRST_YEAR = 2025

# The library's names of the statutory holidays, in Chinese as the holiday table names them.
STATUTORY_NAMES = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "春节",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}
# Days per holiday under the rules; a test checks the library against them for every year it is used for.
RULE_DAYS = {"元旦": 1, "春节": 4, "清明节": 1, "劳动节": 2, "端午节": 1, "中秋节": 1, "国庆节": 3}


def library_covers(year: int) -> bool:
    """Whether the `holidays` library computes the year (its China calendar has a first and a last year)."""
    import holidays

    return year >= RULE_FIRST_YEAR and holidays.China.start_year <= year <= holidays.China.end_year


@functools.lru_cache(maxsize=64)
def statutory_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    """The statutory holidays of `year` by the rules, as (date, Chinese name) in date order; () when the library
    does not cover the year. Two holidays on one day (Mid-Autumn on National Day) give one row named after both."""
    if not library_covers(year):
        return ()
    import holidays

    calendar = holidays.China(years=year, observed=False, language="en_US")
    days: dict[dt.date, list[str]] = {}
    for day, label in sorted(calendar.items()):
        for part in str(label).split("; "):
            name = STATUTORY_NAMES.get(part.strip())
            if name is not None and name not in days.setdefault(day, []):
                days[day].append(name)
    return tuple((day, "、".join(names)) for day, names in sorted(days.items()) if names)


def provisional_arrangement(year: int) -> YearArrangement | None:
    """The provisional arrangement of `year` (holidays only, no adjusted working day), or None when the rules or
    the library do not reach it."""
    days = statutory_holidays(year)
    if not days:
        return None
    return YearArrangement(year=year, holidays=frozenset(d for d, _ in days), provisional=True)
