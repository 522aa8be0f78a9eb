import datetime as dt

import pytest

from onewindow.core.errors import Conflict, IllegalTransition
from onewindow.hall import services
from onewindow.hall.models import HallPolicy, TicketState

pytestmark = pytest.mark.django_db


def at(start, n):
    return start + dt.timedelta(minutes=n)


def test_recall_is_limited_by_the_hall_rule(hall, category_a, window, clerk, morning):
    HallPolicy.objects.create(hall=hall, max_recalls=2)
    services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    assert services.recall(window=window, by=clerk).recall_count == 1
    assert services.recall(window=window, by=clerk).recall_count == 2
    with pytest.raises(Conflict) as err:
        services.recall(window=window, by=clerk)
    assert err.value.code == "recall_limit"


def test_a_no_show_frees_the_window_and_can_be_reactivated_once_to_the_end_of_the_line(
    category_a, window, clerk, morning
):
    missed = services.issue_ticket(category=category_a, at=morning)
    later = services.issue_ticket(category=category_a, at=at(morning, 5))
    services.call_next(window=window, by=clerk, at=at(morning, 10))
    services.mark_no_show(window=window, by=clerk, at=at(morning, 12))
    window.refresh_from_db()
    assert window.current_ticket is None

    back = services.reactivate_ticket(ticket=missed, by=clerk, at=at(morning, 20))
    assert back.state == TicketState.WAITING
    assert services.call_next(window=window, by=clerk, at=at(morning, 21)) == later, "reactivated joins the end"
    services.finish(window=window, by=clerk, at=at(morning, 22))
    assert services.call_next(window=window, by=clerk, at=at(morning, 23)) == missed
    services.mark_no_show(window=window, by=clerk, at=at(morning, 25))
    with pytest.raises(Conflict) as err:
        services.reactivate_ticket(ticket=missed, by=clerk, at=at(morning, 26))
    assert err.value.code == "already_reactivated"


def test_reactivation_is_refused_after_the_configured_time(hall, category_a, window, clerk, morning):
    HallPolicy.objects.create(hall=hall, reactivate_within_minutes=15)
    ticket = services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    services.mark_no_show(window=window, by=clerk, at=at(morning, 2))
    with pytest.raises(Conflict) as err:
        services.reactivate_ticket(ticket=ticket, by=clerk, at=at(morning, 18))
    assert err.value.code == "reactivation_expired"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NO_SHOW


def test_only_no_show_tickets_can_be_reactivated(category_a, window, clerk, morning):
    ticket = services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    services.finish(window=window, by=clerk, at=at(morning, 2))
    with pytest.raises(IllegalTransition):
        services.reactivate_ticket(ticket=ticket, by=clerk)


def test_every_transition_outside_the_table_is_refused(category_a, window, clerk, morning):
    from onewindow.hall.lifecycle import TICKET_TRANSITIONS

    ticket = services.issue_ticket(category=category_a, at=morning)
    services.cancel_ticket(ticket=ticket, by=clerk)
    assert TICKET_TRANSITIONS[TicketState.CANCELLED] == set()
    with pytest.raises(IllegalTransition):
        services.cancel_ticket(ticket=ticket, by=clerk)
    for state, targets in TICKET_TRANSITIONS.items():
        assert targets <= set(TicketState.values), state
