"""Every holiday edit in the admin is one audited act that moves the deadlines computed after it; bad input
is shown on the form and changes nothing."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors
from onewindow.workdays.calendar import CalendarNotLoaded
from onewindow.workdays.models import CalendarYear, SpecialDay

# Transactional, as in production: the admin's own transaction around a form, none around an action.
pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY = dt.date(2025, 6, 3)
MONDAY_BEFORE = dt.date(2025, 6, 2)
NATIONAL_DAY = dt.date(2025, 10, 1)


def year_form(year: CalendarYear | None, *, number=None, source="", change=None, delete=(), add=()):
    """The POST of a year's change (or add) page: its days as shown, some changed, deleted or added."""
    days = list(year.days.order_by("date")) if year else []
    data = {
        "year": number or (year.year if year else ""),
        "source": source or (year.source if year else ""),
        "days-TOTAL_FORMS": len(days) + len(add),
        "days-INITIAL_FORMS": len(days),
        "days-MIN_NUM_FORMS": 0,
        "days-MAX_NUM_FORMS": 1000,
    }
    for i, day in enumerate(days):
        values = {"date": day.date.isoformat(), "kind": day.kind, "name": day.name, **(change or {}).get(day.date, {})}
        data.update({f"days-{i}-{key}": value for key, value in values.items()})
        data.update({f"days-{i}-id": day.pk, f"days-{i}-calendar_year": year.pk})
        if day.date in delete:
            data[f"days-{i}-DELETE"] = "on"
    for i, (date, kind, name) in enumerate(add, start=len(days)):
        data.update({f"days-{i}-date": date, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return data


def calendar_events():
    return list(AuditEvent.objects.filter(action__startswith="calendar."))


def snapshot():
    return (
        sorted(CalendarYear.objects.values_list("year", "source")),
        sorted(SpecialDay.objects.values_list("date", "kind", "name")),
        AuditEvent.objects.count(),
    )


def test_adding_a_holiday_is_one_audited_act_that_moves_the_next_deadline(admin_client):
    assert selectors.due_date(MONDAY_BEFORE, 1) == TUESDAY
    year = CalendarYear.objects.get(year=2025)

    response = admin_client.post(
        "/admin/workdays/specialday/add/",
        {"calendar_year": year.pk, "date": TUESDAY.isoformat(), "kind": "holiday", "name": "临时调整"},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert [e.action for e in calendar_events()] == ["calendar.add"]
    assert selectors.due_date(MONDAY_BEFORE, 1) == dt.date(2025, 6, 4)


def test_changing_a_holiday_is_one_audited_act_with_before_and_after(admin_client):
    day = SpecialDay.objects.get(date=NATIONAL_DAY)

    response = admin_client.post(
        f"/admin/workdays/specialday/{day.pk}/change/",
        {"date": TUESDAY.isoformat(), "kind": "holiday", "name": "挪到六月"},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    (event,) = calendar_events()
    assert event.action == "calendar.change"
    assert event.before == {"date": "2025-10-01", "kind": "holiday", "name": "国庆节"}
    assert event.after == {"date": "2025-06-03", "kind": "holiday", "name": "挪到六月",
                           "changed_days": ["2025-06-03", "2025-10-01"]}
    assert selectors.is_working_day(NATIONAL_DAY) and not selectors.is_working_day(TUESDAY)


def test_deleting_one_holiday_is_one_audited_act(admin_client):
    day = SpecialDay.objects.get(date=NATIONAL_DAY)

    admin_client.post(f"/admin/workdays/specialday/{day.pk}/delete/", {"post": "yes"})

    (event,) = calendar_events()
    assert (event.action, event.object_id) == ("calendar.delete", str(day.pk))
    assert selectors.is_working_day(NATIONAL_DAY)


def test_deleting_several_holidays_at_once_is_one_audited_act_listing_each(admin_client):
    golden_week = list(SpecialDay.objects.filter(date__range=(NATIONAL_DAY, dt.date(2025, 10, 3))))

    response = admin_client.post(
        "/admin/workdays/specialday/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [d.pk for d in golden_week]},
    )

    assert response.status_code == 302
    (event,) = calendar_events()
    assert event.action == "calendar.delete"
    assert [d["date"] for d in event.before] == ["2025-10-01", "2025-10-02", "2025-10-03"]
    assert all(selectors.is_working_day(d.date) for d in golden_week)


def test_editing_the_days_of_a_year_in_its_inline_is_one_audited_act(admin_client):
    year = CalendarYear.objects.get(year=2025)

    response = admin_client.post(
        f"/admin/workdays/calendaryear/{year.pk}/change/",
        year_form(
            year,
            change={dt.date(2025, 10, 2): {"name": "国庆节（第二天）"}},
            delete=[NATIONAL_DAY],
            add=[(TUESDAY.isoformat(), "holiday", "临时调整")],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = calendar_events()
    assert (event.action, event.object_id) == ("calendar.change", str(year.pk))
    before, after = {d["date"]: d for d in event.before["days"]}, {d["date"]: d for d in event.after["days"]}
    assert "2025-10-01" in before and "2025-10-01" not in after
    assert after["2025-10-02"]["name"] == "国庆节（第二天）"
    assert after["2025-06-03"] == {"date": "2025-06-03", "kind": "holiday", "name": "临时调整"}
    assert selectors.is_working_day(NATIONAL_DAY) and not selectors.is_working_day(TUESDAY)


def test_saving_a_year_without_changing_it_records_nothing(admin_client):
    year = CalendarYear.objects.get(year=2025)

    response = admin_client.post(f"/admin/workdays/calendaryear/{year.pk}/change/", year_form(year))

    assert response.status_code == 302
    assert calendar_events() == []


def test_adding_a_year_with_its_days_is_one_audited_act_and_makes_its_arithmetic_work(admin_client):
    # Before its notice 2027 is provisional: 2027-01-05 is an ordinary Tuesday.
    assert selectors.due_date(dt.date(2027, 1, 4), 1) == dt.date(2027, 1, 5)
    assert selectors.is_provisional(dt.date(2027, 1, 5))

    response = admin_client.post(
        "/admin/workdays/calendaryear/add/",
        year_form(None, number=2027, source="国办发明电示例", add=[("2027-01-05", "holiday", "示例")]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = calendar_events()
    assert event.action == "calendar.add"
    assert {key: event.after[key] for key in ("year", "source", "days")} == {
        "year": 2027,
        "source": "国办发明电示例",
        "days": [{"date": "2027-01-05", "kind": "holiday", "name": "示例"}],
    }
    # The year as added replaces the provisional one: its day is a holiday, the rule's holidays it leaves out are
    # working days again, and the audit event names every day that changed.
    assert {"2027-01-01", "2027-01-05"} <= set(event.after["changed_days"])
    assert selectors.due_date(dt.date(2027, 1, 4), 1) == dt.date(2027, 1, 6)
    assert not selectors.is_provisional(dt.date(2027, 1, 6))


def test_deleting_a_year_is_one_audited_act_and_its_days_can_no_longer_be_computed(admin_client):
    # 2024 is before the holiday rules of 2025: without its notice it cannot be computed at all.
    year = CalendarYear.objects.get(year=2024)

    admin_client.post(f"/admin/workdays/calendaryear/{year.pk}/delete/", {"post": "yes"})

    (event,) = calendar_events()
    assert event.action == "calendar.delete" and event.before["year"] == 2024 and event.before["days"] > 20
    assert not SpecialDay.objects.filter(date__year=2024).exists()
    with pytest.raises(CalendarNotLoaded):
        selectors.due_date(dt.date(2024, 3, 4), 1)


def test_deleting_a_year_of_the_holiday_rules_leaves_it_provisional(admin_client):
    # 2025 is under the rules of 国务院令第795号: without its notice it is computed, without adjusted working days.
    year = CalendarYear.objects.get(year=2025)

    admin_client.post(f"/admin/workdays/calendaryear/{year.pk}/delete/", {"post": "yes"})

    (event,) = calendar_events()
    assert event.action == "calendar.delete" and event.before["year"] == 2025
    assert selectors.is_provisional(dt.date(2025, 6, 3))
    assert not selectors.is_working_day(dt.date(2025, 10, 1))  # National Day, by rule
    assert selectors.is_working_day(dt.date(2025, 10, 8))  # the notice's bridging day is not guessed
    assert not selectors.is_working_day(dt.date(2025, 10, 11))  # nor its adjusted working Saturday


def test_deleting_several_years_at_once_is_one_audited_act(admin_client):
    years = list(CalendarYear.objects.filter(year__in=[2004, 2005]))

    admin_client.post(
        "/admin/workdays/calendaryear/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [y.pk for y in years]},
    )

    (event,) = calendar_events()
    assert [y["year"] for y in event.before] == [2004, 2005]
    assert not CalendarYear.objects.filter(year__in=[2004, 2005]).exists()


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({"date": "2026-06-03", "kind": "holiday"}, "日期不在所选年度内"),
        ({"date": "2025-06-03", "kind": "workday"}, "调休上班日只能是周六或周日"),
        ({"date": "2025-10-01", "kind": "holiday"}, "已存在"),
        ({"date": "2025-06-03", "kind": "day-off"}, "day-off"),
    ],
)
def test_a_special_day_that_makes_no_sense_is_refused_on_the_form_and_changes_nothing(admin_client, post, error):
    before = snapshot()
    year = CalendarYear.objects.get(year=2025)

    response = admin_client.post("/admin/workdays/specialday/add/", {"calendar_year": year.pk, "name": "", **post})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        ({"add": [("2025-06-03", "holiday", ""), ("2025-06-03", "holiday", "")]}, "重复"),
        ({"add": [("2025-06-04", "workday", "")]}, "调休上班日只能是周六或周日"),
        ({"change": {NATIONAL_DAY: {"date": "2026-06-03"}}}, "日期不在所选年度内"),
    ],
)
def test_bad_days_in_a_year_inline_are_refused_and_change_nothing(admin_client, edit, error):
    before = snapshot()
    year = CalendarYear.objects.get(year=2025)

    response = admin_client.post(f"/admin/workdays/calendaryear/{year.pk}/change/", year_form(year, **edit))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert snapshot() == before


def test_a_new_year_with_a_day_of_another_year_is_refused_and_changes_nothing(admin_client):
    before = snapshot()

    response = admin_client.post(
        "/admin/workdays/calendaryear/add/", year_form(None, number=2027, add=[("2028-01-03", "holiday", "")])
    )

    assert response.status_code == 200
    assert "2028-01-03：不在 2027 年内" in response.content.decode()
    assert snapshot() == before
