"""Factories for the hall's tests: a service point with a hall, categories, windows and staff."""

from __future__ import annotations

import factory

from onewindow.catalog.models import Department, Hall, Level, ServicePoint, StaffAssignment
from onewindow.core.identity import id_check_char
from onewindow.core.models import Role, User
from onewindow.hall.models import ServiceCategory, Window, WindowStatus


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    code = factory.Sequence(lambda n: f"SP{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}行政服务中心")
    level = Level.DISTRICT


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    service_point = factory.SubFactory(ServicePointFactory)
    code = factory.Sequence(lambda n: f"H{n:03d}")
    name = "综合受理大厅"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CLERK
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def department(self, create, extracted, **kwargs):
        """`UserFactory(department=d)` assigns the person to d (人员所属部门)."""
        if create and extracted is not None:
            StaffAssignment.objects.update_or_create(user=self, defaults={"department": extracted})


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    hall = factory.SubFactory(HallFactory)
    name = factory.Sequence(lambda n: f"业务{n}")
    prefix = factory.Sequence(lambda n: "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24])


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window
        skip_postgeneration_save = True

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    status = WindowStatus.OPEN

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


def valid_id(seq: int = 1, born: str = "19800101") -> str:
    """A resident identity number with a correct check digit."""
    first17 = f"500103{born}{seq:03d}"
    return first17 + id_check_char(first17)


def retry_when_locked(action, attempts: int = 200):
    """Run `action`, retrying while SQLite reports a locked table.

    Django's SQLite test database is in memory with a shared cache, whose table locks fail at once
    instead of waiting as the file database (timeout=30, IMMEDIATE) does; retrying gives threads in
    tests the same queueing. PostgreSQL never takes this path.
    """
    import time

    from django.db import OperationalError

    for attempt in range(attempts):
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.005)
    return None


def sent_code(mobile: str) -> str:
    """The six-digit code in the last text message sent to `mobile` (the tests' SMS outbox)."""
    import re

    from onewindow.core import sms

    texts = [m.text for m in sms.outbox if m.mobile == mobile]
    assert texts, f"no text message was sent to {mobile}"
    found = re.search(r"验证码为 (\d{6})", texts[-1])
    assert found, texts[-1]
    return found.group(1)


def book_confirmed(**kwargs):
    """Book through the service and confirm with the code sent to the mobile, as the holder does on the page."""
    from django.test import TestCase

    from onewindow.hall import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        appointment = services.book_appointment(**kwargs)
    if appointment.state == "pending":
        appointment = services.confirm_appointment(appointment=appointment, code=sent_code(appointment.mobile),
                                                   at=kwargs.get("at"))
    return appointment
