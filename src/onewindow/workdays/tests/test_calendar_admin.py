"""Editing the holiday table in the admin takes effect at once and is on the audit chain."""

import datetime as dt

import pytest

from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors
from onewindow.workdays.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db


def test_adding_and_deleting_a_holiday_in_the_admin_is_audited_and_moves_deadlines(admin_client):
    year = CalendarYear.objects.get(year=2025)
    response = admin_client.post(
        "/admin/workdays/specialday/add/",
        {"calendar_year": year.pk, "date": "2025-06-03", "kind": "holiday", "name": "临时调整"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    day = SpecialDay.objects.get(date=dt.date(2025, 6, 3))
    assert not selectors.is_working_day(dt.date(2025, 6, 3))
    added = AuditEvent.objects.get(action="calendar.add", object_id=str(day.pk))
    assert added.after == {"date": "2025-06-03", "kind": "holiday", "name": "临时调整", "changed_days": ["2025-06-03"]}

    admin_client.post(f"/admin/workdays/specialday/{day.pk}/delete/", {"post": "yes"})
    assert not SpecialDay.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.filter(action="calendar.delete", object_id=str(day.pk)).exists()
    assert selectors.is_working_day(dt.date(2025, 6, 3))
