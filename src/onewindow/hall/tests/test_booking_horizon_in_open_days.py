"""The booking horizon (可提前预约天数) counts the hall's open days — working days and rest days it declares open —
not calendar days: the booking page's date picker offers exactly that many days and says so, the demo opens
bands on all of them, and a booking on the last of them is taken while one a day beyond is refused.

Today is Wednesday 2 December 2026: seven open days reach Thursday the 10th, past the weekend of the 5th–6th."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onewindow.core.errors import Conflict
from onewindow.hall import services
from onewindow.hall.demo import _seed_slots
from onewindow.hall.models import Appointment, AppointmentSlot, HallPolicy
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, valid_id

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = dt.datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
SEVEN_OPEN_DAYS = [dt.date(2026, 12, d) for d in (2, 3, 4, 7, 8, 9, 10)]


@pytest.fixture
def category(rest_days_as_the_calendar_says):
    hall = HallFactory(code="YZ-HALL")
    HallPolicy.objects.create(hall=hall, booking_horizon_days=7)
    return CategoryFactory(hall=hall, prefix="A", name="社保业务")


def _band(category, day: dt.date) -> AppointmentSlot:
    return AppointmentSlot.objects.create(category=category, day=day, start=dt.time(9), end=dt.time(10), capacity=2)


def test_the_date_picker_offers_as_many_open_days_as_the_policy_promises_and_says_which(category, client):
    for day in SEVEN_OPEN_DAYS:
        _band(category, day)
    with time_machine.travel(WEDNESDAY, tick=False):
        page = client.get(f"/hall/{category.hall.code}/appointments/").content.decode()
    start = page.index('id="day-picker"')
    picker = page[start:page.index("</nav>", start)]
    offered = re.findall(r"<b>(\d\d-\d\d)</b>", picker)
    assert offered == [f"{d:%m-%d}" for d in SEVEN_OPEN_DAYS]
    assert "可预约今后 7 个开放日（工作日" in page


def test_the_demo_opens_bands_on_every_day_of_the_horizon(category):
    with time_machine.travel(WEDNESDAY, tick=False):
        _seed_slots([category], UserFactory(), WEDNESDAY.date())
    assert sorted(set(AppointmentSlot.objects.values_list("day", flat=True))) == SEVEN_OPEN_DAYS


def test_the_last_open_day_of_the_horizon_is_bookable_and_the_next_is_refused(category):
    last, beyond = _band(category, SEVEN_OPEN_DAYS[-1]), _band(category, dt.date(2026, 12, 11))
    with time_machine.travel(WEDNESDAY, tick=False):
        booked = services.book_appointment(slot=last, identity_number=valid_id(1), mobile="13800000001")
        with pytest.raises(Conflict) as refused:
            services.book_appointment(slot=beyond, identity_number=valid_id(2), mobile="13800000002")
    assert booked.slot == last
    assert refused.value.code == "booking_too_far_ahead" and "7 个开放日" in refused.value.message
    assert list(Appointment.objects.values_list("slot", flat=True)) == [last.pk]
    assert AppointmentSlot.objects.get(pk=beyond.pk).booked == 0
