"""The booking form as a screen reader meets it: every slot and field labelled, no id twice, the skip link first;
a refused booking keeps all of that and says why on the page."""

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.core.tests.html_checks import accessibility_problems
from onewindow.hall.models import AppointmentSlot

pytestmark = pytest.mark.django_db


def test_the_booking_form_is_whole_before_and_after_a_refused_booking(client, hall, category_a):
    AppointmentSlot.objects.create(category=category_a, day=timezone.localdate() + dt.timedelta(days=1),
                                   start=dt.time(9), end=dt.time(10), capacity=2)
    url = f"/hall/{hall.code}/appointments/"
    page = client.get(url)
    assert page.status_code == 200 and accessibility_problems(page.content.decode()) == []

    refused = client.post(url, {"identity_number": "123", "mobile": "1"})
    html = refused.content.decode()

    assert refused.status_code == 422 and "请选择预约时段" in html
    assert accessibility_problems(html) == []
