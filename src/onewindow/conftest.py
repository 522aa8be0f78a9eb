"""Shared test fixtures: a fresh working-day index per test (transactions roll back; the cache must too)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar_index():
    from onewindow.workdays.selectors import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()
