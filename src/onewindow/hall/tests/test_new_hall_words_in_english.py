"""The kiosk's priorities, the booking picker and the lost-and-found search read in English on English pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.hall.models import AppointmentSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_kiosk_booking_and_lost_and_found_speak_english(english, hall, category_a):
    AppointmentSlot.objects.create(category=category_a, day=timezone.localdate() + dt.timedelta(days=1),
                                   start=dt.time(9), end=dt.time(10), capacity=2)
    kiosk = english.get(f"/hall/{hall.code}/kiosk/").content.decode()
    assert "Senior" in kiosk and "Pregnant" in kiosk and "Priority (choose the green channel" in kiosk
    book = english.get(f"/hall/{hall.code}/appointments/").content.decode()
    assert "1. Choose a day" in book and "open days" in book and "2 left" in book
    found = english.get("/hall/lost-found/", {"kind": "keys"}).content.decode()
    assert "Kind of item" in found and "No item matches" in found
