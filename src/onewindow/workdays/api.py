"""Working-day calendar API: /api/v1/calendar/due and /between."""

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from onewindow.workdays import selectors

router = Router(tags=["工作日历 calendar"])


class DueQuery(Schema):
    start: dt.date = Field(description="起算日 YYYY-MM-DD（次日起算）")
    days: int = Field(ge=0, le=3650, description="工作日数")


class DueOut(Schema):
    start: dt.date
    days: int
    due: dt.date


class BetweenQuery(Schema):
    start: dt.date
    end: dt.date


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


class CheckOut(Schema):
    day: dt.date
    working_day: bool


@router.get("/due", response=DueOut, summary="到期日：起算日之后第 N 个工作日")
def calendar_due(request, q: Query[DueQuery]):
    return {"start": q.start, "days": q.days, "due": selectors.due_date(q.start, q.days)}


@router.get("/between", response=BetweenOut, summary="两日之间的工作日数（start < d <= end）")
def calendar_between(request, q: Query[BetweenQuery]):
    return {"start": q.start, "end": q.end, "working_days": selectors.working_days_between(q.start, q.end)}


@router.get("/check", response=CheckOut, summary="某日是否为工作日")
def calendar_check(request, day: dt.date):
    return {"day": day, "working_day": selectors.is_working_day(day)}
