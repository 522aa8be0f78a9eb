"""A token's account is held per process (issue 16): a known token costs no statement, yet a revoked token or a
deactivated account is refused from the very next request, in this process and in any other, and `last_used_at`
is written at most once a minute."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.core import auth
from onewindow.core.models import ApiToken, Role, User
from onewindow.core.services import create_token, revoke_token

pytestmark = pytest.mark.django_db(transaction=True)

ME = "/api/v1/tickets/999999"  # any endpoint behind the token: 404 once authenticated, 401 otherwise


@pytest.fixture
def clerk_token():
    clerk = User.objects.create(username="clerk1", role=Role.CLERK)
    _, value = create_token(clerk)
    return clerk, value


def _status(value: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {value}").get(ME).status_code


def test_a_known_token_costs_no_statement_and_gives_each_request_its_own_account(clerk_token):
    clerk, value = clerk_token
    first = auth.user_for_token(value)
    with CaptureQueriesContext(connection) as captured:
        second = auth.user_for_token(value)
    assert captured.captured_queries == []
    assert first == second == clerk and first is not second, "a request may not change another's account"
    assert auth.user_for_token(value + "x") is None


def test_a_revoked_token_is_refused_at_once_here_and_in_a_process_that_held_it(clerk_token):
    _, value = clerk_token
    assert _status(value) == 404
    held_elsewhere = dict(auth._tokens._rows)  # what another worker holds: it never saw the revocation's signal
    revoke_token(value[:8])
    assert _status(value) == 401
    auth._tokens._rows.update(held_elsewhere)
    assert _status(value) == 401, "the other worker finds a new version in the shared cache and reads again"
    assert auth.user_for_token(value) is None


def test_a_deactivated_account_is_refused_at_once(clerk_token):
    clerk, value = clerk_token
    assert _status(value) == 404
    held_elsewhere = dict(auth._tokens._rows)
    clerk.is_active = False
    clerk.save()
    assert _status(value) == 401
    auth._tokens._rows.update(held_elsewhere)
    assert _status(value) == 401
    clerk.is_active = True
    clerk.save()
    assert _status(value) == 404, "reactivated, the token works again"


def test_a_role_change_is_seen_at_once(clerk_token):
    clerk, value = clerk_token
    assert auth.user_for_token(value).role == Role.CLERK
    clerk.role = Role.CITIZEN
    clerk.save(update_fields=["role"])
    assert auth.user_for_token(value).role == Role.CITIZEN


def test_last_used_is_written_once_a_minute_not_on_every_request(clerk_token, monkeypatch):
    clerk, value = clerk_token
    auth.user_for_token(value)
    stamped = ApiToken.objects.get(user=clerk).last_used_at
    assert stamped is not None
    with CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            auth.user_for_token(value)
    assert captured.captured_queries == [], "no write per request"
    assert ApiToken.objects.get(user=clerk).last_used_at == stamped

    later = timezone.now() + dt.timedelta(seconds=auth.TOUCH_SECONDS + 1)
    monkeypatch.setattr(auth.timezone, "now", lambda: later)
    cache.delete(f"onewindow.token.touched.{ApiToken.objects.get(user=clerk).pk}")  # the shared minute is over
    auth.user_for_token(value)
    assert ApiToken.objects.get(user=clerk).last_used_at == later
    with CaptureQueriesContext(connection) as captured:
        auth.user_for_token(value)
    assert captured.captured_queries == []
