"""预约 in the site header opens the booking page of the center's own hall (the district's before the streets'),
or the list of halls when none takes bookings."""

from __future__ import annotations

import pytest

from onewindow.catalog.models import ServicePoint
from onewindow.hall.tests.factories import CategoryFactory, HallFactory

pytestmark = pytest.mark.django_db


def test_appointments_open_the_district_halls_booking_page_before_a_streets(client):
    street = HallFactory(code="JFB", service_point=ServicePoint.objects.create(code="JFB", name="解放碑街道",
                                                                             level="street"))
    CategoryFactory(hall=street, prefix="A", bookable=True)
    district = HallFactory(code="YZ1", service_point=ServicePoint.objects.create(code="YZ", name="区中心",
                                                                               level="district", sort_order=5))
    CategoryFactory(hall=district, prefix="A", bookable=True)
    response = client.get("/hall/appointments/")
    assert response.status_code == 302 and response["Location"] == "/hall/YZ1/appointments/"


def test_appointments_fall_back_to_the_hall_list_when_no_hall_takes_bookings(client):
    CategoryFactory(hall=HallFactory(), prefix="A", bookable=False)
    response = client.get("/hall/appointments/")
    assert response.status_code == 302 and response["Location"] == "/hall/"
