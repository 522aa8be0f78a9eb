"""Working-day calendar API: /api/v1/calendar/due, /between and /check; working days as the State Council's notices
arrange them, and, beyond the last loaded notice, provisional years by the holiday rules (marked `*_provisional`)."""

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
    due_provisional: bool = Field(description="到期日为暂定：计算经过尚未载入国务院放假通知的年度（按节假日规则推算）")


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
    provisional: bool = Field(description="该日所在年度的放假通知尚未载入，按节假日规则暂定（不含调休）")


@router.get("/due", response=DueOut, summary="到期日：起算日之后第 N 个工作日")
def calendar_due(request, q: Query[DueQuery]):
    due = selectors.due_date(q.start, q.days)
    return {"start": q.start, "days": q.days, "due": due, "due_provisional": selectors.is_provisional(due)}


@router.get("/between", response=BetweenOut, summary="两日之间的工作日数（start < d <= end）")
def calendar_between(request, q: Query[BetweenQuery]):
    return {"start": q.start, "end": q.end, "working_days": selectors.working_days_between(q.start, q.end)}


@router.get("/check", response=CheckOut, summary="某日是否为工作日")
def calendar_check(request, day: dt.date):
    return {"day": day, "working_day": selectors.is_working_day(day), "provisional": selectors.is_provisional(day)}
