import datetime as dt

import pytest
from django.utils import timezone

from onewindow.hall import services
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState, Confirmation, HallPolicy
from onewindow.hall.tests.factories import book_confirmed, valid_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def missed_on(category, day, seq=1, *, mobile="13800000001", state=AppointmentState.MISSED,
              confirmed_via=Confirmation.CODE):
    """A booking on a past day that nobody checked in (written directly: the past cannot be booked)."""
    slot, _ = AppointmentSlot.objects.get_or_create(
        category=category, day=day, start=dt.time(9), defaults={"end": dt.time(10), "capacity": 5, "booked": 1}
    )
    number = valid_id(seq)
    return Appointment.objects.create(
        slot=slot, day=day, code=f"M{day:%m%d}{seq:02d}"[:8], identity_key=services.identity_key(number),
        holder_key=services.holder_key(number, mobile), identity_masked="5001**********", mobile=mobile,
        booked_at=timezone.now(), state=state, confirmed_via=confirmed_via,
    )


def tomorrow_slot(category):
    return AppointmentSlot.objects.create(category=category, day=TODAY + dt.timedelta(days=1), start=dt.time(14),
                                          end=dt.time(15), capacity=5)


def test_three_missed_bookings_in_thirty_days_block_online_booking(category_a):
    for days_ago in (3, 10, 25):
        missed_on(category_a, TODAY - dt.timedelta(days=days_ago))
    with pytest.raises(services.BookingBlocked) as err:
        book_confirmed(slot=tomorrow_slot(category_a), identity_number=valid_id(1), mobile="13800000001")
    assert err.value.status == 403
    assert (TODAY + dt.timedelta(days=27)).isoformat() in err.value.message, "the message names the day it ends"


def test_two_misses_or_misses_older_than_the_window_do_not_block(category_a):
    missed_on(category_a, TODAY - dt.timedelta(days=3))
    missed_on(category_a, TODAY - dt.timedelta(days=10))
    missed_on(category_a, TODAY - dt.timedelta(days=45))
    book_confirmed(slot=tomorrow_slot(category_a), identity_number=valid_id(1), mobile="13800000001")


def test_a_booking_left_unchecked_on_a_past_day_counts_as_missed(category_a):
    for days_ago in (1, 2, 3):
        appointment = missed_on(category_a, TODAY - dt.timedelta(days=days_ago))
        Appointment.objects.filter(pk=appointment.pk).update(state=AppointmentState.BOOKED)
    with pytest.raises(services.BookingBlocked):
        book_confirmed(slot=tomorrow_slot(category_a), identity_number=valid_id(1), mobile="13800000001")


def test_the_rule_is_configurable_and_other_people_are_not_affected(hall, category_a):
    HallPolicy.objects.create(hall=hall, missed_limit=2, missed_window_days=10, booking_block_days=5)
    missed_on(category_a, TODAY - dt.timedelta(days=2))
    missed_on(category_a, TODAY - dt.timedelta(days=8))
    slot = tomorrow_slot(category_a)
    with pytest.raises(services.BookingBlocked):
        book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    book_confirmed(slot=slot, identity_number=valid_id(2), mobile="13800000002")


def test_the_block_ends_after_its_period(hall, category_a):
    HallPolicy.objects.create(hall=hall, booking_block_days=5)
    for days_ago in (20, 21, 22):
        missed_on(category_a, TODAY - dt.timedelta(days=days_ago))
    book_confirmed(slot=tomorrow_slot(category_a), identity_number=valid_id(1), mobile="13800000001")


def test_expiry_marks_past_bookings_missed(category_a):
    slot = AppointmentSlot.objects.create(category=category_a, day=TODAY + dt.timedelta(days=1), start=dt.time(9),
                                          end=dt.time(10), capacity=2)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    after = timezone.make_aware(dt.datetime.combine(slot.day, dt.time(11)))
    assert services.expire_appointments(at=after) == 1
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.MISSED
