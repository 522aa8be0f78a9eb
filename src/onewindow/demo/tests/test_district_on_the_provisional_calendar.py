"""The demo district on today's calendar (issue 9 §7): a statutory limit reaching a year whose notice is not out yet
is counted on the provisional calendar, never refused."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.cases.clock import ACCEPTANCE_DAYS, deadlines
from onewindow.demo.district import build_district
from onewindow.workdays import selectors

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_every_demo_item_can_be_accepted_on_30_november_2026():
    # Issue 9 §7: about a fifth of the demo catalog reached 2027 with its statutory limit and could not be accepted.
    calendar, today = selectors.get_calendar(), D("2026-11-30")
    assert calendar.due_date(today, ACCEPTANCE_DAYS) == D("2026-12-07")
    reaching_2027 = []
    for item in build_district(2018)["items"]:
        result = deadlines(calendar, accepted_on=today, promised_days=item["promised_days"],
                           statutory_days=item["statutory_days"],
                           extension_days=item.get("max_extension_days", 0) or 0)
        if result.legal_due_on.year == 2027:
            reaching_2027.append(result.legal_due_on)
    assert reaching_2027, "the demo has items whose statutory limit reaches 2027"
    assert all(selectors.is_provisional(day) for day in reaching_2027)
