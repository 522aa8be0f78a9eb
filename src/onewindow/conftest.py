"""Shared test fixtures: a fresh working-day index per test (transactions roll back; the cache must too)."""

import pytest

# The browser tests' fixtures (screenshots, short_lived_connections) and helpers.
pytest_plugins = ["onewindow.core.tests.browser"]


@pytest.fixture(autouse=True)
def _fresh_calendar_index():
    from onewindow.workdays.selectors import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()
