import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from onewindow.core.errors import Conflict, IllegalTransition, InvalidIdentityNumber, InvalidInput, PermissionDenied
from onewindow.hall import services
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState, Priority, TicketState
from onewindow.hall.tests.factories import (
    CategoryFactory,
    HallFactory,
    UserFactory,
    book_confirmed,
    retry_when_locked,
    valid_id,
)

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def make_slot(category, *, day=TOMORROW, start=dt.time(9), end=dt.time(10), capacity=2):
    return AppointmentSlot.objects.create(category=category, day=day, start=start, end=end, capacity=capacity)


def slot_start(slot):
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.start))


@pytest.mark.django_db
def test_a_slot_never_takes_more_bookings_than_its_capacity(category_a):
    slot = make_slot(category_a, capacity=2)
    book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    book_confirmed(slot=slot, identity_number=valid_id(2), mobile="13800000002")
    with pytest.raises(Conflict) as err:
        book_confirmed(slot=slot, identity_number=valid_id(3), mobile="13800000003")
    assert err.value.code == "slot_full"
    slot.refresh_from_db()
    assert (slot.booked, Appointment.objects.count()) == (2, 2)


@pytest.mark.django_db
def test_one_live_booking_per_person_per_day(category_a):
    first = make_slot(category_a, start=dt.time(9), end=dt.time(10))
    second = make_slot(category_a, start=dt.time(10), end=dt.time(11))
    book_confirmed(slot=first, identity_number=valid_id(1), mobile="13800000001")
    with pytest.raises(Conflict) as err:
        book_confirmed(slot=second, identity_number=valid_id(1), mobile="13800000001")
    assert err.value.code == "already_booked"
    second.refresh_from_db()
    assert second.booked == 0, "the refused booking must give its place back"


@pytest.mark.django_db
def test_bad_identity_or_mobile_is_refused_and_books_nothing(category_a):
    slot = make_slot(category_a)
    with pytest.raises(InvalidIdentityNumber):
        book_confirmed(slot=slot, identity_number="500103198001010010", mobile="13800000001")
    with pytest.raises(InvalidInput):
        book_confirmed(slot=slot, identity_number=valid_id(1), mobile="12345")
    slot.refresh_from_db()
    assert slot.booked == 0 and not Appointment.objects.exists()


@pytest.mark.django_db
def test_cancel_needs_the_identity_number_and_the_cut_off_and_frees_the_place(category_a):
    slot = make_slot(category_a)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    with pytest.raises(PermissionDenied):
        services.cancel_appointment(appointment=appointment, identity_number=valid_id(2))
    with pytest.raises(Conflict) as err:
        services.cancel_appointment(appointment=appointment, identity_number=valid_id(1),
                                    at=slot_start(slot) - dt.timedelta(minutes=30))
    assert err.value.code == "too_late_to_cancel"
    services.cancel_appointment(appointment=appointment, identity_number=valid_id(1),
                                at=slot_start(slot) - dt.timedelta(hours=3))
    slot.refresh_from_db()
    assert slot.booked == 0
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED


@pytest.mark.django_db
def test_check_in_gives_a_priority_ticket_ahead_of_walk_ins(category_a, window, clerk):
    slot = make_slot(category_a)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001",
                                            at=slot_start(slot) - dt.timedelta(days=1))
    walk_in = services.issue_ticket(category=category_a, at=slot_start(slot) - dt.timedelta(minutes=20))
    ticket = services.check_in(appointment=appointment, at=slot_start(slot) - dt.timedelta(minutes=5))
    assert ticket.priority == Priority.APPOINTMENT and ticket.identity_masked == appointment.identity_masked
    assert services.call_next(window=window, by=clerk, at=slot_start(slot)) == ticket
    walk_in.refresh_from_db()
    assert walk_in.state == TicketState.WAITING
    with pytest.raises(IllegalTransition):
        services.check_in(appointment=appointment, at=slot_start(slot))


@pytest.mark.django_db
def test_check_in_is_refused_too_early_or_after_the_grace_period(category_a):
    slot = make_slot(category_a)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    with pytest.raises(Conflict):
        services.check_in(appointment=appointment, at=slot_start(slot) - dt.timedelta(hours=2))
    with pytest.raises(Conflict):
        services.check_in(appointment=appointment, at=slot_start(slot) + dt.timedelta(hours=2))


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_the_capacity():
    hall = HallFactory()
    slot = make_slot(CategoryFactory(hall=hall, prefix="A"), capacity=5)
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def book(seq: int) -> None:
        try:
            barrier.wait()
            retry_when_locked(lambda: book_confirmed(
                slot=slot, identity_number=valid_id(seq), mobile=f"138000000{seq:02d}"))
            outcomes.append("booked")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(seq,)) for seq in range(1, 13)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert outcomes.count("booked") == 5, outcomes
    assert outcomes.count("slot_full") == 7, outcomes
    # A retried booking (SQLite locked) replaces its own unconfirmed one, which lapses and holds no place.
    assert slot.booked == 5 == Appointment.objects.filter(slot=slot, state=AppointmentState.BOOKED).count()
    assert not Appointment.objects.filter(slot=slot, state=AppointmentState.PENDING).exists()


@pytest.mark.django_db
def test_staff_can_open_slots_citizens_cannot(category_a, clerk):
    bands = [(dt.time(9), dt.time(10)), (dt.time(10), dt.time(11))]
    assert len(services.create_slots(category=category_a, day=TOMORROW, bands=bands, capacity=3, by=clerk)) == 2
    with pytest.raises(PermissionDenied):
        services.create_slots(category=category_a, day=TOMORROW, bands=bands, capacity=3,
                              by=UserFactory(role="citizen"))
