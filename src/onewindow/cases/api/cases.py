"""The case resource: the scoped list, opening a case step by step (then one call per material and act), one
case with the actions its reader may perform, its audit record."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from onewindow.cases import selectors, services
from onewindow.cases.api.base import (
    applicant_user,
    detail,
    idempotency_header,
    opened_detail,
    page_of,
    parties,
    requested_item,
    service_point,
    user_of,
)
from onewindow.cases.api.base import (
    router as collection,
)
from onewindow.cases.api.schemas import CaseCreateIn, CaseOut, CasePageOut, EventOut, ListQuery

router = Router()


@collection.get("", response=CasePageOut, summary="办件列表（按权限范围、可筛选、游标分页）")
def list_cases(request: HttpRequest, q: Query[ListQuery]):
    """The cases the caller may see, newest first, filtered. Paged by keys: follow `next_cursor` (and
    `previous_cursor`) to walk the list; every page costs the same whatever its depth. `page` still serves the
    first 1,000 rows by number; `count` is exact up to 1,000 (`count_exact`), or with `exact_count=true`."""
    cases = selectors.list_cases(user_of(request), state=q.state, light=q.light, department_id=q.department_id,
                                 item_id=q.item_id, number=q.number)
    return page_of(cases, selectors.NEWEST_FIRST, q)


@collection.post("", response={200: CaseOut, 201: CaseOut}, summary="申报办件（Idempotency-Key 防重复）")
def create(request: HttpRequest, payload: CaseCreateIn, idempotency_key: str = idempotency_header()):
    """Open a case as a draft (and submit it with `submit`); materials and acceptance follow, one call each."""
    user = user_of(request)
    with requested_item(payload) as item:
        case, created = services.create_case(
            by=user, item=item, channel=payload.channel, service_point=service_point(payload.service_point_id),
            applicant_user=applicant_user(payload.applicant_user_id), delivery_method=payload.delivery_method,
            postal_address=payload.postal_address, idempotency_key=idempotency_key, submit=payload.submit,
            **parties(payload),
        )
    return Status(201 if created else 200, opened_detail(user, case, created))


@router.get("/{number}", response=CaseOut, summary="办件详情（含调用者此刻可执行的操作）")
def get_case(request: HttpRequest, number: str):
    user = user_of(request)
    return detail(selectors.get_case_for(user, number), user)


@router.get("/{number}/events", response=list[EventOut], summary="办件审计记录（只读）")
def events(request: HttpRequest, number: str):
    case = selectors.get_case_for(user_of(request), number)
    return [
        {"id": e.pk, "at": e.at, "actor": e.actor_label, "action": e.action, "before": e.before,
         "after": e.after, "reason": e.reason}
        for e in selectors.case_timeline(case)
    ]
