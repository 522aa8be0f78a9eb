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

