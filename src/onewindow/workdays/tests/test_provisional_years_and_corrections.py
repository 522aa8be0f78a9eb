"""Provisional years (issue 9 §7) and the reviewed corrections of the packaged holiday data (issue 10 §7)."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors, services
from onewindow.workdays.calendar import CalendarNotLoaded
from onewindow.workdays.corrections import corrections
from onewindow.workdays.models import CalendarYear, SpecialDay
from onewindow.workdays.provisional import RULE_DAYS, statutory_holidays

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


# -- the corrections ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fix", corrections(), ids=lambda f: f.date.isoformat())
def test_each_correction_is_in_the_seeded_table_and_in_the_arithmetic(fix):
    row = SpecialDay.objects.filter(date=fix.date).first()
    if fix.kind == "none":
        assert row is None
    else:
        assert (row.kind, row.name) == (fix.kind, fix.name)
    weekend = fix.date.weekday() >= 5
    assert selectors.is_working_day(fix.date) == (fix.kind == "workday" or (fix.kind == "none" and not weekend))
    assert fix.source.startswith("国务院办公厅关于")


def test_saturday_31_december_2005_was_a_working_day_under_the_2006_new_year_notice():
    assert selectors.is_working_day(D("2005-12-31"))
    assert selectors.due_date(D("2005-12-30"), 1) == D("2005-12-31")
    # 1–3 January 2006 were the holiday: the next working day after the 31st is Wednesday the 4th.
    assert selectors.due_date(D("2005-12-31"), 1) == D("2006-01-04")
    assert CalendarYear.objects.get(year=2005).source.endswith("（据勘误表校正）")


def test_every_seeded_day_agrees_with_the_holidays_library_china_calendar():
    # An independent check of every day of 2004–2026 against a second, separately kept source of the notices.
    import holidays

    other = holidays.China(years=range(2004, 2027))
    calendar = selectors.get_calendar()
    day, disagree = D("2004-01-01"), []
    while day <= D("2026-12-31"):
        if calendar.is_working_day(day) != other.is_working_day(day):
            disagree.append(day)
        day += dt.timedelta(days=1)
    assert disagree == []


def test_a_table_seeded_before_the_corrections_gets_them_at_the_next_seed_audited(django_capture_on_commit_callbacks):
    year = CalendarYear.objects.get(year=2005)
    SpecialDay.objects.filter(date=D("2005-12-31")).delete()
    CalendarYear.objects.filter(pk=year.pk).update(source=year.source.removesuffix("（据勘误表校正）"))
    selectors.invalidate_calendar()
    assert not selectors.is_working_day(D("2005-12-31"))

    assert services.seed_from_package() == []

    assert selectors.is_working_day(D("2005-12-31"))
    event = AuditEvent.objects.get(action="calendar.seed")
    assert event.after["corrected"] == [2005] and event.after["changed_days"] == ["2005-12-31"]
    assert event.after["corrections"] == ["2005-12-31 workday"]
    # A second seed finds nothing to do and records nothing.
    services.seed_from_package()
    assert AuditEvent.objects.filter(action="calendar.seed").count() == 1


def test_a_year_loaded_from_its_notice_is_never_corrected_by_the_seed():
    year = CalendarYear.objects.get(year=2005)
    SpecialDay.objects.filter(date=D("2005-12-31")).delete()
    CalendarYear.objects.filter(pk=year.pk).update(source="国务院办公厅通知（人工载入）")
    services.seed_from_package()
    selectors.invalidate_calendar()
    assert not selectors.is_working_day(D("2005-12-31"))


# -- provisional years ----------------------------------------------------------------------------------
@pytest.mark.parametrize("year", range(2027, 2032))
def test_a_provisional_year_has_the_holidays_of_the_rules_and_no_adjusted_working_day(year):
    days = statutory_holidays(year)
    by_name = collections.Counter(name for _, name in days for name in name.split("、"))
    assert by_name == RULE_DAYS  # 元旦 1, 春节 4, 清明节 1, 劳动节 2, 端午节 1, 中秋节 1, 国庆节 3
    calendar = selectors.get_calendar()
    assert year in calendar.provisional_years
    for day, _ in days:
        assert not calendar.is_working_day(day)
    saturdays = [D(f"{year}-01-01") + dt.timedelta(days=n) for n in range(366)]
    assert not any(calendar.is_working_day(d) for d in saturdays if d.year == year and d.weekday() >= 5)


def test_2027_by_rule():
    assert [d.isoformat() for d, _ in statutory_holidays(2027)] == [
        "2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-05-01",
        "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03"]


def test_beyond_the_horizon_not_even_a_provisional_year_exists(settings):
    with pytest.raises(CalendarNotLoaded) as refused:
        selectors.due_date(D("2032-01-05"), 1)
    assert refused.value.year == 2032
    settings.CALENDAR_PROVISIONAL_YEARS = 6
    selectors.invalidate_calendar()
    assert selectors.due_date(D("2032-01-05"), 1) == D("2032-01-06")
    assert selectors.is_provisional(D("2032-01-06"))
