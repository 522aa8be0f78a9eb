"""`core.prepared`: a read compiled once per process gives exactly the rows its queryset gives, with the same
related objects, for any values of its parameters; a parameter its SQL does not carry is refused when compiled."""

import datetime as dt

import pytest

from onewindow.core.models import DailySequence
from onewindow.core.prepared import PreparedRead


@pytest.mark.django_db
def test_a_prepared_read_gives_what_its_queryset_gives_for_every_value():
    day = dt.date(2026, 3, 2)
    for name, value in (("a1", 3), ("a2", 5), ("b1", 9)):
        DailySequence.objects.create(name=name, day=day, last_value=value)
    DailySequence.objects.create(name="a1", day=day + dt.timedelta(days=1), last_value=1)

    def build(name, day):
        return DailySequence.objects.filter(day=day).exclude(name=name).order_by("name")

    read = PreparedRead(build, name=str, day=dt.date)
    for name in ("a1", "b1", "zz"):
        for when in (day, day + dt.timedelta(days=1), day + dt.timedelta(days=2)):
            expected = [(row.pk, row.name, row.day, row.last_value) for row in build(name, when)]
            got = [(row.pk, row.name, row.day, row.last_value) for row in read.all(name=name, day=when)]
            assert got == expected
    assert read.first(name="zz", day=day + dt.timedelta(days=1)).last_value == 1
    assert read.first(name="a1", day=day + dt.timedelta(days=1)) is None


@pytest.mark.django_db
def test_a_parameter_the_sql_does_not_carry_is_refused():
    read = PreparedRead(lambda name: DailySequence.objects.all(), name=str)
    with pytest.raises(ValueError):
        read.first(name="a")
    with pytest.raises(TypeError):
        PreparedRead(lambda rows: DailySequence.objects.all(), rows=list)
