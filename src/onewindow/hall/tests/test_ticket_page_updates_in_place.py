"""The citizen's ticket page (我的排队) never reloads itself (a screen reader would lose its place): no meta
refresh; its polite live region is updated from the ticket's JSON status, and without JavaScript a link refreshes."""

from __future__ import annotations

import pytest

from onewindow.hall import services

pytestmark = pytest.mark.django_db


def test_the_page_has_no_meta_refresh_but_a_polite_live_region_and_a_refresh_link(client, category_a):
    ticket = services.issue_ticket(category=category_a)
    page = client.get(f"/hall/ticket/{ticket.code}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'aria-live="polite"' in page and f'href="/hall/ticket/{ticket.code}/"' in page


def test_the_status_says_what_the_page_says_and_follows_the_call(client, category_a, window, clerk):
    services.issue_ticket(category=category_a)
    mine = services.issue_ticket(category=category_a)
    waiting = client.get(f"/hall/ticket/{mine.code}/status/").json()
    assert (waiting["headline"], waiting["ahead"], waiting["live"]) == ("前面还有 1 人", 1, True)
    services.call_next(window=window, by=clerk)
    services.finish(window=window, by=clerk)
    services.call_next(window=window, by=clerk)
    called = client.get(f"/hall/ticket/{mine.code}/status/").json()
    assert called["headline"] == "请到 5 号窗口办理" and called["state"] == "called"
    assert called["headline"] in client.get(f"/hall/ticket/{mine.code}/").content.decode()


def test_an_unknown_ticket_has_no_status(client, db):
    assert client.get("/hall/ticket/NOSUCHCODE/status/").status_code == 404
