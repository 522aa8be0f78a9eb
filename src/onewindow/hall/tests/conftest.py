import datetime as dt

import pytest
from django.utils import timezone

from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory


@pytest.fixture
def hall(db):
    return HallFactory()


@pytest.fixture
def category_a(hall):
    return CategoryFactory(hall=hall, prefix="A", name="社保业务")


@pytest.fixture
def category_b(hall):
    return CategoryFactory(hall=hall, prefix="B", name="不动产登记")


@pytest.fixture
def clerk(db):
    return UserFactory()


@pytest.fixture
def window(hall, category_a):
    return WindowFactory(hall=hall, number="5", categories=[category_a])


@pytest.fixture
def window_b(hall, category_b):
    return WindowFactory(hall=hall, number="6", categories=[category_b])


@pytest.fixture
def morning():
    """09:00 today in the hall's time zone; tests step the clock from here with `at=`."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9, 0)))



@pytest.fixture
def rest_days_as_the_calendar_says():
    """Requested by the tests of the rest-day rule: the halls they make are not opened on rest days for them."""


@pytest.fixture(autouse=True)
def _test_halls_open_on_rest_days_near_today(request):
    """The hall tests book 'today' and 'tomorrow' by the real clock, which may be a weekend or a holiday: every hall a
    test makes is declared open (HallOpenDay) on the rest days around today, so that they test what they name on any
    day they run. Tests of the rest-day rule itself request `rest_days_as_the_calendar_says` instead."""
    if "rest_days_as_the_calendar_says" in request.fixturenames:
        yield
        return
    from django.db.models.signals import post_save

    from onewindow.catalog.models import Hall
    from onewindow.hall.models import HallOpenDay
    from onewindow.workdays.selectors import get_calendar

    def open_near_today(sender, instance, created, **kwargs):
        if not created:
            return
        calendar, today = get_calendar(), timezone.localdate()
        days = [today + dt.timedelta(days=n) for n in range(-7, 15)]
        HallOpenDay.objects.bulk_create(
            HallOpenDay(hall=instance, day=d, reason="测试") for d in days
            if calendar.covers(d) and not calendar.is_working_day(d))

    post_save.connect(open_near_today, sender=Hall, dispatch_uid="hall-tests-open-near-today")
    yield
    post_save.disconnect(sender=Hall, dispatch_uid="hall-tests-open-near-today")
