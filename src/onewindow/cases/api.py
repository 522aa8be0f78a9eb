"""Case API under /api/v1/cases (办件) and the public tracking query under /api/v1/track.

Every lookup goes through `cases_visible_to`: a case outside the caller's scope is a 404. Each transition
is one POST; send `If-Match: <version>` or `expected_version` to refuse acting on a stale view (409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Body, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from onewindow.cases import selectors, services
from onewindow.cases.models import Case
from onewindow.cases.uploads import max_upload_bytes
from onewindow.catalog.models import ServiceItem, ServicePoint
from onewindow.core.auth import api_auth
from onewindow.core.errors import ErrorCode, InvalidInput, NotFound
from onewindow.core.identity import mask_identity, mask_mobile
from onewindow.core.models import User

router = Router(tags=["办件 cases"], auth=api_auth)
track_router = Router(tags=["办件进度查询 tracking"])


# -- schemas ---------------------------------------------------------------------------------------------
class ApplicantIn(Schema):
    kind: str = Field(description="person（自然人）或 organization（法人或其他组织）")
    name: str
    id_number: str = Field(description="居民身份证号码（自然人）或统一社会信用代码（法人）")
    mobile: str = ""
    legal_representative: str = ""


class AgentIn(Schema):
    name: str
    id_number: str
    mobile: str = ""
    center: bool = Field(False, description="中心免费代办")


class CaseCreateIn(Schema):
    item_id: int | None = Field(None, description="事项 id（与 item_code 二选一）")
    item_code: str | None = Field(None, description="事项实施编码")
    channel: str = Field(description="window / online / kiosk / mobile / mail")
    service_point_id: int | None = None
    applicant: ApplicantIn
    agent: AgentIn | None = None
    applicant_user_id: int | None = Field(None, description="窗口录入时关联的群众账号")
    delivery_method: str = "pickup"
    postal_address: str = ""
    submit: bool = Field(False, description="创建后立即提交")


class CaseRowOut(Schema):
    id: int
    number: str
    version: int
    state: str
    state_label: str
    light: str
    item: str
    department: str
    department_code: str
    channel: str
    applicant_name: str
    applicant_id_number: str
    submitted_on: dt.date | None
    acceptance_due_on: dt.date | None
    accepted_on: dt.date | None
    due_on: dt.date | None
    legal_due_on: dt.date | None
    decided_on: dt.date | None


class MaterialOut(Schema):
    id: int
    material_id: int | None
    name: str
    provision: str
    content_type: str
    size: int
    sha256: str
    verified: bool
    reused_from_id: int | None


class SuspensionOut(Schema):
    id: int
    kind: str
    reason: str
    started_on: dt.date
    ended_on: dt.date | None
    working_days: int


class ExtensionOut(Schema):
    days: int
    reason: str
    previous_due_on: dt.date
    new_due_on: dt.date


class CorrectionOut(Schema):
    id: int
    items: list[dict]
    note: str
    requested_at: dt.datetime
    resolved_at: dt.datetime | None


class CaseOut(CaseRowOut):
    query_code: str
    item_version_id: int
    applicant_kind: str
    applicant_mobile: str
    legal_representative: str
    agent_name: str
    agent_is_center: bool
    service_point: str | None
    promised_days: int
    statutory_days: int
    extension_days: int
    paused_days: int
    days_left: int | None
    tolerated_materials: list[dict]
    tolerance_due_on: dt.date | None
    tolerance_resolved_on: dt.date | None
    assigned_to: str | None
    timeliness: str
    decision_reason: str
    legal_basis: str
    licence_number: str
    delivery_method: str
    tracking_number: str
    delivered_on: dt.date | None
    closed_reason: str
    allowed_actions: list[str]
    materials: list[MaterialOut]
    suspensions: list[SuspensionOut]
    extension: ExtensionOut | None
    corrections: list[CorrectionOut]


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseRowOut]


class ListQuery(Schema):
    state: str | None = None
    light: str | None = Field(None, description="green / yellow / red")
    department_id: int | None = None
    item_id: int | None = None
    number: str | None = Field(None, description="办件编号前缀")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class VersionIn(Schema):
    expected_version: int | None = Field(None, description="读取时的版本号；与 If-Match 等价")


class AcceptIn(VersionIn):
    tolerated: list[int] = Field(default_factory=list, description="容缺材料（事项材料 id）")
    tolerance_due_on: dt.date | None = None


class CorrectionItemIn(Schema):
    material_id: int | None = None
    name: str = ""
    problem: str


class CorrectionIn(VersionIn):
    items: list[CorrectionItemIn]
    note: str = ""


class ReasonIn(VersionIn):
    reason: str = ""
    legal_basis: str = ""


class AssignIn(VersionIn):
    reviewer_id: int


class SuspendIn(VersionIn):
    kind: str = Field(description="hearing / tender / auction / inspection / testing / quarantine / appraisal / "
                                  "expert_review")
    reason: str


class ExtendIn(VersionIn):
    days: int
    reason: str


class IssueIn(VersionIn):
    licence_number: str = ""


class DeliverIn(VersionIn):
    method: str | None = None
    pickup_code: str = ""
    tracking_number: str = ""
    postal_address: str = ""


class SharedIn(Schema):
    material_id: int


class ReuseIn(Schema):
    source_id: int
    material_id: int | None = None


class BoardRowOut(Schema):
    id: int
    code: str
    name: str
    running: int
    green: int
    yellow: int
    red: int
    overdue_acceptance: int
    overdue_tolerance: int


class BoardOut(Schema):
    today: dt.date
    departments: list[BoardRowOut]
    totals: dict[str, int]


class SupervisedQuery(Schema):
    light: str | None = None
    overdue: str | None = Field(None, description="acceptance（超期未受理）或 tolerance（容缺逾期）")
    department_id: int | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class RateQuery(Schema):
    start: dt.date
    end: dt.date
    department_id: int | None = None


class RateOut(Schema):
    department_id: int
    code: str
    name: str
    finished: int
    early: int
    on_time: int
    late: int
    rate: float | None


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    before: Any
    after: Any
    reason: str


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    case_number: str | None


class TrackOut(Schema):
    number: str
    item: str
    department: str
    state: str
    state_label: str
    submitted_on: dt.date | None
    acceptance_due_on: dt.date | None
    accepted_on: dt.date | None
    due_on: dt.date | None
    decided_on: dt.date | None
    delivered_on: dt.date | None
    light: str


# -- helpers ---------------------------------------------------------------------------------------------
def _row(case: Case, light: str | None = None) -> dict[str, Any]:
    return {
        "id": case.pk, "number": case.number, "version": case.version, "state": case.state,
        "state_label": case.state_label,
        "light": light if light is not None else (selectors.light_of(case) or ""),
        "item": case.item_version.name, "department": case.department.name,
        "department_code": case.department.code, "channel": case.channel,
        "applicant_name": case.applicant_name, "applicant_id_number": mask_identity(case.applicant_id_number),
        "submitted_on": case.submitted_on, "acceptance_due_on": case.acceptance_due_on,
        "accepted_on": case.accepted_on, "due_on": case.due_on, "legal_due_on": case.legal_due_on,
        "decided_on": case.decided_on,
    }


def _detail(case: Case, user: User) -> dict[str, Any]:
    extension = case.extension if hasattr(case, "extension") else None
    own_department = selectors.identity_for(case, user) == case.applicant_id_number
    return {
        **_row(case),
        "applicant_id_number": selectors.identity_for(case, user),
        "applicant_mobile": case.applicant_mobile if own_department else mask_mobile(case.applicant_mobile),
        "query_code": case.query_code, "item_version_id": case.item_version_id,
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
        "closed_reason": case.closed_reason,
        "allowed_actions": selectors.actions_for(case, user),
        "materials": list(case.materials.all()),
        "suspensions": list(case.suspensions.all()),
        "extension": extension,
        "corrections": list(case.corrections.all()),
    }


def _user(request: HttpRequest) -> User:
    return request.auth


def _expected_version(request: HttpRequest, payload: VersionIn | None) -> int | None:
    if payload is not None and payload.expected_version is not None:
        return payload.expected_version
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput("If-Match 应为办件版本号（整数）", fields={"If-Match": "format"})
    return int(value)


def _act(request: HttpRequest, number: str, payload: VersionIn | None, act, **kwargs) -> dict[str, Any]:
    user = _user(request)
    case = selectors.get_case_for(user, number)
    act(case, by=user, expected_version=_expected_version(request, payload), **kwargs)
    return _detail(selectors.get_case_for(user, number), user)


def _page(queryset, page: int, page_size: int) -> tuple[int, list]:
    count = queryset.count()
    start = (page - 1) * page_size
    return count, list(queryset[start:start + page_size])


# -- cases -----------------------------------------------------------------------------------------------
@router.post("", response={200: CaseOut, 201: CaseOut}, summary="申报办件（Idempotency-Key 防重复）")
def create(request: HttpRequest, payload: CaseCreateIn):
    user = _user(request)
    if payload.item_id is not None:
        item = ServiceItem.objects.select_related("published_version").filter(pk=payload.item_id).first()
    elif payload.item_code:
        item = ServiceItem.objects.select_related("published_version").filter(
            implementation_code=payload.item_code.strip()).first()
    else:
        raise InvalidInput("请指定事项：item_id 或 item_code", fields={"item_id": "required"})
    if item is None:
        raise NotFound("事项不存在", fields={"item_id": "not_found"})
    point = None
    if payload.service_point_id is not None:
        point = ServicePoint.objects.filter(pk=payload.service_point_id).first()
        if point is None:
            raise InvalidInput("服务场所不存在", fields={"service_point_id": "not_found"})
    applicant_user = None
    if payload.applicant_user_id is not None:
        applicant_user = User.objects.filter(pk=payload.applicant_user_id, is_active=True).first()
        if applicant_user is None:
            raise InvalidInput("申请人账号不存在", fields={"applicant_user_id": "not_found"})
    agent = services.Agent(**payload.agent.dict()) if payload.agent else None
    case, created = services.create_case(
        by=user, item=item, applicant=services.Applicant(**payload.applicant.dict()), channel=payload.channel,
        service_point=point, agent=agent, applicant_user=applicant_user, delivery_method=payload.delivery_method,
        postal_address=payload.postal_address, idempotency_key=request.headers.get("Idempotency-Key", ""),
        submit=payload.submit,
    )
    return Status(201 if created else 200, _detail(selectors.get_case_for(user, case.number), user))


@router.get("", response=CasePageOut, summary="办件列表（按权限范围、可筛选、分页）")
def list_cases(request: HttpRequest, q: Query[ListQuery]):
    user = _user(request)
    cases = selectors.list_cases(user, state=q.state, light=q.light, department_id=q.department_id,
                                 item_id=q.item_id, number=q.number)
    count, rows = _page(cases, q.page, q.page_size)
    return {"count": count, "page": q.page, "page_size": q.page_size,
            "results": [_row(c, c.light) for c in rows]}


@router.get("/supervision", response=BoardOut, summary="电子监察：各部门红黄绿灯、超期未受理、容缺逾期")
def supervision(request: HttpRequest):
    return selectors.supervision_board(_user(request))


@router.get("/supervision/cases", response=CasePageOut, summary="电子监察明细列表")
def supervision_cases(request: HttpRequest, q: Query[SupervisedQuery]):
    if q.overdue not in (None, "acceptance", "tolerance"):
        raise InvalidInput("overdue 应为 acceptance 或 tolerance", fields={"overdue": "choice"})
    if q.light not in (None, "green", "yellow", "red"):
        raise InvalidInput("light 应为 green、yellow 或 red", fields={"light": "choice"})
    cases = selectors.supervised_cases(
        _user(request), light=q.light, overdue_acceptance=q.overdue == "acceptance",
        overdue_tolerance=q.overdue == "tolerance", department_id=q.department_id,
    )
    count, rows = _page(cases, q.page, q.page_size)
    return {"count": count, "page": q.page, "page_size": q.page_size,
            "results": [_row(c, c.light) for c in rows]}


@router.get("/on-time", response=list[RateOut], summary="按期办结率：提前、按时、超期")
def on_time(request: HttpRequest, q: Query[RateQuery]):
    if q.end < q.start:
        raise InvalidInput("结束日期不能早于开始日期", fields={"end": "before_start"})
    return selectors.on_time_rates(_user(request), start=q.start, end=q.end, department_id=q.department_id)


@router.get("/notices", response=list[NoticeOut], summary="我的站内消息（含电子监察预警）")
def notices(request: HttpRequest, unread: bool = False):
    rows = selectors.notices_for(_user(request), unread_only=unread)[:200]
    return [{"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "created_at": n.created_at,
             "read_at": n.read_at, "case_number": n.case.number if n.case_id else None} for n in rows]


@router.post("/notices/{notice_id}/read", response=NoticeOut, summary="标记消息已读")
def notice_read(request: HttpRequest, notice_id: int):
    user = _user(request)
    notice = selectors.notices_for(user).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound("消息不存在")
    services.mark_notice_read(notice, by=user)
    return {"id": notice.pk, "kind": notice.kind, "title": notice.title, "body": notice.body,
            "created_at": notice.created_at, "read_at": notice.read_at,
            "case_number": notice.case.number if notice.case_id else None}


@router.get("/{number}", response=CaseOut, summary="办件详情")
def get_case(request: HttpRequest, number: str):
    user = _user(request)
    return _detail(selectors.get_case_for(user, number), user)


@router.get("/{number}/events", response=list[EventOut], summary="办件审计记录（只读）")
def events(request: HttpRequest, number: str):
    case = selectors.get_case_for(_user(request), number)
    return [
        {"id": e.pk, "at": e.at, "actor": e.actor_label, "action": e.action, "before": e.before,
         "after": e.after, "reason": e.reason}
        for e in selectors.case_timeline(case)
    ]


@router.post("/{number}/submit", response=CaseOut, summary="提交（或补正后重新提交）")
def submit(request: HttpRequest, number: str, payload: VersionIn | None = Body(None)):  # noqa: B008
    return _act(request, number, payload, services.submit_case)


@router.post("/{number}/accept", response=CaseOut, summary="受理（可容缺受理）")
def accept(request: HttpRequest, number: str, payload: AcceptIn | None = Body(None)):  # noqa: B008
    payload = payload or AcceptIn()
    return _act(request, number, payload, services.accept_case, tolerated=payload.tolerated,
                tolerance_due_on=payload.tolerance_due_on)


@router.post("/{number}/request-correction", response=CaseOut, summary="补正告知（一次性告知）")
def request_correction(request: HttpRequest, number: str, payload: CorrectionIn):
    items = [services.CorrectionItem(problem=i.problem, material_id=i.material_id, name=i.name)
             for i in payload.items]
    return _act(request, number, payload, services.request_correction, items=items, note=payload.note)


@router.post("/{number}/refuse", response=CaseOut, summary="不予受理")
def refuse(request: HttpRequest, number: str, payload: ReasonIn):
    return _act(request, number, payload, services.refuse_case, reason=payload.reason,
                legal_basis=payload.legal_basis)


@router.post("/{number}/assign", response=CaseOut, summary="分派承办人（开始审查）")
def assign(request: HttpRequest, number: str, payload: AssignIn):
    reviewer = User.objects.filter(pk=payload.reviewer_id).first()
    if reviewer is None:
        raise InvalidInput("承办人不存在", fields={"reviewer_id": "not_found"})
    return _act(request, number, payload, services.assign_case, reviewer=reviewer)


@router.post("/{number}/suspend", response=CaseOut, summary="启动特别程序（计时暂停）")
def suspend(request: HttpRequest, number: str, payload: SuspendIn):
    return _act(request, number, payload, services.suspend_case, kind=payload.kind, reason=payload.reason)


@router.post("/{number}/resume", response=CaseOut, summary="特别程序结束（恢复计时）")
def resume(request: HttpRequest, number: str, payload: VersionIn | None = Body(None)):  # noqa: B008
    return _act(request, number, payload, services.resume_case)


@router.post("/{number}/extend", response=CaseOut, summary="延期（部门负责人批准）")
def extend(request: HttpRequest, number: str, payload: ExtendIn):
    return _act(request, number, payload, services.extend_case, days=payload.days, reason=payload.reason)


@router.post("/{number}/approve", response=CaseOut, summary="准予许可")
def approve(request: HttpRequest, number: str, payload: ReasonIn | None = Body(None)):  # noqa: B008
    payload = payload or ReasonIn()
    return _act(request, number, payload, services.approve_case, reason=payload.reason,
                legal_basis=payload.legal_basis)


@router.post("/{number}/deny", response=CaseOut, summary="不予许可（理由和法律依据）")
def deny(request: HttpRequest, number: str, payload: ReasonIn):
    return _act(request, number, payload, services.deny_case, reason=payload.reason,
                legal_basis=payload.legal_basis)


@router.post("/{number}/issue-result", response=CaseOut, summary="出具结果（证照编号）")
def issue(request: HttpRequest, number: str, payload: IssueIn | None = Body(None)):  # noqa: B008
    payload = payload or IssueIn()
    return _act(request, number, payload, services.issue_result, licence_number=payload.licence_number)


@router.post("/{number}/deliver", response=CaseOut, summary="送达（办结）")
def deliver(request: HttpRequest, number: str, payload: DeliverIn | None = Body(None)):  # noqa: B008
    payload = payload or DeliverIn()
    return _act(request, number, payload, services.deliver_case, method=payload.method,
                pickup_code=payload.pickup_code, tracking_number=payload.tracking_number,
                postal_address=payload.postal_address)


@router.post("/{number}/withdraw", response=CaseOut, summary="撤回申请")
def withdraw(request: HttpRequest, number: str, payload: ReasonIn | None = Body(None)):  # noqa: B008
    payload = payload or ReasonIn()
    return _act(request, number, payload, services.withdraw_case, reason=payload.reason)


@router.post("/{number}/terminate", response=CaseOut, summary="终止办理（法律依据）")
def terminate(request: HttpRequest, number: str, payload: ReasonIn):
    return _act(request, number, payload, services.terminate_case, reason=payload.reason,
                legal_basis=payload.legal_basis)


@router.post("/{number}/materials", response={201: MaterialOut}, summary="上传材料（PDF/JPEG/PNG/OFD，按内容识别）")
def upload_material(
    request: HttpRequest, number: str, file: File[UploadedFile],
    material_id: Form[int | None] = None, name: Form[str] = "",
):
    user = _user(request)
    case = selectors.get_case_for(user, number)
    limit = max_upload_bytes()
    if file.size is not None and file.size > limit:
        # Refuse before reading a huge body into memory; the service checks again by content.
        raise InvalidInput(f"文件大小超过上限 {limit / 1024 / 1024:.0f} MB", code=ErrorCode.INVALID_UPLOAD,
                           fields={"file": "too_large"})
    content = file.read()
    row = services.add_material(case, by=user, content=content, filename=file.name or "", material_id=material_id,
                                name=name)
    return Status(201, row)


@router.post("/{number}/materials/shared", response={201: MaterialOut}, summary="数据共享获取政府核发材料")
def shared_material(request: HttpRequest, number: str, payload: SharedIn):
    user = _user(request)
    case = selectors.get_case_for(user, number)
    return Status(201, services.fetch_shared_material(case, by=user, material_id=payload.material_id))


@router.post("/{number}/materials/reuse", response={201: MaterialOut}, summary="复用已核验材料")
def reuse(request: HttpRequest, number: str, payload: ReuseIn):
    user = _user(request)
    case = selectors.get_case_for(user, number)
    return Status(201, services.reuse_material(case, by=user, source_id=payload.source_id,
                                               material_id=payload.material_id))


# -- public tracking -------------------------------------------------------------------------------------
@track_router.get("/{number}", response=TrackOut, auth=None, summary="办件进度查询（办件编号＋查询码，无需登录）")
def track(request: HttpRequest, number: str, code: str = ""):
    return selectors.public_tracking(number, code)

