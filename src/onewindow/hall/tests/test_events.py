"""The hall's declared events: each act sends its event once, with the facts later apps rely on; the display
board hears of an act only after it commits, never of one rolled back, and a board that fails undoes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from onewindow.core import live
from onewindow.core.errors import IllegalTransition
from onewindow.core.models import Role
from onewindow.hall import acts, events, services
from onewindow.hall.models import AppointmentSlot, Priority, Ticket, TicketState
from onewindow.hall.tests.factories import (
    CategoryFactory,
    HallFactory,
    UserFactory,
    WindowFactory,
    book_confirmed,
    valid_id,
)

ALL_EVENTS = [*events.TICKET_EVENTS, events.window_status_changed, events.appointment_booked,
              events.appointment_cancelled, events.appointment_checked_in]


@pytest.fixture
def sent():
    """Every hall event sent, in order, as (event name, payload); recorded inside the act's transaction."""
    record: list[tuple[str, object]] = []
    for event in ALL_EVENTS:
        event.connect(lambda payload, name=event.name: record.append((name, payload)), uid=f"test.record.{event.name}")
    yield record
    for event in ALL_EVENTS:
        event.disconnect(uid=f"test.record.{event.name}")


def names(record) -> list[str]:
    return [name for name, _ in record]


def at(start: dt.datetime, n: int) -> dt.datetime:
    return start + dt.timedelta(minutes=n)


@pytest.mark.django_db
def test_each_ticket_act_sends_its_event_once_with_who_where_and_when(sent, hall, category_a, category_b, window,
                                                                      clerk, morning):
    ticket = services.issue_ticket(category=category_a, priority=Priority.ELDERLY, at=morning)
    assert names(sent) == ["hall.ticket_issued"]
    issued = sent[-1][1]
    assert (issued.ticket_id, issued.number, issued.hall_id, issued.category_id, issued.category_name) == (
        ticket.pk, "A001", hall.pk, category_a.pk, "社保业务")
    assert (issued.priority, issued.staff_id, issued.window_id, issued.issued_at) == ("elderly", None, None, morning)

    steps = [
        (lambda: services.call_next(window=window, by=clerk, at=at(morning, 5)), "hall.ticket_called"),
        (lambda: services.recall(window=window, by=clerk, at=at(morning, 6)), "hall.ticket_called"),
        (lambda: services.start_serving(window=window, by=clerk, at=at(morning, 7)), "hall.ticket_serving"),
        (lambda: services.finish(window=window, by=clerk, at=at(morning, 15)), "hall.ticket_finished"),
    ]
    for step, name in steps:
        sent.clear()
        step()
        assert names(sent) == [name]
        facts = sent[0][1]
        assert (facts.ticket_id, facts.window_id, facts.window_number, facts.staff_id) == (
            ticket.pk, window.pk, "5", clerk.pk)
    finished = sent[0][1]
    assert finished.action == "finish" and finished.state == TicketState.DONE
    assert (finished.issued_at, finished.called_at, finished.serving_started_at, finished.finished_at) == (
        morning, at(morning, 5), at(morning, 7), at(morning, 15)), "waits and service times come from the stamps"
    assert finished.recall_count == 1


@pytest.mark.django_db
def test_a_call_and_a_recall_are_told_apart(sent, category_a, window, clerk, morning):
    services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    services.recall(window=window, by=clerk, at=at(morning, 2))
    services.recall(window=window, by=clerk, at=at(morning, 3))
    calls = [payload for name, payload in sent if name == "hall.ticket_called"]
    assert [(c.is_recall, c.recall_count) for c in calls] == [(False, 0), (True, 1), (True, 2)]
    assert all(c.called_at == at(morning, 1) for c in calls), "a recall keeps the first call's time"


@pytest.mark.django_db
def test_no_show_reactivation_transfer_and_cancel_send_their_events(sent, category_a, category_b, window, window_b,
                                                                    clerk, morning):
    missed = services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    sent.clear()
    services.mark_no_show(window=window, by=clerk, at=at(morning, 2))
    services.reactivate_ticket(ticket=missed, by=clerk, at=at(morning, 3))
    assert names(sent) == ["hall.ticket_no_show", "hall.ticket_reactivated"]
    assert sent[1][1].window_id is None and sent[1][1].state == TicketState.WAITING

    services.call_next(window=window, by=clerk, at=at(morning, 4))
    sent.clear()
    new = services.transfer(window=window, by=clerk, category=category_b, target_window=window_b, at=at(morning, 5))
    assert names(sent) == ["hall.ticket_transferred"]
    moved = sent[0][1]
    assert (moved.ticket_id, moved.state, moved.window_id) == (missed.pk, TicketState.TRANSFERRED, window.pk)
    assert (moved.new_ticket_id, moved.new_category_id, moved.target_window_id) == (new.pk, category_b.pk, window_b.pk)

    waiting = services.issue_ticket(category=category_a, at=at(morning, 6))
    sent.clear()
    services.cancel_ticket(ticket=waiting, at=at(morning, 7))
    assert names(sent) == ["hall.ticket_cancelled"]
    assert sent[0][1].finished_at == at(morning, 7)


@pytest.mark.django_db
def test_a_refused_act_sends_nothing(sent, category_a, window, clerk, morning):
    services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=at(morning, 1))
    services.start_serving(window=window, by=clerk, at=at(morning, 2))
    sent.clear()
    with pytest.raises(IllegalTransition):
        services.mark_no_show(window=window, by=clerk, at=at(morning, 3))
    assert sent == []


@pytest.mark.django_db
def test_window_status_changes_name_the_window_the_clerk_and_the_operator(sent, hall, category_a, clerk):
    window = WindowFactory(hall=hall, number="7", categories=[category_a], status="closed")
    services.open_window(window=window, by=clerk)
    services.pause_window(window=window, by=clerk)
    services.resume_window(window=window, by=clerk)
    services.close_window(window=window, by=clerk)
    changes = [payload for _, payload in sent]
    assert [(c.action, c.before, c.status) for c in changes] == [
        ("open", "closed", "open"), ("pause", "open", "paused"), ("resume", "paused", "open"),
        ("close", "open", "closed")]
    assert [c.operator_id for c in changes] == [clerk.pk, clerk.pk, clerk.pk, None]
    assert {(c.window_id, c.window_number, c.hall_id, c.staff_id) for c in changes} == {
        (window.pk, "7", hall.pk, clerk.pk)}


@pytest.mark.django_db
def test_booking_cancelling_and_checking_in_send_their_events(sent, hall, category_a, clerk):
    now = timezone.now()
    day = timezone.localdate() + dt.timedelta(days=1)
    slot = AppointmentSlot.objects.create(category=category_a, day=day, start=dt.time(9), end=dt.time(10), capacity=3)
    first = book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001", at=now)
    services.cancel_appointment(appointment=first, identity_number=valid_id(1), at=now)
    second = book_confirmed(slot=slot, identity_number=valid_id(2), mobile="13800000002", by=clerk, at=now)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    ticket = services.check_in(appointment=second, by=clerk, at=start - dt.timedelta(minutes=5))
    assert names(sent) == ["hall.appointment_booked", "hall.appointment_cancelled", "hall.appointment_booked",
                           "hall.ticket_issued", "hall.appointment_checked_in"]
    booked, cancelled, _, issued, checked_in = (payload for _, payload in sent)
    assert (booked.appointment_id, booked.code, booked.hall_id, booked.slot_id, booked.staff_id) == (
        first.pk, first.code, hall.pk, slot.pk, None), "a citizen booking online is no staff member"
    assert (booked.slot_start, booked.slot_end) == (start, start + dt.timedelta(hours=1))
    assert cancelled.state == "cancelled"
    assert (issued.appointment_id, issued.priority, issued.staff_id) == (second.pk, Priority.APPOINTMENT, clerk.pk)
    assert (checked_in.appointment_id, checked_in.ticket_id, checked_in.ticket_number) == (
        second.pk, ticket.pk, ticket.number)


# -- the display board, an after-commit receiver ---------------------------------------------------------


class Layer:
    """A channel layer that records what the board sends, or fails like an unreachable Redis."""

    def __init__(self, broken: bool = False):
        self.broken = broken
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        if self.broken:
            raise ConnectionError("the channel layer is unreachable")
        self.sent.append((group, message["event"]))


@pytest.fixture
def layer(monkeypatch):
    fake = Layer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: fake)
    return fake


@pytest.mark.django_db
def test_the_board_hears_of_a_call_only_once_it_has_committed(layer, hall, category_a, window, clerk,
                                                              django_capture_on_commit_callbacks):
    services.issue_ticket(category=category_a)
    services.issue_ticket(category=category_a)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        with transaction.atomic():
            ticket = acts.call_next(window=window, by=clerk)
        assert layer.sent == [], "nothing reaches the board inside the transaction"
    for callback in pending:
        callback()
    assert [group for group, _ in layer.sent] == [f"hall.{hall.pk}", f"window.{window.pk}"]
    message = layer.sent[0][1]
    assert {k: message[k] for k in ("kind", "ticket", "window", "category", "speech")} == {
        "kind": "call", "ticket": ticket.number, "window": "5", "category": "社保业务",
        "speech": "请 A001 号到 5 号窗口办理"}
    assert message["waiting_change"] == [{"prefix": "A", "name": "社保业务", "by": -1}], \
        "the board is told how the count changed, not sent counts read again"


@pytest.mark.django_db
def test_each_ticket_act_tells_the_board_what_its_row_says(layer, hall, category_a, window, clerk, morning,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_ticket(category=category_a, at=morning)
    with django_capture_on_commit_callbacks(execute=True):
        services.call_next(window=window, by=clerk, at=at(morning, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.recall(window=window, by=clerk, at=at(morning, 2))
    with django_capture_on_commit_callbacks(execute=True):
        services.start_serving(window=window, by=clerk, at=at(morning, 3))
    with django_capture_on_commit_callbacks(execute=True):
        services.finish(window=window, by=clerk, at=at(morning, 4))
    with django_capture_on_commit_callbacks(execute=True):
        services.pause_window(window=window, by=clerk)
    kinds = [(group.split(".")[0], message["kind"]) for group, message in layer.sent]
    assert kinds == [("hall", "counts"), ("hall", "call"), ("window", "call"), ("hall", "recall"),
                     ("window", "recall"), ("hall", "serving"), ("window", "serving"), ("hall", "finish"),
                     ("window", "finish"), ("hall", "window"), ("window", "window")]
    assert layer.sent[-1][1] == {"kind": "window", "window": "5", "status": "paused"}
    assert layer.sent[3][1]["at"] == timezone.localtime(at(morning, 2)).strftime("%H:%M:%S")


def _world():
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = UserFactory(role=Role.CLERK)
    services.issue_ticket(category=category)
    return window, clerk


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_call_never_reaches_the_board(layer):
    window, clerk = _world()
    layer.sent.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        acts.call_next(window=window, by=clerk)
        raise RuntimeError("the clerk's session broke")
    assert layer.sent == []
    assert Ticket.objects.get().state == TicketState.WAITING


@pytest.mark.django_db(transaction=True)
def test_a_board_that_cannot_be_told_never_undoes_the_call(monkeypatch, caplog):
    window, clerk = _world()
    monkeypatch.setattr(live, "get_channel_layer", lambda: Layer(broken=True))
    ticket = services.call_next(window=window, by=clerk)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CALLED
    window.refresh_from_db()
    assert window.current_ticket_id == ticket.pk
    assert any("hall.ticket_called" in record.getMessage() for record in caplog.records), "the failure is logged"
