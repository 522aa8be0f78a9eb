"""The booking page lists one day's times at a time, chosen by a plain link (`?day=YYYY-MM-DD`), so it works
without JavaScript; a day outside the picker is refused with a clear message and the first open day is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.hall.models import AppointmentSlot

pytestmark = pytest.mark.django_db


def _band(category, day: dt.date, hour: int, capacity: int = 2) -> AppointmentSlot:
    return AppointmentSlot.objects.create(category=category, day=day, start=dt.time(hour), end=dt.time(hour + 1),
                                          capacity=capacity)


def test_the_chosen_day_shows_only_its_own_times_grouped_by_category(client, hall, category_a, category_b):
    tomorrow, after = timezone.localdate() + dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=2)
    _band(category_a, tomorrow, 9)
    _band(category_b, tomorrow, 10)
    _band(category_a, after, 14)
    page = client.get(f"/hall/{hall.code}/appointments/", {"day": after.isoformat()}).content.decode()
    assert "14:00–15:00" in page and "09:00–10:00" not in page and "10:00–11:00" not in page
    assert f'href="?day={after.isoformat()}#times-title" aria-current="date"' in page
    first = client.get(f"/hall/{hall.code}/appointments/", {"day": tomorrow.isoformat()}).content.decode()
    assert '<legend>A <span lang="zh-Hans">社保业务</span></legend>' in first
    assert '<legend>B <span lang="zh-Hans">不动产登记</span></legend>' in first


def test_a_full_day_is_shown_but_cannot_be_chosen(client, hall, category_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    slot = _band(category_a, tomorrow, 9, capacity=1)
    AppointmentSlot.objects.filter(pk=slot.pk).update(booked=1)
    page = client.get(f"/hall/{hall.code}/appointments/").content.decode()
    assert f'href="?day={tomorrow.isoformat()}' not in page and "已约满" in page


@pytest.mark.parametrize("day", ["2001-01-01", "not-a-day", "9999-99-99"])
def test_a_day_outside_the_picker_is_refused_with_a_message(client, hall, category_a, day):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _band(category_a, tomorrow, 9)
    response = client.get(f"/hall/{hall.code}/appointments/", {"day": day})
    page = response.content.decode()
    assert response.status_code == 404 and "所选日期不可预约" in page and "09:00–10:00" in page
