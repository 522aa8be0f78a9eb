"""Calendar and hall days (issue 10 §7): no time band is opened or booked on a rest day — a statutory holiday
(2026-10-01) or an ordinary weekend day (Saturday 2026-12-05) — unless the hall is declared open that day
(休息日开放, e.g. marriage registration on chosen dates); an adjusted working Saturday (2026-10-10) is a working day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onewindow.core.errors import Conflict
from onewindow.core.models import AuditEvent, Role
from onewindow.hall import services
from onewindow.hall.demo import BANDS, _seed_slots
from onewindow.hall.models import Appointment, AppointmentSlot, HallOpenDay
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, valid_id

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = dt.date(2026, 10, 1)
SATURDAY = dt.date(2026, 12, 5)
WORKING_SATURDAY = dt.date(2026, 10, 10)
BAND = [(dt.time(9), dt.time(10))]


@pytest.fixture
def category(rest_days_as_the_calendar_says):
    return CategoryFactory(hall=HallFactory(name="婚姻登记区"), prefix="M", name="婚姻登记")


@pytest.fixture
def clerk(db):
    return UserFactory()


def travel(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=SHANGHAI), tick=False)


@pytest.mark.parametrize(("today", "day"), [("2026-09-28", NATIONAL_DAY), ("2026-11-30", SATURDAY)])
def test_no_band_is_opened_on_a_rest_day(category, clerk, today, day):
    with travel(today), pytest.raises(Conflict) as refused:
        services.create_slots(category=category, day=day, bands=BAND, capacity=3, by=clerk)
    assert refused.value.code == "hall_closed" and refused.value.fields == {"day": "closed"}
    assert not AppointmentSlot.objects.exists()


@pytest.mark.parametrize(("today", "day"), [("2026-09-28", NATIONAL_DAY), ("2026-11-30", SATURDAY)])
def test_a_band_left_on_a_rest_day_takes_no_booking_and_is_not_listed(category, client, today, day):
    # A band made before the rule (as the demo once opened them over National Day).
    slot = AppointmentSlot.objects.create(category=category, day=day, start=dt.time(9), end=dt.time(10), capacity=3)
    with travel(today):
        with pytest.raises(Conflict) as refused:
            services.book_appointment(slot=slot, identity_number=valid_id(1), mobile="13800000001")
        listed = client.get("/api/v1/appointments/slots", {"hall": category.hall.code, "category": "M"}).json()
    assert refused.value.code == "hall_closed"
    assert not Appointment.objects.exists() and AppointmentSlot.objects.get(pk=slot.pk).booked == 0
    assert listed == []


def test_an_adjusted_working_saturday_is_a_working_day_for_the_hall(category, clerk):
    with travel("2026-10-05"):
        (slot,) = services.create_slots(category=category, day=WORKING_SATURDAY, bands=BAND, capacity=3, by=clerk)
        services.book_appointment(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 1


def test_a_hall_declared_open_on_a_rest_day_opens_and_books_bands_that_day(category, clerk, admin_client):
    response = admin_client.post("/admin/hall/hallopenday/add/",
                                 {"hall": category.hall_id, "day": SATURDAY.isoformat(), "reason": "冬至婚姻登记特别开放"})
    assert response.status_code == 302, response.content.decode()[:1000]
    declared = HallOpenDay.objects.get()
    assert AuditEvent.objects.filter(action="hall_open_day.create", object_id=str(declared.pk)).exists()
    with travel("2026-11-30"):
        (slot,) = services.create_slots(category=category, day=SATURDAY, bands=BAND, capacity=3, by=clerk)
        services.book_appointment(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 1
    # Another hall of the same service point stays closed that day.
    other = CategoryFactory(hall=HallFactory(service_point=category.hall.service_point), prefix="S")
    with travel("2026-11-30"), pytest.raises(Conflict):
        services.create_slots(category=other, day=SATURDAY, bands=BAND, capacity=3, by=clerk)
    # A declaration with bands that day is not withdrawn under them.
    response = admin_client.post(f"/admin/hall/hallopenday/{declared.pk}/delete/", {"post": "yes"})
    assert HallOpenDay.objects.filter(pk=declared.pk).exists()


def test_a_working_day_needs_no_declaration_and_a_clerk_may_not_declare(category, client, admin_client):
    response = admin_client.post("/admin/hall/hallopenday/add/",
                           {"hall": category.hall_id, "day": "2026-12-01", "reason": "多余"})
    assert response.status_code == 200 and "是工作日，无须声明开放" in response.content.decode()
    clerk = UserFactory(role=Role.CLERK, is_staff=True)
    client.force_login(clerk)
    response = client.post("/admin/hall/hallopenday/add/",
                           {"hall": category.hall_id, "day": SATURDAY.isoformat(), "reason": "七夕"})
    assert response.status_code == 403
    assert not HallOpenDay.objects.exists()


def test_a_band_cannot_be_added_on_a_rest_day_in_the_admin(category, admin_client):
    response = admin_client.post("/admin/hall/appointmentslot/add/", {
        "category": category.pk, "day": NATIONAL_DAY.isoformat(), "start": "09:00", "end": "10:00", "capacity": 3})
    assert response.status_code == 200 and "为休息日" in response.content.decode()
    assert not AppointmentSlot.objects.exists()


def test_the_demo_opens_no_band_over_national_day(category, clerk):
    category.bookable = True
    category.save()
    _seed_slots([category], clerk, dt.date(2026, 9, 29))  # the horizon's 7 open days, across National Day
    days = sorted({s.day for s in AppointmentSlot.objects.all()})
    assert days[:2] == [dt.date(2026, 9, 29), dt.date(2026, 9, 30)] and len(days) == 7
    assert not any(dt.date(2026, 10, 1) <= day <= dt.date(2026, 10, 7) for day in days)
    assert AppointmentSlot.objects.count() == 7 * len(BANDS)


def test_a_notice_that_makes_a_booked_day_a_holiday_cancels_its_bookings_and_tells_the_holder(
        category, clerk, tmp_path, django_capture_on_commit_callbacks):
    from onewindow.cases.models import Notice
    from onewindow.cases.tests.test_calendar_recount import load_notice

    citizen = UserFactory(role=Role.CITIZEN)
    with travel("2026-12-30"):
        (slot,) = services.create_slots(category=category, day=dt.date(2027, 1, 4), bands=BAND, capacity=3, by=clerk)
        booking = services.book_appointment(slot=slot, identity_number=valid_id(1), mobile="13800000001", by=citizen)
        with django_capture_on_commit_callbacks(execute=True):
            load_notice(tmp_path)  # Monday 4 January 2027 becomes a bridging holiday

    booking.refresh_from_db()
    assert booking.state == "cancelled" and AppointmentSlot.objects.get(pk=slot.pk).booked == 0
    event = AuditEvent.objects.get(action="appointment.cancel", object_id=str(booking.pk))
    assert "2027-01-04" in event.reason
    notice = Notice.objects.get(kind="calendar_changed", recipient=citizen)
    assert booking.code in notice.title and "不计爽约" in notice.body
