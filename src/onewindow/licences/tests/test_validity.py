"""Validity arithmetic in calendar days (pure): the period a licence runs, the last day to apply for renewal
(art. 50: 30 days before expiry), and when a reminder is due."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from onewindow.licences.validity import latest_renewal_day, reminder_due, valid_until


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_a_licence_issued_on_1_september_for_five_years_is_valid_through_31_august_five_years_on():
    assert valid_until(d("2025-09-01"), 5) == d("2030-08-31")


def test_a_licence_from_29_february_runs_a_whole_year_to_28_february():
    assert valid_until(d("2024-02-29"), 1) == d("2025-02-28")
    assert valid_until(d("2024-02-29"), 4) == d("2028-02-28")


def test_a_licence_without_a_term_has_no_last_day():
    assert valid_until(d("2025-09-01"), None) is None


def test_the_last_day_to_apply_for_renewal_is_thirty_calendar_days_before_expiry():
    assert latest_renewal_day(d("2026-12-31"), 30) == d("2026-12-01")
    # Across the Spring Festival 2026 (15–23 February): calendar days, holidays count.
    assert latest_renewal_day(d("2026-03-10"), 30) == d("2026-02-08")


def test_a_reminder_is_due_from_its_day_until_expiry_and_not_before():
    assert not reminder_due(d("2026-08-31"), d("2026-07-01"), 60)
    assert reminder_due(d("2026-08-31"), d("2026-07-02"), 60)
    assert reminder_due(d("2026-08-31"), d("2026-08-31"), 60)
    assert not reminder_due(d("2026-08-31"), d("2026-09-01"), 60)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(1, 10))
def test_a_period_of_n_years_lasts_between_365_n_and_366_n_days(start, years):
    days = (valid_until(start, years) - start).days + 1
    assert 365 * years <= days <= 366 * years
