"""Validity arithmetic of a licence (有效期), in calendar days and years: pure, no framework.

A licence valid for N years from day D is valid through the day before D's anniversary N years on
(2025-09-01 + 5 years → valid until 2030-08-31, the practice printed on licences); a licence from 29 February
runs to 28 February. A renewal must be
applied for at least `lead_days` calendar days before expiry (art. 50: "有效期届满三十日前"): the last day to
apply is `valid_until − lead_days` (valid until 2026-12-31 → apply by 2026-12-01).
"""

from __future__ import annotations

import datetime as dt


def anniversary(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` years on; 29 February becomes 1 March in a common year (so that a licence from
    29 February runs a whole year, to 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def valid_until(valid_from: dt.date, years: int | None) -> dt.date | None:
    """The last day of validity of a licence valid `years` years from `valid_from`; None without a fixed term."""
    if not years:
        return None
    return anniversary(valid_from, years) - dt.timedelta(days=1)


def latest_renewal_day(expires: dt.date, lead_days: int) -> dt.date:
    """The last day a renewal may be applied for (art. 50: at least `lead_days` days before expiry)."""
    return expires - dt.timedelta(days=lead_days)


def reminder_due(expires: dt.date, today: dt.date, days_before: int) -> bool:
    """Whether the reminder `days_before` days ahead of expiry is due on `today` (from that day until expiry)."""
    return expires - dt.timedelta(days=days_before) <= today <= expires
