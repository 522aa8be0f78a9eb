"""Identity numbers and mobiles typed in full width or with invisible characters are one person, one number (issue
10 §2): the hall keys a person by the canonical ASCII form, wherever the number was typed."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.tests.typed import full_width, with_invisibles
from onewindow.hall import services
from onewindow.hall.models import Appointment, AppointmentSlot, Priority, Ticket
from onewindow.hall.tests.factories import book_confirmed, sent_code, valid_id

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def make_slot(category, *, start=9, capacity=2):
    return AppointmentSlot.objects.create(category=category, day=TOMORROW, start=dt.time(start),
                                          end=dt.time(start + 1), capacity=capacity)


def test_the_same_person_typed_in_full_width_and_in_ascii_cannot_book_twice_the_same_day(category_a):
    first, second = make_slot(category_a, start=9), make_slot(category_a, start=10)
    appointment = book_confirmed(slot=first, identity_number=full_width(valid_id(1)),
                                 mobile="13" + full_width("800000001"))
    assert appointment.identity_key == services.identity_key(valid_id(1)), "full width must key the same person"
    assert appointment.mobile == "13800000001" and appointment.mobile.isascii()
    assert appointment.identity_masked == valid_id(1)[:4] + "*" * 10 + valid_id(1)[-4:]
    with pytest.raises(Conflict) as err:
        services.book_appointment(slot=second, identity_number=valid_id(1), mobile="13800000001")
    assert err.value.code == "already_booked"
    with pytest.raises(Conflict) as err:
        services.book_appointment(slot=second, identity_number=with_invisibles(valid_id(1).lower()),
                                  mobile="13800000001")
    assert err.value.code == "already_booked"
    second.refresh_from_db()
    assert second.booked == 0 and Appointment.objects.count() == 1


def test_a_mobile_that_is_not_eleven_digits_once_normalised_books_nothing(category_a):
    slot = make_slot(category_a)
    with pytest.raises(InvalidInput) as err:
        services.book_appointment(slot=slot, identity_number=valid_id(1), mobile="13" + full_width("80000000"))
    assert err.value.fields == {"mobile": "format"}
    slot.refresh_from_db()
    assert slot.booked == 0 and not Appointment.objects.exists()


def test_booking_over_the_api_in_full_width_stores_ascii_and_refuses_the_same_person_again(
        client, category_a, django_capture_on_commit_callbacks):
    first, second = make_slot(category_a, start=9), make_slot(category_a, start=10)
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post("/api/v1/appointments", {"slot": first.pk, "identity_number": full_width(valid_id(7)),
                                                      "mobile": "13" + full_width("800000007")},
                             content_type="application/json")
    assert booked.status_code == 201, booked.content
    confirmed = client.post(f"/api/v1/appointments/{booked.json()['code']}/confirm",
                            {"code": sent_code("13800000007")}, content_type="application/json")
    assert confirmed.status_code == 200, confirmed.content
    appointment = Appointment.objects.get()
    assert appointment.mobile == "13800000007" and appointment.identity_key == services.identity_key(valid_id(7))
    again = client.post("/api/v1/appointments", {"slot": second.pk, "identity_number": valid_id(7),
                                                 "mobile": "13800000007"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_booked"
    # Spaces inside the number do not make it too long for the schema: the length is the canonical one's.
    code = booked.json()["code"]
    found = client.post(f"/api/v1/appointments/{full_width(code.lower())}/lookup",
                        {"identity_number": with_invisibles(valid_id(7))}, content_type="application/json")
    assert found.status_code == 200, found.content
    assert found.json()["code"] == code


def test_the_booking_page_stores_a_full_width_mobile_as_ascii(client, hall, category_a):
    slot = make_slot(category_a)
    client.post(f"/hall/{hall.code}/appointments/", {"slot": slot.pk, "identity_number": full_width(valid_id(4)),
                                                     "mobile": full_width("13800000004")})
    appointment = slot.appointments.get()
    assert appointment.mobile == "13800000004"
    assert appointment.identity_key == services.identity_key(valid_id(4))


def test_the_kiosk_checks_in_a_booking_by_an_identity_number_typed_in_full_width_with_spaces(client, hall,
                                                                                             category_a):
    with time_machine.travel(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC), tick=False):
        now = timezone.localtime()
        start, end = (now + dt.timedelta(minutes=20)).time(), (now + dt.timedelta(minutes=80)).time()
        slot = AppointmentSlot.objects.create(category=category_a, day=now.date(), start=start, end=end, capacity=2)
        book_confirmed(slot=slot, identity_number=valid_id(3), mobile="13800000003",
                       at=timezone.now() - dt.timedelta(days=1))
        response = client.post(f"/hall/{hall.code}/kiosk/",
                               {"mode": "checkin", "identity_number": with_invisibles(full_width(valid_id(3)))})
    assert response.status_code == 302
    assert Ticket.objects.get().priority == Priority.APPOINTMENT


@pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31", "start=9999-12-31&end=9999-12-31",
                                   "end=3000-01-01"])
def test_the_slot_listing_refuses_a_range_of_centuries_with_a_clear_error(client, hall, category_a, query):
    response = client.get(f"/api/v1/appointments/slots?hall={hall.code}&category=A&{query}")
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]["fields"]) <= {"start", "end"}
