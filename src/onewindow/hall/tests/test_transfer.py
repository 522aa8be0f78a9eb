import datetime as dt

import pytest

from onewindow.core.errors import InvalidInput
from onewindow.hall import selectors, services
from onewindow.hall.models import Ticket, TicketState
from onewindow.hall.tests.factories import WindowFactory

pytestmark = pytest.mark.django_db


def at(start, n):
    return start + dt.timedelta(minutes=n)


def test_a_transferred_ticket_keeps_its_place_by_original_issue_time(category_a, category_b, window, window_b,
                                                                     clerk, morning):
    moved = services.issue_ticket(category=category_a, at=morning)
    b1 = services.issue_ticket(category=category_b, at=at(morning, 10))
    services.issue_ticket(category=category_b, at=at(morning, 20))
    services.call_next(window=window, by=clerk, at=at(morning, 30))
    new = services.transfer(window=window, by=clerk, category=category_b, reason="需办理不动产", at=at(morning, 31))

    moved.refresh_from_db()
    assert moved.state == TicketState.TRANSFERRED
    assert (new.number, new.state, new.category) == ("A001", TicketState.WAITING, category_b)
    assert new.queued_at == morning, "the new queue place is the original issue time"
    assert selectors.queue_position(new).ahead == 0
    assert services.call_next(window=window_b, by=clerk, at=at(morning, 32)) == new
    services.finish(window=window_b, by=clerk, at=at(morning, 33))
    assert services.call_next(window=window_b, by=clerk, at=at(morning, 34)) == b1


def test_a_ticket_transferred_to_a_named_window_is_called_only_there(hall, category_a, window, clerk, morning):
    other_a = WindowFactory(hall=hall, number="9", categories=[category_a])
    named = WindowFactory(hall=hall, number="12", categories=[])
    services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    new = services.transfer(window=window, by=clerk, target_window=named, at=at(morning, 2))
    assert services.call_next(window=other_a, by=clerk, at=at(morning, 3)) is None
    assert services.call_next(window=named, by=clerk, at=at(morning, 4)) == new


def test_the_public_code_follows_the_ticket_after_a_transfer(category_a, category_b, window, clerk, morning):
    original = services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    new = services.transfer(window=window, by=clerk, category=category_b, at=at(morning, 2))
    assert selectors.ticket_by_code(original.code) == new


def test_transfer_needs_a_destination_and_changes_nothing_without_one(category_a, window, clerk, morning):
    ticket = services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    with pytest.raises(InvalidInput):
        services.transfer(window=window, by=clerk)
    with pytest.raises(InvalidInput):
        services.transfer(window=window, by=clerk, target_window=window)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CALLED
    assert Ticket.objects.count() == 1
