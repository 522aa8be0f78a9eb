"""Online booking is confirmed by its holder (a 实名 account, or the code sent to the mobile), unconfirmed bookings
lapse and never count as no-shows, booking in a victim's number never blocks the victim, booking and code
sending are rate-limited, and the session's unsafe requests carry their CSRF token."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.core import sms
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.models import Role
from onewindow.hall import services
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState, Confirmation
from onewindow.hall.tests.factories import UserFactory, book_confirmed, sent_code, valid_id

pytestmark = pytest.mark.django_db
VICTIM, ATTACKER = "13800000001", "13999999999"


def _slot(category, days=1, start=9, capacity=3):
    return AppointmentSlot.objects.create(category=category, day=timezone.localdate() + dt.timedelta(days=days),
                                          start=dt.time(start), end=dt.time(start + 1), capacity=capacity)


def _book(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.book_appointment(**kwargs)


def test_an_unconfirmed_booking_holds_its_place_ten_minutes_and_the_code_goes_to_the_mobile(
        category_a, django_capture_on_commit_callbacks):
    slot = _slot(category_a, capacity=1)
    now = timezone.now()
    pending = _book(django_capture_on_commit_callbacks, slot=slot, identity_number=valid_id(1), mobile=VICTIM, at=now)
    assert pending.state == AppointmentState.PENDING
    assert pending.expires_at == now + dt.timedelta(minutes=10)
    code = sent_code(VICTIM)
    assert code not in pending.code_digest and len(pending.code_digest) == 64, "only a keyed digest is stored"
    slot.refresh_from_db()
    assert slot.remaining == 0, "the place is held while the code is on its way"
    # Eleven minutes later the booking has lapsed: the place is free again for someone else.
    later = now + dt.timedelta(minutes=11)
    other = _book(django_capture_on_commit_callbacks, slot=slot, identity_number=valid_id(2), mobile="13800000002",
                  at=later)
    assert other.state == AppointmentState.PENDING
    pending.refresh_from_db()
    assert pending.state == AppointmentState.EXPIRED
    with pytest.raises(Conflict) as lapsed:
        services.confirm_appointment(appointment=pending, code=code, at=later)
    assert lapsed.value.code == "confirmation_expired"


def test_the_code_is_single_use_and_five_wrong_tries_end_the_booking(category_a, django_capture_on_commit_callbacks):
    slot = _slot(category_a)
    pending = _book(django_capture_on_commit_callbacks, slot=slot, identity_number=valid_id(1), mobile=VICTIM)
    right = sent_code(VICTIM)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput) as refused:
            services.confirm_appointment(appointment=pending, code=wrong)
        assert refused.value.code == "wrong_confirmation_code" and f"还可尝试 {left} 次" in refused.value.message
    with pytest.raises(Conflict) as ended:
        services.confirm_appointment(appointment=pending, code=wrong)
    assert ended.value.code == "confirmation_expired"
    with pytest.raises(Conflict):
        services.confirm_appointment(appointment=pending, code=right)
    pending.refresh_from_db()
    slot.refresh_from_db()
    assert pending.state == AppointmentState.EXPIRED and slot.booked == 0
    again = _book(django_capture_on_commit_callbacks, slot=slot, identity_number=valid_id(1), mobile=VICTIM)
    code = sent_code(VICTIM)
    assert services.confirm_appointment(appointment=again, code=code).state == AppointmentState.BOOKED
    assert services.confirm_appointment(appointment=again, code="").confirmed_via == Confirmation.CODE, \
        "confirming a confirmed booking changes nothing"
    again.refresh_from_db()
    assert again.code_digest == "", "used once, the code is gone"


def test_a_signed_in_account_of_that_identity_confirms_at_once(category_a):
    holder = UserFactory(role=Role.CITIZEN, identity_number=valid_id(1))
    stranger = UserFactory(role=Role.CITIZEN, identity_number=valid_id(9))
    slot = _slot(category_a)
    own = services.book_appointment(slot=slot, identity_number=valid_id(1), mobile=VICTIM, by=holder)
    assert (own.state, own.confirmed_via) == (AppointmentState.BOOKED, Confirmation.ACCOUNT)
    assert not sms.outbox, "no code is needed"
    other = services.book_appointment(slot=slot, identity_number=valid_id(2), mobile="13800000002", by=stranger)
    assert other.state == AppointmentState.PENDING, "an account of another person proves nothing"


def test_booking_in_a_victims_number_never_blocks_the_victim(hall, category_a, django_capture_on_commit_callbacks):
    # The attacker books and confirms in the victim's number with their own mobile, three days running, and never
    # comes: those are their misses, not the victim's.
    for days in (1, 2, 3):
        slot = _slot(category_a, days=days, capacity=5)
        made = book_confirmed(slot=slot, identity_number=valid_id(1), mobile=ATTACKER)
        assert made.state == AppointmentState.BOOKED
    # The victim books the same day as the attacker's first booking: not refused as "already booked".
    first_day = _slot(category_a, days=1, start=14)
    mine = book_confirmed(slot=first_day, identity_number=valid_id(1), mobile=VICTIM)
    assert mine.state == AppointmentState.BOOKED
    # The attacker's bookings pass unchecked: they are missed, and the victim can still book.
    after = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=4), dt.time(12)))
    Appointment.objects.filter(mobile=ATTACKER).update(state=AppointmentState.MISSED)
    later = AppointmentSlot.objects.create(category=category_a, day=after.date() + dt.timedelta(days=1),
                                           start=dt.time(9), end=dt.time(10), capacity=5)
    victim_again = book_confirmed(slot=later, identity_number=valid_id(1), mobile=VICTIM, at=after)
    assert victim_again.state == AppointmentState.BOOKED
    # The attacker's own holder (number + their mobile) is blocked.
    with pytest.raises(services.BookingBlocked):
        services.book_appointment(slot=later, identity_number=valid_id(1), mobile=ATTACKER, at=after)


def test_unconfirmed_bookings_never_count_as_no_shows(category_a, django_capture_on_commit_callbacks):
    for days in (1, 2, 3):
        _book(django_capture_on_commit_callbacks, slot=_slot(category_a, days=days), identity_number=valid_id(1),
              mobile=VICTIM)
    after = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=4), dt.time(12)))
    assert services.expire_appointments(at=after) == 0, "nothing missed: they were never confirmed"
    assert set(Appointment.objects.values_list("state", flat=True)) == {AppointmentState.EXPIRED}
    slot = AppointmentSlot.objects.create(category=category_a, day=after.date() + dt.timedelta(days=1),
                                          start=dt.time(9), end=dt.time(10), capacity=5)
    assert book_confirmed(slot=slot, identity_number=valid_id(1), mobile=VICTIM, at=after).state == "booked"


def test_the_file_backend_writes_each_message_under_var_sms(settings, tmp_path):
    settings.SMS_BACKEND = "onewindow.core.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    assert sms.send_sms(VICTIM, "您的预约验证码为 123456") == 1
    [written] = Path(tmp_path / "sms").iterdir()
    assert VICTIM in written.name and "123456" in written.read_text(encoding="utf-8")


# -- over HTTP ---------------------------------------------------------------------------------------------


def _post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_booking_over_the_api_is_rate_limited_per_identity_and_per_client(settings, category_a):
    settings.HALL_BOOKING_RATE_PER_IDENTITY = "3/h"
    settings.HALL_BOOKING_RATE_PER_IP = "5/h"
    slot = _slot(category_a, capacity=20)
    client = Client()
    answers = [_post(client, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(1),
                                                      "mobile": f"1380000000{i}"}).status_code for i in range(4)]
    assert answers == [201, 201, 201, 429]
    limited = _post(client, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(1),
                                                     "mobile": "13800000009"})
    assert limited.json()["error"]["code"] == "rate_limited"
    others = [_post(client, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(n),
                                                     "mobile": f"1380000001{n}"}).status_code for n in (2, 3)]
    assert others == [429, 429], "this client has used its five bookings an hour"
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert _post(elsewhere, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(4),
                                                     "mobile": "13800000014"}).status_code == 201
    assert Appointment.objects.count() == 4


def test_codes_to_one_mobile_are_rate_limited(settings, category_a):
    settings.HALL_SMS_RATE_PER_MOBILE = "2/h"
    slot = _slot(category_a, capacity=20)
    answers = [_post(Client(REMOTE_ADDR=f"10.0.1.{n}"), "/api/v1/appointments",
                     {"slot": slot.pk, "identity_number": valid_id(n), "mobile": VICTIM}).status_code
               for n in (1, 2, 3)]
    assert answers == [201, 201, 429]


def test_cancel_with_a_staff_cookie_from_a_foreign_origin_without_token_is_refused(client, category_a, clerk):
    slot = _slot(category_a)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile=VICTIM)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    refused = _post(browser, f"/api/v1/appointments/{appointment.code}/cancel", {},
                    HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert (appointment.state, slot.booked) == (AppointmentState.BOOKED, 1), "nothing changed"
    # A booking made with the staff member's cookie from a foreign page is refused the same way.
    assert _post(browser, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(2),
                                                   "mobile": "13800000002"},
                 HTTP_ORIGIN="https://evil.example").status_code == 403
    assert Appointment.objects.count() == 1


def test_the_staff_page_session_with_its_token_cancels(category_a, clerk):
    slot = _slot(category_a)
    appointment = book_confirmed(slot=slot, identity_number=valid_id(1), mobile=VICTIM)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    browser.get("/hall/appointments/cancel/")
    token = browser.cookies["csrftoken"].value
    done = _post(browser, f"/api/v1/appointments/{appointment.code}/cancel", {}, HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200 and done.json()["state"] == "cancelled"


def test_a_signed_in_holder_confirms_over_the_api_without_a_code(category_a):
    holder = UserFactory(role=Role.CITIZEN, identity_number=valid_id(1))
    slot = _slot(category_a)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(holder)
    browser.get("/hall/appointments/cancel/")
    token = browser.cookies["csrftoken"].value
    booked = _post(browser, "/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(1),
                                                     "mobile": VICTIM}, HTTP_X_CSRFTOKEN=token)
    assert booked.status_code == 201 and booked.json()["state"] == "booked", booked.content
    assert not sms.outbox
