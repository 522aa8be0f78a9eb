"""What one act of the hall costs the database over HTTP (issue 16): ticket issue ≤ 6 statements, call-next ≤ 6,
finish ≤ 5, with the bearer token's authentication counted, and the window console's and the kiosk's posts no
more than they cost before.

The requests run as a client sends them, each in its own committed transaction (`transaction=True`), so whatever
runs after commit (the display board's message) is counted too. The count is of the statements that do work:
the transaction's own brackets are left out (SQLite's `BEGIN IMMEDIATE`, which Django logs, where PostgreSQL's
driver opens the transaction unlogged). An audit append counts as its own statements (2 on SQLite; on
PostgreSQL 3 until the audit chain loses its lock statement).

The window console's post (13 statements on SQLite, 14 on PostgreSQL before issue 16) and the kiosk's (9 and 10)
are bound at what they cost on PostgreSQL with today's audit append, so they cannot creep back.

A first request of each kind warms the per-process caches (token, hall, category, policy, window): the counts
are those of a hall already at work.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.core.models import Role
from onewindow.core.services import create_token
from onewindow.hall import services
from onewindow.hall.models import Ticket, TicketState
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

pytestmark = pytest.mark.django_db(transaction=True)

_BRACKET = re.compile(r"^\s*(BEGIN|COMMIT|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.IGNORECASE)


@contextmanager
def at_most(limit: int, what: str):
    """Fail when the block runs more than `limit` statements that do work (transaction brackets left out)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    work = [q["sql"] for q in captured.captured_queries if not _BRACKET.match(q["sql"])]
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(work, 1))
    assert len(work) <= limit, f"{what}: {len(work)} statements, at most {limit} expected:\n{listing}"


@pytest.fixture
def hall_at_work():
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = UserFactory(role=Role.CLERK)
    _, token = create_token(clerk)
    return hall, category, window, clerk, Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _issue(api: Client, hall) -> dict:
    response = api.post(f"/api/v1/halls/{hall.code}/tickets", {"category": "A"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_ticket_issued_over_http_costs_at_most_six_statements(hall_at_work):
    hall, _category, _window, _clerk, api = hall_at_work
    _issue(api, hall)
    with at_most(6, "ticket issue"):
        body = _issue(api, hall)
    assert body["number"] == "A002" and body["state"] == "waiting"
    assert Ticket.objects.get(pk=body["id"]).number == "A002"


def test_call_next_over_http_costs_at_most_six_statements_and_finish_five(hall_at_work):
    hall, _category, window, _clerk, api = hall_at_work
    for _ in range(3):
        _issue(api, hall)
    assert api.post(f"/api/v1/windows/{window.pk}/call-next").status_code == 200
    assert api.post(f"/api/v1/windows/{window.pk}/finish").status_code == 200
    with at_most(6, "call-next"):
        called = api.post(f"/api/v1/windows/{window.pk}/call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == "A002"
    with at_most(5, "finish"):
        finished = api.post(f"/api/v1/windows/{window.pk}/finish")
    assert finished.status_code == 200 and finished.json()["ticket"]["state"] == "done"
    assert Ticket.objects.get(number="A002").state == TicketState.DONE


def test_the_window_consoles_call_next_post_costs_no_more_than_before(hall_at_work):
    hall, category, window, clerk, _api = hall_at_work
    for _ in range(3):
        services.issue_ticket(category=category)
    console = Client()
    console.force_login(clerk)
    url = f"/hall/window/{window.pk}/"
    assert console.post(url, {"action": "call"}).status_code == 302
    assert console.post(url, {"action": "finish"}).status_code == 302
    with at_most(11, "the console's call-next post"):
        response = console.post(url, {"action": "call"})
    assert response.status_code == 302
    assert Ticket.objects.get(number="A002").state == TicketState.CALLED


def test_the_kiosks_ticket_post_costs_no_more_than_before(hall_at_work):
    hall, _category, _window, _clerk, _api = hall_at_work
    kiosk = Client()
    url = f"/hall/{hall.code}/kiosk/"
    assert kiosk.post(url, {"category": "A", "priority": "normal"}).status_code == 302
    with at_most(6, "the kiosk's ticket post"):
        response = kiosk.post(url, {"category": "A", "priority": "normal"})
    assert response.status_code == 302
    assert Ticket.objects.filter(number="A002").exists()
