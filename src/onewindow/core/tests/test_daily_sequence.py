"""One daily sequence table numbers cases, packages and tickets; the move to it keeps every number issued."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from onewindow.core import kit
from onewindow.core.errors import Conflict, ErrorCode
from onewindow.core.models import DailySequence

DAY = dt.date(2025, 3, 3)


@pytest.mark.django_db
def test_each_name_and_day_counts_on_its_own_from_one():
    with transaction.atomic():
        assert [kit.next_in_sequence("cases.department.1", DAY) for _ in range(3)] == [1, 2, 3]
        assert kit.next_in_sequence("cases.department.2", DAY) == 1
        assert kit.next_in_sequence("cases.department.1", DAY + dt.timedelta(days=1)) == 1
    assert DailySequence.objects.get(name="cases.department.1", day=DAY).last_value == 3


@pytest.mark.django_db
def test_a_value_past_the_limit_is_refused_as_exhausted():
    with transaction.atomic():
        kit.next_in_sequence("bundles.package", DAY, limit=2)
        kit.next_in_sequence("bundles.package", DAY, limit=2)
        with pytest.raises(Conflict) as caught:
            kit.next_in_sequence("bundles.package", DAY, limit=2)
    assert caught.value.code == ErrorCode.NUMBER_EXHAUSTED and "2025-03-03" in caught.value.message


@pytest.mark.django_db(transaction=True)
def test_migrating_to_the_one_table_keeps_every_number_already_issued():
    """Counters of the three old tables on a day go on from where they stood, forward and back."""
    before = [("cases", "0002_case_case_running"), ("bundles", "0001_initial"), ("hall", "0001_initial"),
              ("core", "0002_daily_sequence")]
    after = [("cases", "0003_one_daily_sequence"), ("bundles", "0002_one_daily_sequence"),
             ("hall", "0002_one_daily_sequence")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    department = old.get_model("catalog", "Department").objects.create(code="SC", name="市场监管局")
    point = old.get_model("catalog", "ServicePoint").objects.create(code="YZ", name="中心", level="district")
    hall = old.get_model("catalog", "Hall").objects.create(service_point=point, code="H1", name="一楼大厅")
    category = old.get_model("hall", "ServiceCategory").objects.create(hall=hall, name="综合",
                                                                      prefix="A")
    old.get_model("cases", "CaseCounter").objects.create(department=department, day=DAY, last_value=41)
    old.get_model("bundles", "PackageCounter").objects.create(day=DAY, last_value=7)
    old.get_model("hall", "DailyCounter").objects.create(category=category, day=DAY, last_number=120)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        with transaction.atomic():
            assert kit.next_in_sequence(f"cases.department.{department.pk}", DAY) == 42
            assert kit.next_in_sequence("bundles.package", DAY) == 8
            assert kit.next_in_sequence(f"hall.category.{category.pk}", DAY) == 121
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = MigrationExecutor(connection).loader.project_state(before).apps
        assert back.get_model("cases", "CaseCounter").objects.get().last_value == 42
        assert back.get_model("bundles", "PackageCounter").objects.get().last_value == 8
        assert back.get_model("hall", "DailyCounter").objects.get().last_number == 121
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
