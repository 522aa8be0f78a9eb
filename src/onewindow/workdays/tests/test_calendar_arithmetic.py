"""The pure working-day arithmetic against the State Council's official arrangements (no database)."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.workdays.calendar import (
    CalendarNotLoaded,
    WorkCalendar,
    arrangements_from_mapping,
    naive_due_date,
)

D = dt.date
CAL = WorkCalendar(
    arrangements_from_mapping(chinese_calendar.holidays, chinese_calendar.workdays, years=range(2004, 2027))
)


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        (D(2025, 9, 30), 1, D(2025, 10, 9), "2025 National Day and Mid-Autumn: Oct 1-8 off"),
        (D(2025, 9, 26), 1, D(2025, 9, 28), "Sunday Sep 28 2025 is an adjusted working day"),
        (D(2025, 10, 9), 2, D(2025, 10, 11), "Saturday Oct 11 2025 is an adjusted working day"),
        (D(2024, 2, 9), 1, D(2024, 2, 18), "2024 Spring Festival Feb 10-17 off, Sunday Feb 18 works"),
        (D(2025, 1, 27), 1, D(2025, 2, 5), "2025 Spring Festival Jan 28 - Feb 4 off"),
        (D(2026, 2, 13), 1, D(2026, 2, 14), "Saturday Feb 14 2026 works before the Spring Festival"),
        (D(2026, 2, 13), 2, D(2026, 2, 24), "2026 Spring Festival Feb 15-23 off"),
        (D(2024, 9, 30), 1, D(2024, 10, 8), "2024 National Day Oct 1-7 off"),
        (D(2024, 12, 31), 1, D(2025, 1, 2), "year boundary: New Year's Day 2025"),
        (D(2025, 12, 31), 1, D(2026, 1, 4), "year boundary: Jan 1-3 2026 off, Sunday Jan 4 works"),
        (D(2025, 6, 3), 1, D(2025, 6, 4), "a normal Tuesday: n = 1 is Wednesday"),
        (D(2025, 6, 6), 1, D(2025, 6, 9), "a normal Friday: n = 1 is Monday"),
        (D(2025, 6, 3), 20, D(2025, 7, 1), "twenty working days, the Licensing Law's default limit"),
    ],
)
def test_due_date_follows_the_official_arrangement(start, days, due, why):
    assert CAL.due_date(start, days) == due, why


def test_zero_days_is_the_start_itself_on_a_working_day():
    assert CAL.due_date(D(2025, 6, 3), 0) == D(2025, 6, 3)


def test_zero_days_from_a_holiday_is_the_next_working_day():
    assert CAL.due_date(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert CAL.due_date(D(2025, 6, 7), 0) == D(2025, 6, 9)


def test_working_days_between_counts_days_after_start_up_to_end():
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.working_days_between(D(2025, 6, 2), D(2025, 6, 6)) == 4
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 2


def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert CAL.working_days_between(D(2025, 6, 6), D(2025, 6, 6)) == 0
    assert CAL.working_days_between(D(2025, 6, 6), D(2025, 6, 1)) == 0


def test_adjusted_weekend_days_are_working_days_and_holidays_are_not():
    assert CAL.is_working_day(D(2025, 10, 11))  # Saturday, adjusted
    assert CAL.is_working_day(D(2026, 1, 4))  # Sunday, adjusted
    assert not CAL.is_working_day(D(2025, 10, 8))  # Wednesday, National Day holiday
    assert not CAL.is_working_day(D(2026, 2, 23))  # Monday, Spring Festival
    assert not CAL.is_working_day(D(2025, 6, 7))  # an ordinary Saturday


def test_a_year_that_is_not_loaded_is_named_instead_of_guessed():
    with pytest.raises(CalendarNotLoaded) as exc:
        CAL.due_date(D(2026, 12, 31), 1)
    assert exc.value.year == 2027
    assert "2027" in exc.value.message
    with pytest.raises(CalendarNotLoaded) as exc:
        CAL.is_working_day(D(2003, 5, 1))
    assert exc.value.year == 2003
    with pytest.raises(CalendarNotLoaded):
        CAL.working_days_between(D(2026, 12, 1), D(2027, 1, 10))


def test_a_gap_between_loaded_years_is_refused_not_skipped():
    gappy = WorkCalendar(
        arrangements_from_mapping(chinese_calendar.holidays, chinese_calendar.workdays, years=[2024, 2026])
    )
    with pytest.raises(CalendarNotLoaded) as exc:
        gappy.due_date(D(2024, 12, 30), 5)
    assert exc.value.year == 2025
    with pytest.raises(CalendarNotLoaded) as exc:
        gappy.working_days_between(D(2024, 12, 1), D(2026, 1, 10))
    assert exc.value.year == 2025


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        CAL.due_date(D(2025, 6, 3), -1)


loaded_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30))


@settings(max_examples=400, deadline=None)
@given(start=loaded_days, days=st.integers(min_value=0, max_value=60))
def test_due_date_lands_on_a_working_day(start, days):
    assert CAL.is_working_day(CAL.due_date(start, days))


@settings(max_examples=400, deadline=None)
@given(start=loaded_days, days=st.integers(min_value=1, max_value=60))
def test_counting_back_from_the_due_date_gives_the_limit(start, days):
    assert CAL.working_days_between(start, CAL.due_date(start, days)) == days


@settings(max_examples=300, deadline=None)
@given(start=loaded_days, days=st.integers(min_value=0, max_value=60))
def test_the_index_agrees_with_counting_day_by_day(start, days):
    def is_working(day):
        return chinese_calendar.is_workday(day)

    assert CAL.due_date(start, days) == naive_due_date(start, days, is_working)
