"""The pure clock: due and legal dates, suspensions, yellow thresholds and lights, timeliness buckets.

Uses the real 2024–2026 arrangements (chinesecalendar) without a database."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from hypothesis import given
from hypothesis import strategies as st

from onewindow.cases import clock
from onewindow.cases.clock import Light, Timeliness
from onewindow.workdays.calendar import WorkCalendar, arrangements_from_mapping

CALENDAR = WorkCalendar(arrangements_from_mapping(chinese_calendar.holidays, chinese_calendar.workdays,
                                                  [2024, 2025, 2026]))
D = dt.date.fromisoformat


def test_ten_working_days_from_the_friday_before_national_day_2025_end_on_october_16():
    # 28 Sep (Sunday) and 11 Oct (Saturday) are working days; 1–8 Oct are holidays.
    result = clock.deadlines(CALENDAR, accepted_on=D("2025-09-26"), promised_days=10, statutory_days=20)
    assert result.due_on == D("2025-10-16")
    assert result.legal_due_on == D("2025-10-30")


def test_acceptance_deadline_over_spring_festival_2026_is_five_working_days_later():
    # 14 Feb (Saturday) is a working day, 15–23 Feb are holidays.
    assert clock.acceptance_due(CALENDAR, D("2026-02-13")) == D("2026-02-27")


def test_a_suspension_moves_the_due_date_by_the_working_days_it_lasted():
    plain = clock.deadlines(CALENDAR, accepted_on=D("2025-09-01"), promised_days=10, statutory_days=20)
    paused = clock.deadlines(CALENDAR, accepted_on=D("2025-09-01"), promised_days=10, statutory_days=20,
                             suspensions=[(D("2025-09-03"), D("2025-09-10"))])
    assert plain.due_on == D("2025-09-15")
    assert paused.paused_days == 5  # Thu 4, Fri 5, Mon 8, Tue 9, Wed 10
    assert paused.due_on == CALENDAR.due_date(plain.due_on, 5) == D("2025-09-22")
    assert paused.legal_due_on == CALENDAR.due_date(plain.legal_due_on, 5)


def test_a_suspension_over_national_day_counts_only_the_working_days_inside_it():
    assert clock.suspension_days(CALENDAR, D("2025-09-26"), D("2025-10-10")) == 5  # 28, 29, 30 Sep; 9, 10 Oct


def test_a_suspension_ending_the_day_it_began_costs_nothing():
    assert clock.suspension_days(CALENDAR, D("2025-09-03"), D("2025-09-03")) == 0


def test_the_extension_adds_working_days_to_both_limits():
    extended = clock.deadlines(CALENDAR, accepted_on=D("2025-09-01"), promised_days=10, statutory_days=20,
                               extension_days=10)
    assert extended.due_on == CALENDAR.due_date(D("2025-09-01"), 20)
    assert extended.legal_due_on == CALENDAR.due_date(D("2025-09-01"), 30)


def test_an_instant_case_is_due_on_the_day_it_is_accepted():
    assert clock.deadlines(CALENDAR, accepted_on=D("2025-09-02"), promised_days=0, statutory_days=0).due_on == \
        D("2025-09-02")


def test_yellow_threshold_is_two_days_or_twenty_percent_of_the_promised_limit_if_larger():
    assert clock.yellow_threshold(5) == 2
    assert clock.yellow_threshold(10) == 2
    assert clock.yellow_threshold(14) == 2  # 2.8 → at most 2 whole days left
    assert clock.yellow_threshold(15) == 3
    assert clock.yellow_threshold(20) == 4
    assert clock.yellow_threshold(20, min_days=5) == 5
    assert clock.yellow_threshold(20, ratio=0.3) == 6


def test_a_case_due_friday_with_two_days_threshold_turns_yellow_on_wednesday_and_red_on_saturday():
    due = D("2025-09-19")  # Friday
    warn = clock.warn_on(CALENDAR, due, 2)
    assert warn == D("2025-09-17")
    assert clock.light(D("2025-09-16"), due, warn) == Light.GREEN
    assert clock.light(D("2025-09-17"), due, warn) == Light.YELLOW
    assert clock.light(D("2025-09-19"), due, warn) == Light.YELLOW
    assert clock.light(D("2025-09-20"), due, warn) == Light.RED


def test_yellow_begins_before_the_national_day_holidays_when_they_fill_the_gap():
    due = D("2025-10-09")  # first working day after the holidays
    # Two working days left → 30 Sep leaves 9 Oct only (1); 29 Sep leaves 30 Sep and 9 Oct (2).
    assert clock.warn_on(CALENDAR, due, 2) == D("2025-09-29")


@given(
    today=st.dates(D("2024-01-10"), D("2026-12-20")),
    offset=st.integers(0, 60),
    threshold=st.integers(0, 8),
)
def test_the_light_from_stored_dates_agrees_with_counting_days_left(today, offset, threshold):
    due = CALENDAR.due_date(D("2024-02-05") + dt.timedelta(days=offset * 11 % 1000), 0)
    if due > D("2026-12-25"):
        return
    warn = clock.warn_on(CALENDAR, due, threshold)
    left = clock.days_left(CALENDAR, today, due)
    expected = Light.RED if today > due else Light.YELLOW if left <= threshold else Light.GREEN
    assert clock.light(today, due, warn) == expected


def test_finished_cases_fall_in_early_on_time_or_late():
    due = D("2025-09-15")
    assert clock.timeliness(D("2025-09-12"), due) == Timeliness.EARLY
    assert clock.timeliness(due, due) == Timeliness.ON_TIME
    assert clock.timeliness(D("2025-09-16"), due) == Timeliness.LATE
