"""Shared test fixtures: a fresh working-day index per test (transactions roll back; the cache must too)."""

import pytest
from hypothesis import HealthCheck, settings

# Property tests run on a shared 2-core CI machine beside other suites: how fast Hypothesis draws inputs there
# says nothing about the code, so the timing checks are off everywhere (examples and shrinking stay as they are).
settings.register_profile("onewindow", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("onewindow")


@pytest.fixture(autouse=True)
def _fresh_calendar_index():
    from onewindow.workdays.selectors import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Rows kept in the process (`core.cache`) are forgotten between tests: each test's transaction rolls back."""
    from onewindow.core import cache

    cache.reset()
    yield
    cache.reset()


@pytest.fixture(autouse=True)
def _text_messages_in_memory_and_fresh_rate_limits(settings):
    """Text messages go to `onewindow.core.sms.outbox` (emptied per test), and each test starts with no
    rate-limit counts (they live in the process's cache)."""
    from django.core.cache import cache

    from onewindow.core import sms

    settings.SMS_BACKEND = "onewindow.core.sms.MemoryBackend"
    sms.outbox.clear()
    cache.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Passwords are hashed with MD5 in tests: PBKDF2's production cost (about a second a sign-in or an account on
    a loaded CI machine) says nothing any test checks."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
