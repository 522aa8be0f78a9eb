"""The holiday edits as services: only center administrators, clear errors for days that make no sense,
nothing written when refused, and each edit its own outermost transaction."""

import datetime as dt

import pytest
from django.db import transaction

from onewindow.core.errors import Conflict, InvalidInput, PermissionDenied
from onewindow.core.models import AuditEvent, Role, User
from onewindow.workdays import selectors, services
from onewindow.workdays.models import CalendarYear, SpecialDay
from onewindow.workdays.services import Day

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2025, 6, 3)


@pytest.fixture
def center_admin():
    return User.objects.create_user(username="center-admin", role=Role.ADMIN)


@pytest.fixture
def year_2025():
    return CalendarYear.objects.get(year=2025)


def snapshot():
    return (
        sorted(CalendarYear.objects.values_list("year", "source")),
        sorted(SpecialDay.objects.values_list("date", "kind", "name")),
        AuditEvent.objects.count(),
    )


def test_a_center_administrator_adds_a_holiday_and_the_next_deadline_moves(center_admin, year_2025):
    services.add_special_day(calendar_year=year_2025, date=TUESDAY, kind="holiday", name=" 临时调整 ", by=center_admin)

    assert SpecialDay.objects.get(date=TUESDAY).name == "临时调整"
    assert selectors.due_date(dt.date(2025, 6, 2), 1) == dt.date(2025, 6, 4)
    event = AuditEvent.objects.get(action="calendar.add")
    assert event.actor == center_admin


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.CITIZEN])
def test_nobody_but_a_center_administrator_may_edit_the_holiday_table(role, year_2025):
    user = User.objects.create_user(username=f"u-{role}", role=role)
    day = SpecialDay.objects.get(date=dt.date(2025, 10, 1))
    before = snapshot()

    edits = [
        lambda: services.add_special_day(calendar_year=year_2025, date=TUESDAY, kind="holiday", by=user),
        lambda: services.change_special_day(day, date=TUESDAY, kind="holiday", by=user),
        lambda: services.delete_special_days([day], by=user),
        lambda: services.add_calendar_year(year=2027, by=user),
        lambda: services.change_calendar_year(year_2025, source="改", by=user),
        lambda: services.delete_calendar_years([year_2025], by=user),
        lambda: services.load_year(services.YearFile(year=2027), by=user),
    ]
    for edit in edits:
        with pytest.raises(PermissionDenied):
            edit()

    assert snapshot() == before


@pytest.mark.parametrize(
    ("date", "kind", "error"),
    [
        (dt.date(2026, 6, 3), "holiday", "2026-06-03：不在 2025 年内"),
        (TUESDAY, "workday", "调休上班日只能是周六或周日"),
        (TUESDAY, "day-off", "类型“day-off”无效"),
    ],
)
def test_a_special_day_that_makes_no_sense_is_refused_with_a_clear_error(center_admin, year_2025, date, kind, error):
    before = snapshot()

    with pytest.raises(InvalidInput, match=error):
        services.add_special_day(calendar_year=year_2025, date=date, kind=kind, by=center_admin)

    assert snapshot() == before


def test_a_date_that_already_has_a_special_day_is_a_conflict(center_admin, year_2025):
    before = snapshot()
    labour_day = SpecialDay.objects.get(date=dt.date(2025, 5, 1))

    with pytest.raises(Conflict, match="2025-10-01 已有安排"):
        services.add_special_day(calendar_year=year_2025, date=dt.date(2025, 10, 1), kind="holiday", by=center_admin)
    with pytest.raises(Conflict, match="2025-10-01 已有安排"):
        services.change_special_day(labour_day, date=dt.date(2025, 10, 1), kind="holiday", by=center_admin)

    assert snapshot() == before


def test_a_year_arrangement_with_a_date_twice_or_outside_the_year_changes_nothing(center_admin, year_2025):
    before = snapshot()

    with pytest.raises(InvalidInput) as raised:
        services.change_calendar_year(
            year_2025,
            days=[Day(TUESDAY, "holiday"), Day(TUESDAY, "holiday"), Day(dt.date(2024, 12, 31), "holiday")],
            by=center_admin,
        )

    assert "2025-06-03：重复出现" in raised.value.message and "2024-12-31：不在 2025 年内" in raised.value.message
    assert snapshot() == before


def test_a_year_already_loaded_cannot_be_added_again(center_admin):
    before = snapshot()

    with pytest.raises(Conflict, match="2025年已载入"):
        services.add_calendar_year(year=2025, by=center_admin)

    assert snapshot() == before


def test_replacing_a_year_arrangement_keeps_what_is_unchanged_and_records_before_and_after(center_admin, year_2025):
    kept = SpecialDay.objects.get(date=dt.date(2025, 10, 1))
    days = [Day(kept.date, kept.kind, kept.name), Day(TUESDAY, "holiday", "临时调整")]

    services.change_calendar_year(year_2025, source="新通知", days=days, by=center_admin)

    assert sorted(year_2025.days.values_list("date", flat=True)) == [TUESDAY, kept.date]
    assert SpecialDay.objects.get(date=kept.date).pk == kept.pk
    event = AuditEvent.objects.get(action="calendar.change")
    assert event.after["source"] == "新通知" and len(event.after["days"]) == 2 and len(event.before["days"]) > 20
    assert selectors.is_working_day(dt.date(2025, 10, 2)) and not selectors.is_working_day(TUESDAY)


def test_a_holiday_edit_is_the_outermost_transaction(center_admin, year_2025):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.add_special_day(calendar_year=year_2025, date=TUESDAY, kind="holiday", by=center_admin)

    assert not SpecialDay.objects.filter(date=TUESDAY).exists()
