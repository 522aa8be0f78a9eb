"""What the case API's endpoints share: the caller, the version the caller read, a case as the API shows it, pages
of lists, what an application names (item, service point, account, parties, idempotency key), and uploaded files
as the services take them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Header, Router
from ninja.files import UploadedFile

from onewindow.cases import actions, idempotency, limits, selectors, services
from onewindow.cases.acts.base import fields_renamed
from onewindow.cases.api.schemas import MAX_PAGED_ROWS
from onewindow.cases.models import Case
from onewindow.cases.uploads import InvalidUpload, max_upload_bytes
from onewindow.catalog.models import ServiceItem, ServicePoint
from onewindow.catalog.selectors import kept_item
from onewindow.core import paging
from onewindow.core.auth import api_auth
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.identity import mask_identity, mask_mobile
from onewindow.core.models import User
from onewindow.core.paging import Ordering

# /api/v1/cases itself. Each sub-domain's endpoints are on a router of their own, added to this one in order
# (`cases.api.__init__`); the collection's own path ("") stays here, as a nested router would give it a slash.
router = Router(tags=["办件 cases"], auth=api_auth)


def user_of(request: HttpRequest) -> User:
    return request.auth


# A version conflict names the request's field that carried the version read (its value: the current version).
VERSION_FIELDS = {"version": "expected_version"}


def expected_version(request: HttpRequest, sent: int | None) -> int | None:
    """The version the caller read: `expected_version` in the body, else the `If-Match` header, else None."""
    if sent is not None:
        return sent
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput("If-Match 应为办件版本号（整数）", fields={"If-Match": "format"})
    return int(value)


def row(case: Case, light: str | None = None) -> dict[str, Any]:
    """A case in a list (CaseRowOut): the identity number always masked."""
    return {
        "id": case.pk, "number": case.number, "version": case.version, "state": case.state,
        "state_label": gettext(case.state_label),  # in the language of Accept-Language (core.language)
        "light": light if light is not None else (selectors.light_of(case) or ""),
        "item": case.item_version.name, "department": case.department.name,
        "department_code": case.department.code, "channel": case.channel,
        "applicant_name": case.applicant_name, "applicant_id_number": mask_identity(case.applicant_id_number),
        "submitted_on": case.submitted_on, "acceptance_due_on": case.acceptance_due_on,
        "accepted_on": case.accepted_on, "due_on": case.due_on, "legal_due_on": case.legal_due_on,
        "decided_on": case.decided_on, "deemed_accepted": selectors.is_deemed_accepted(case),
        **selectors.provisional_flags(case, ("acceptance_due_on", "due_on", "legal_due_on")),
    }


def detail(case: Case, user: User) -> dict[str, Any]:
    """A case as `user` may see it (CaseOut), with the actions they may perform on it now."""
    extension = case.extension if hasattr(case, "extension") else None
    own_department = selectors.identity_for(case, user) == case.applicant_id_number
    return {
        **row(case),
        "applicant_id_number": selectors.identity_for(case, user),
        "applicant_mobile": case.applicant_mobile if own_department else mask_mobile(case.applicant_mobile),
        "query_code": case.query_code, "item_version_id": case.item_version_id,
        "form_version_id": case.form_version_id, "answers": case.answers, "first_answers": case.first_answers,
        "applicant_kind": case.applicant_kind, "legal_representative": case.legal_representative,
        "agent_name": case.agent_name, "agent_is_center": case.agent_is_center,
        "service_point": case.service_point.name if case.service_point_id else None,
        "promised_days": case.promised_days, "statutory_days": case.statutory_days,
        "extension_days": case.extension_days, "paused_days": case.paused_days,
        "days_left": selectors.days_left_of(case),
        "tolerated_materials": case.tolerated_materials, "tolerance_due_on": case.tolerance_due_on,
        "tolerance_resolved_on": case.tolerance_resolved_on,
        "assigned_to": str(case.assigned_to) if case.assigned_to_id else None,
        "timeliness": case.timeliness, "decision_reason": case.decision_reason, "legal_basis": case.legal_basis,
        "licence_number": case.licence_number, "delivery_method": case.delivery_method,
        "tracking_number": case.tracking_number, "delivered_on": case.delivered_on,
        "closed_reason": case.closed_reason, "delivery_due_on": case.delivery_due_on,
        "allowed_actions": [action.name for action in actions.allowed(case, user)],
        "materials": list(case.materials.all()),
        "suspensions": list(case.suspensions.all()),
        "hearings": [hearing_out(h) for h in (case.hearings.all() if selectors.is_known(case, "hearings")
                                              else case.hearings.select_related("presiding_officer"))],
        "extension": extension,
        "corrections": list(case.corrections.all()),
    }


def hearing_out(hearing) -> dict[str, Any]:
    """A hearing (HearingOut) with the clock it runs on now."""
    limit = selectors.hearing_clock(hearing)
    return {
        **{name: getattr(hearing, name) for name in (
            "id", "state", "matter", "notified_on", "request_due_on", "requested_on", "requested_by_name",
            "hold_by_on", "notice_due_on", "hearing_at", "place", "place_notified_on", "held_on", "record",
            "record_signed_by", "closed_on")},
        "state_label": hearing.get_state_display(),
        "interested_parties": [line.strip() for line in hearing.interested_parties.splitlines() if line.strip()],
        "presiding_officer": str(hearing.presiding_officer) if hearing.presiding_officer_id else None,
        "clock": limit._asdict() if limit else None,
    }


def parties(payload) -> dict[str, Any]:
    """The applicant and the agent of an application's payload, as the services take them."""
    return {
        "applicant": services.Applicant(**payload.applicant.dict()),
        "agent": services.Agent(**payload.agent.dict()) if payload.agent else None,
    }


def service_point(point_id: int | None) -> ServicePoint | None:
    if point_id is None:
        return None
    point = ServicePoint.objects.filter(pk=point_id).first()
    if point is None:
        raise InvalidInput("服务场所不存在", fields={"service_point_id": "not_found"})
    return point


def applicant_user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput("申请人账号不存在", fields={"applicant_user_id": "not_found"})
    return user


def idempotency_header() -> Any:
    """The `Idempotency-Key` header as an endpoint's parameter, so that the OpenAPI of every operation that honours
    it declares it (`key: str = idempotency_header()`)."""
    return Header("", alias=idempotency.HEADER, description=idempotency.HEADER_DESCRIPTION,
                  max_length=limits.IDEMPOTENCY_KEY)


def fresh_detail(user: User, number: str) -> dict[str, Any]:
    """The case as it stands now, read again (after an act changed it)."""
    return detail(selectors.get_case_for(user, number), user)


def opened_detail(user: User, case: Case, created: bool) -> dict[str, Any]:
    """The case an application answers: the one this request opened as the act left it in memory (nothing is
    attached to it yet: no query), or, for a replayed request (`created` False), the first one read again."""
    if not created:
        return fresh_detail(user, case.number)
    return detail(selectors.know_none(case), user)


def page_of(queryset, ordering: Ordering, q: Any) -> dict[str, Any]:
    """One page of a list of cases (CasePageOut) sorted by `ordering`, as the query `q` asks for it (`cursor`, or
    `page` for the first MAX_PAGED_ROWS rows, `page_size`, `exact_count`; a cursor is read back only with the same filters); the rows carry the light the selector
    annotated. Two statements, whatever the page. 422 `cursor: with_page` for both at once, `cursor: invalid`,
    `cursor: other_list`, `page: too_deep`; 404 `page: not_found` after the last page."""
    if q.cursor and q.page is not None:
        raise InvalidInput("cursor 与 page 只能用其一：按游标翻页时请不要传 page",
                           fields={"cursor": "with_page", "page": "with_cursor"})
    filters = {k: v for k, v in q.dict().items() if k not in ("cursor", "page", "page_size", "exact_count")}
    scope = type(q).__name__ + json.dumps(filters, sort_keys=True, default=str)
    if q.page is not None and q.page > 1:
        page = paging.offset_page(queryset, ordering, number=q.page, size=q.page_size, max_offset=MAX_PAGED_ROWS,
                                  exact_count=q.exact_count, scope=scope)
    else:
        page = paging.keyset_page(queryset, ordering, cursor=q.cursor, size=q.page_size,
                                  exact_count=q.exact_count, scope=scope)
    return {"count": page.count, "count_exact": page.count_exact, "page": q.page, "page_size": q.page_size,
            "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor,
            "results": [row(c, c.light) for c in page.rows]}


def item_of(item_id: int | None, item_code: str | None) -> ServiceItem:
    """The item an application names by id or implementation code; 422 without either or with both, 404 when
    unknown — each naming the field that was sent. Kept in the process with its version in force
    (`catalog.selectors.kept_item`): read-only."""
    if item_id is not None and item_code is not None:
        raise InvalidInput("请只用一种方式指定事项：item_id 或 item_code，不要同时填写",
                           fields={"item_id": "both_given", "item_code": "both_given"})
    if item_id is not None:
        item, field = kept_item(pk=item_id), "item_id"
    elif item_code:
        item, field = kept_item(implementation_code=item_code.strip()), "item_code"
    else:
        raise InvalidInput("请指定事项：item_id 或 item_code", fields={"item_id": "required", "item_code": "required"})
    if item is None:
        raise NotFound("事项不存在", fields={field: "not_found"})
    return item


@contextmanager
def requested_item(payload) -> Iterator[ServiceItem]:
    """The item a payload names (`item_of`); inside the block, an error about the item names the field the request
    used for it (`item_id` or `item_code`), not the service's `item`."""
    with fields_renamed({"item": "item_id" if payload.item_id is not None else "item_code"}):
        yield item_of(payload.item_id, payload.item_code)


def read_scan(file: UploadedFile, field: str) -> services.Scan:
    """An uploaded file as the services take it; one beyond MAX_UPLOAD_BYTES is refused before it is read into
    memory (the services check every file again by its content)."""
    limit = max_upload_bytes()
    if file.size is not None and file.size > limit:
        raise InvalidUpload(f"文件“{file.name}”大小超过上限 {limit / 1024 / 1024:.0f} MB", fields={field: "too_large"})
    return services.Scan(content=file.read(), filename=file.name or "")


def scans_by_line(lines: list[tuple[int, str | None]], files: list[UploadedFile] | None) -> list[services.Scan | None]:
    """The file each material line names (material id, file name), read, in the lines' order (None for a line
    without one). Every file must be named by exactly one line and every name must be one file's: 422 otherwise,
    naming the material's file or `files`."""
    by_name: dict[str, UploadedFile] = {}
    for file in files or []:
        if file.name in by_name:
            raise InvalidInput(f"两个文件同名“{file.name}”：材料按文件名对应，请改名后上传",
                               fields={"files": "repeated_name"})
        by_name[file.name] = file
    scans: list[services.Scan | None] = []
    for material_id, name in lines:
        # The server keeps an uploaded file's name without its folders and cut to 255 characters: a line naming
        # a longer name, or one with a folder, could never match its file.
        if name is not None and len(name) > limits.FILE_NAME:
            raise InvalidInput(f"材料 {material_id} 所列文件名超过{limits.FILE_NAME}个字符，请改短后上传",
                               fields={f"materials.{material_id}.file": "too_long"})
        if name is not None and ("/" in name or "\\" in name):
            raise InvalidInput(f"材料 {material_id} 所列文件名“{name}”含有路径，请只写文件名",
                               fields={f"materials.{material_id}.file": "path"})
        if name is None:
            scans.append(None)
        elif name in by_name:
            scans.append(read_scan(by_name.pop(name), f"materials.{material_id}.file"))
        else:
            raise InvalidInput(f"材料 {material_id} 所列文件“{name}”没有随请求上传，或已用于另一份材料",
                               fields={f"materials.{material_id}.file": "not_uploaded"})
    if by_name:
        raise InvalidInput(f"文件“{'、'.join(by_name)}”没有对应的材料", fields={"files": "unreferenced"})
    return scans
