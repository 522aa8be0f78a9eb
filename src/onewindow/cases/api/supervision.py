"""电子监察 through the API: the board by department × light, its drill-down lists, on-time rates."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from onewindow.cases import selectors
from onewindow.cases.api.base import page_of, user_of
from onewindow.cases.api.schemas import BoardOut, CasePageOut, RateOut, RateQuery, SupervisedQuery
from onewindow.core.errors import InvalidInput

router = Router()


@router.get("/supervision", response=BoardOut, summary="电子监察：各部门红黄绿灯、超期未受理、容缺逾期")
def supervision(request: HttpRequest):
    return selectors.supervision_board(user_of(request))


@router.get("/supervision/cases", response=CasePageOut, summary="电子监察明细列表")
def supervision_cases(request: HttpRequest, q: Query[SupervisedQuery]):
    """The board's drill-down list, the running clock's end first (cases without a clock last), paged by keys as
    `GET /cases` (`next_cursor`, `previous_cursor`; `page` for the first 1,000 rows)."""
    if q.overdue not in (None, "acceptance", "tolerance"):
        raise InvalidInput("overdue 应为 acceptance 或 tolerance", fields={"overdue": "choice"})
    if q.light not in (None, "green", "yellow", "red"):
        raise InvalidInput("light 应为 green、yellow 或 red", fields={"light": "choice"})
    cases = selectors.supervised_cases(
        user_of(request), light=q.light, overdue_acceptance=q.overdue == "acceptance",
        overdue_tolerance=q.overdue == "tolerance", department_id=q.department_id,
    )
    return page_of(cases, selectors.DUE_FIRST, q)


@router.get("/on-time", response=list[RateOut], summary="按期办结率：提前、按时、超期")
def on_time(request: HttpRequest, q: Query[RateQuery]):
    if q.end < q.start:
        raise InvalidInput("结束日期不能早于开始日期", fields={"end": "before_start"})
    return selectors.on_time_rates(user_of(request), start=q.start, end=q.end, department_id=q.department_id)
