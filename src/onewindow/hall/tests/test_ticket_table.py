"""The ticket table walked: every act from every ticket state either does what its row of TICKET_ACTIONS says,
or is refused with IllegalTransition (409) and changes nothing — no row, no audit event."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.core.errors import IllegalTransition
from onewindow.core.models import AuditEvent
from onewindow.hall import services
from onewindow.hall.lifecycle import TICKET_ACTIONS, TICKET_TRANSITIONS, WINDOW_TICKET_ACTIONS
from onewindow.hall.models import Ticket, TicketState, Window

pytestmark = pytest.mark.django_db


def minutes(start: dt.datetime, n: int) -> dt.datetime:
    return start + dt.timedelta(minutes=n)


def ticket_in(state: str, *, category, other_category, window, clerk, morning) -> Ticket:
    """A ticket brought to `state` by the acts themselves, and the window pointing at it whatever its state, so
    that the table alone decides what an act at the window may do with it."""
    ticket = services.issue_ticket(category=category, at=morning)
    if state == TicketState.CANCELLED:
        services.cancel_ticket(ticket=ticket, by=clerk, at=minutes(morning, 1))
    elif state != TicketState.WAITING:
        services.call_next(window=window, by=clerk, at=minutes(morning, 1))
        step = {TicketState.SERVING: lambda: services.start_serving(window=window, by=clerk, at=minutes(morning, 2)),
                TicketState.DONE: lambda: services.finish(window=window, by=clerk, at=minutes(morning, 2)),
                TicketState.NO_SHOW: lambda: services.mark_no_show(window=window, by=clerk, at=minutes(morning, 2)),
                TicketState.TRANSFERRED: lambda: services.transfer(window=window, by=clerk, category=other_category,
                                                                   at=minutes(morning, 2))}.get(state)
        if step:
            step()
    Window.objects.filter(pk=window.pk).update(current_ticket=ticket)
    window.refresh_from_db()
    ticket.refresh_from_db()
    assert ticket.state == state
    return ticket


def act(action: str, ticket: Ticket, *, window, clerk, other_category, at) -> None:
    acts = {
        "cancel": lambda: services.cancel_ticket(ticket=ticket, by=clerk, at=at),
        "recall": lambda: services.recall(window=window, by=clerk, at=at),
        "start": lambda: services.start_serving(window=window, by=clerk, at=at),
        "finish": lambda: services.finish(window=window, by=clerk, at=at),
        "no_show": lambda: services.mark_no_show(window=window, by=clerk, at=at),
        "transfer": lambda: services.transfer(window=window, by=clerk, category=other_category, at=at),
        "reactivate": lambda: services.reactivate_ticket(ticket=ticket, by=clerk, at=at),
    }
    acts[action]()


ACTS_ON_A_TICKET = ["cancel", "recall", "start", "finish", "no_show", "transfer", "reactivate"]


def snapshot() -> tuple:
    return (list(Ticket.objects.order_by("id").values()), list(Window.objects.order_by("id").values()),
            AuditEvent.objects.count())


def test_the_table_lists_every_act_and_the_window_acts_are_its_rows():
    assert set(TICKET_ACTIONS) == {"issue", "call", *ACTS_ON_A_TICKET}
    assert set(WINDOW_TICKET_ACTIONS) <= set(TICKET_ACTIONS)
    for row in TICKET_ACTIONS.values():
        assert row.target in TicketState.values, row.action
        assert row.sources <= set(TicketState.values), row.action
        assert row.audit.startswith("ticket."), row.action
    assert TICKET_TRANSITIONS[TicketState.CALLED] >= {TicketState.CALLED, TicketState.SERVING, TicketState.DONE}


@pytest.mark.parametrize("state", TicketState.values)
@pytest.mark.parametrize("action", ACTS_ON_A_TICKET)
def test_each_act_from_each_state_does_what_its_row_says_or_changes_nothing(
    state, action, category_a, category_b, window, window_b, clerk, morning
):
    row = TICKET_ACTIONS[action]
    ticket = ticket_in(state, category=category_a, other_category=category_b, window=window, clerk=clerk,
                       morning=morning)
    at = minutes(morning, 10)
    if state not in row.sources:
        before = snapshot()
        with pytest.raises(IllegalTransition) as refused:
            act(action, ticket, window=window, clerk=clerk, other_category=category_b, at=at)
        assert refused.value.status == 409
        assert snapshot() == before, f"refused {action} from {state} must change nothing"
        return

    audits = AuditEvent.objects.filter(action=row.audit, object_id=str(ticket.pk)).count()
    act(action, ticket, window=window, clerk=clerk, other_category=category_b, at=at)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.state == row.target, f"{action} from {state} leads to the table's target"
    if row.stamp:
        assert getattr(stored, row.stamp) == at, f"{action} stamps {row.stamp}"
    if row.frees_window:
        window.refresh_from_db()
        assert window.current_ticket_id is None, f"{action} frees the window"
    if row.closes_service:
        assert stored.serving_started_at is not None
    if row.counts_recall:
        assert stored.recall_count == ticket.recall_count + 1
    assert AuditEvent.objects.filter(action=row.audit, object_id=str(ticket.pk)).count() == audits + 1


@pytest.mark.parametrize("state", [s for s in TicketState.values if s != TicketState.WAITING])
def test_only_a_waiting_ticket_is_ever_called(state, category_a, category_b, window, clerk, morning):
    ticket = ticket_in(state, category=category_a, other_category=category_b, window=window, clerk=clerk,
                       morning=morning)
    Window.objects.filter(pk=window.pk).update(current_ticket=None)
    before = snapshot()
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 10)) is None
    assert snapshot() == before
    assert Ticket.objects.get(pk=ticket.pk).state == state


def test_the_audit_entry_of_an_issued_ticket_records_its_number(category_a, morning):
    """The number a person holds is the evidence a complaint names: it is in the chain, not only in the row."""
    first = services.issue_ticket(category=category_a, at=morning)
    second = services.issue_ticket(category=category_a, at=minutes(morning, 1))
    entries = {e.object_id: e.after for e in AuditEvent.objects.filter(action="ticket.issue")}
    assert entries[str(first.pk)]["number"] == first.number == Ticket.objects.get(pk=first.pk).number
    assert entries[str(second.pk)]["number"] == second.number != first.number
