"""一件事 API under /api/v1/packages: theme figures (public), apply once, the package and its window acts.
Sub-cases are ordinary cases: act on them through /api/v1/cases; results handed to the supervising departments
are under /api/v1/supervision.

Every lookup goes through `packages_visible_to`: a package outside the caller's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from onewindow.bundles import selectors, services
from onewindow.bundles.models import JointReview, Package, PackageMaterial
from onewindow.cases.acts import Applicant
from onewindow.cases.api.base import idempotency_header
from onewindow.cases.api.schemas import ApplicantIn, CorrectionOut
from onewindow.cases.models import LEGAL_BASIS_MAX, REASON_MAX
from onewindow.cases.uploads import max_upload_bytes
from onewindow.core.auth import api_auth
from onewindow.core.errors import InvalidInput
from onewindow.core.identity import mask_identity
from onewindow.core.models import User
from onewindow.core.params import Count, Id, column_text, text

router = Router(tags=["一件事 packages"])


# -- schemas ---------------------------------------------------------------------------------------------
class ThemeItemOut(Schema):
    code: str
    name: str
    department: str
    department_code: str
    promised_days: int
    requires: list[str] = Field(description="前置事项（实施编码）")
    earliest_start: int = Field(description="前置事项均按承诺时限办结时，最早第几个工作日开始")
    critical: bool = Field(description="是否在关键路径上")


class MergedMaterialOut(Schema):
    name: str
    source: str = Field(description="applicant（申请人提交）或 government（数据共享获取）")
    requirement: str
    items: list[str]


class ThemeOut(Schema):
    code: str
    name: str
    description: str
    lead_department: str
    lead_department_code: str
    promised_days: int = Field(description="主题承诺办结时限（工作日）")
    serial_days: int = Field(description="各事项承诺时限之和（串联办理）")
    critical_path_days: int = Field(description="前置关系中最长链条的工作日（并联办理）")
    critical_path: list[str]
    items: list[ThemeItemOut]
    materials: list[MergedMaterialOut]


class PackageCreateIn(Schema):
    theme: str = Field(max_length=32, description="一件事主题编码")
    channel: str = column_text(Package, "channel", "online / mobile / kiosk（申请人）；window / mail（窗口）", ...)
    applicant: ApplicantIn
    applicant_user_id: Id | None = Field(None, description="窗口录入时关联的群众账号")
    delivery_method: str = column_text(Package, "delivery_method", "pickup（窗口领取）或 post（免费邮寄）", "pickup")
    postal_address: str = column_text(Package, "postal_address", "邮寄地址（免费邮寄时必填）")
    answers: dict[str, Any] = Field(
        default_factory=dict, description="一表申请：字段标识 → 填写的值，结构见 GET /api/v1/themes/{code}/form；共享数据元只填一次，"
                                          "各事项的子办件各按本事项申请表版本保存其字段")


class SubCaseOut(Schema):
    case_number: str | None = Field(description="本部门（或申请人本人）可查看时给出，其余为空")
    item_code: str
    item_name: str
    department: str
    department_code: str
    state: str
    state_label: str
    started_at: dt.datetime | None
    accepted_on: dt.date | None
    due_on: dt.date | None
    decided_on: dt.date | None
    requires: list[str] = Field(description="前置事项（实施编码）")


class ShareOut(Schema):
    department: str
    working_days: int
    share: float


class ReportRowOut(Schema):
    item: str
    department: str
    state_label: str
    licence_number: str
    reason: str


class ReportOut(Schema):
    approved: list[ReportRowOut]
    not_approved: list[ReportRowOut]
    pending: list[ReportRowOut]


class JointReviewOut(Schema):
    id: int
    held_at: dt.datetime
    place: str
    participants: list[dict]
    conclusions: str


class PackageMaterialOut(Schema):
    name: str
    sha256: str
    size: int
    shared_with: int


class PackageOut(Schema):
    number: str
    version: int
    state: str
    state_label: str
    theme: str
    theme_name: str
    channel: str
    applicant_name: str
    applicant_id_number: str
    submitted_on: dt.date
    accepted_on: dt.date | None
    promised_days: int
    due_on: dt.date | None
    legal_due_on: dt.date | None = Field(
        None, description="法定办结日：受理后45个工作日，延长后顺延（统一办理、联合办理，行政许可法第四十二条）")
    statutory_overdue: bool = Field(False, description="已超过法定办结日仍未全部决定")
    extension_days: int = Field(0, description="经本级人民政府负责人批准延长的工作日数")
    extension_reason: str = ""
    extension_approval: str = Field("", description="本级人民政府负责人批准文件")
    light: str
    finished_on: dt.date | None
    working_days: int | None
    delivery_method: str
    delivered_on: dt.date | None
    counts: dict[str, int]
    report: ReportOut
    sub_cases: list[SubCaseOut]
    department_shares: list[ShareOut]
    corrections: list[CorrectionOut]
    joint_reviews: list[JointReviewOut]
    materials: list[PackageMaterialOut]
    answers: dict[str, Any] = Field(description="一表申请的内容（合并视图，按一件事申请表的字段标识）；补正后为现值")


class VersionIn(Schema):
    expected_version: Count | None = Field(None, description="读取一件事时的版本号")


class CorrectionLineIn(Schema):
    name: str = text(200, "材料名称（补正申请表字段时不填）")
    field: str = text(100, "申请表字段：一件事申请表中的字段标识（共享数据元的字段向所有用到它的事项告知）")
    problem: str = text(500, "存在的问题及补正要求", ...)


class PackageCorrectionIn(VersionIn):
    lines: list[CorrectionLineIn] = Field(default_factory=list)
    note: str = text(REASON_MAX, "补正说明")


class PackageAnswersIn(VersionIn):
    answers: dict[str, Any] = Field(
        description="一件事申请表的全部内容（同 GET 一件事返回的 answers），只修改补正告知列出的字段")


class PackageDeliverIn(VersionIn):
    method: str | None = column_text(Package, "delivery_method", "送达方式：pickup / post", None)
    pickup_code: str = column_text(Package, "pickup_code", "窗口领取时申请人出示的取件码")
    tracking_number: str = column_text(Package, "tracking_number", "免费邮寄时的快递单号")
    postal_address: str = column_text(Package, "postal_address", "免费邮寄时的邮寄地址")


class PackageExtendIn(VersionIn):
    days: Count = Field(description="延长的工作日数：1 至 15（统一办理、联合办理，行政许可法第四十二条第二款），只能延长一次，"
                                    "须在法定办结日（受理后45个工作日）届满前")
    reason: str = text(REASON_MAX, "延长理由，告知申请人", ...)
    government_approval: str = text(200, "本级人民政府负责人批准文件（文号）", ...)


class PackageRefuseIn(VersionIn):
    reason: str = text(REASON_MAX, "不予受理理由", ...)
    legal_basis: str = text(LEGAL_BASIS_MAX, "依据")


class ParticipantIn(Schema):
    department: str = text(200, "参会部门", ...)
    name: str = text(64, "参会人员姓名", ...)


class JointReviewIn(Schema):
    held_at: dt.datetime
    place: str = column_text(JointReview, "place", "地点")
    participants: list[ParticipantIn] = Field(max_length=100)
    conclusions: str = text(REASON_MAX, "会审结论", ...)


# -- helpers ---------------------------------------------------------------------------------------------
def _user(request: HttpRequest) -> User:
    return request.auth


def _theme_out(code: str) -> dict[str, Any]:
    guide = selectors.theme_guide(code)
    theme, figures = guide["theme"], guide["figures"]
    codes = {row["id"]: row["code"] for row in guide["items"]}
    return {
        "code": theme.code, "name": theme.name, "description": theme.description,
        "lead_department": theme.lead_department.name, "lead_department_code": theme.lead_department.code,
        "promised_days": figures.promised_days, "serial_days": figures.serial_days,
        "critical_path_days": figures.critical_days, "critical_path": [codes[i] for i in figures.critical_path],
        "items": [{"code": row["code"], "name": row["name"], "department": row["department"].name,
                   "department_code": row["department"].code, "promised_days": row["promised_days"],
                   "requires": row["requires_codes"], "earliest_start": row["earliest_start"],
                   "critical": row["critical"]} for row in guide["items"]],
        "materials": [{"name": m.name, "source": m.source, "requirement": m.requirement,
                       "items": sorted({e.item.implementation_code for e, _ in m.entries})} for m in guide["materials"]],
    }


def _package_out(user: User, number: str) -> dict[str, Any]:
    page = selectors.package_page(user, number)
    package = page["package"]
    subs = []
    for sub in page["sub_cases"]:
        case = sub.case
        own = case.pk in page["own_case_ids"]
        subs.append({
            "case_number": case.number if own else None, "item_code": sub.theme_item.item.implementation_code,
            "item_name": sub.theme_item.item.name, "department": case.department.name,
            "department_code": case.department.code, "state": case.state, "state_label": case.state_label,
            "started_at": sub.started_at, "accepted_on": case.accepted_on, "due_on": case.due_on,
            "decided_on": case.decided_on,
            "requires": selectors.sub_case_prerequisites(sub),
        })
    return {
        "number": package.number, "version": package.version, "state": package.state,
        "state_label": package.state_label, "theme": package.theme.code, "theme_name": package.theme.name,
        "channel": package.channel, "applicant_name": package.applicant_name,
        "applicant_id_number": mask_identity(package.applicant_id_number), "submitted_on": package.submitted_on,
        "accepted_on": package.accepted_on, "promised_days": package.promised_days, "due_on": package.due_on,
        "legal_due_on": package.legal_due_on, "statutory_overdue": page["statutory_overdue"],
        "extension_days": package.extension_days, "extension_reason": package.extension_reason,
        "extension_approval": package.extension_approval,
        "light": page["light"] or "", "finished_on": package.finished_on, "working_days": package.working_days,
        "delivery_method": package.delivery_method, "delivered_on": package.delivered_on, "counts": page["counts"],
        "report": {key: [{"item": r["item"], "department": r["department"], "state_label": r["state_label"],
                          "licence_number": r["licence_number"], "reason": r["reason"]} for r in rows]
                   for key, rows in page["report"].items()},
        "sub_cases": subs,
        "department_shares": [{"department": s["department"].name, "working_days": s["working_days"],
                               "share": s["share"]} for s in page["timeline"]["shares"]],
        "corrections": [{"id": c.pk, "items": c.items, "note": c.note, "requested_at": c.requested_at,
                         "resolved_at": c.resolved_at} for c in page["corrections"]],
        "joint_reviews": [{"id": r.pk, "held_at": r.held_at, "place": r.place, "participants": r.participants,
                           "conclusions": r.conclusions} for r in page["joint_reviews"]],
        "materials": [{"name": m.name, "sha256": m.sha256, "size": m.size,
                       "shared_with": m.case_materials.count()} for m in page["materials"]],
        "answers": page["answers"].answers,
    }


def _expected(request: HttpRequest, body_value: int | None) -> int | None:
    header = request.headers.get("If-Match", "").strip().strip('"')
    if body_value is not None:
        return body_value
    if header:
        if not header.isdigit():
            raise InvalidInput("If-Match 应为版本号（整数）", fields={"If-Match": "format"})
        return int(header)
    return None


# -- themes ----------------------------------------------------------------------------------------------
@router.get("/themes/{code}", response=ThemeOut, summary="一件事主题：事项、前置关系和三个时限（公开）")
def get_theme(request: HttpRequest, code: str):
    return _theme_out(code)


# -- packages --------------------------------------------------------------------------------------------
@router.post("", response={200: PackageOut, 201: PackageOut}, auth=api_auth,
             summary="申请一件事（Idempotency-Key：相同的请求重复发送时返回第一次创建的一件事）")
def create(request: HttpRequest, payload: PackageCreateIn, idempotency_key: str = idempotency_header()):
    user = _user(request)
    theme = selectors.theme_to_apply_for(payload.theme)
    applicant_user = None
    if payload.applicant_user_id is not None:
        applicant_user = User.objects.filter(pk=payload.applicant_user_id, is_active=True).first()
        if applicant_user is None:
            raise InvalidInput("申请人账号不存在", fields={"applicant_user_id": "not_found"})
    package, created = services.apply_for_theme(
        by=user, theme=theme, applicant=Applicant(**payload.applicant.dict()), channel=payload.channel,
        applicant_user=applicant_user, delivery_method=payload.delivery_method, postal_address=payload.postal_address,
        idempotency_key=idempotency_key, answers=payload.answers,
    )
    return Status(201 if created else 200, _package_out(user, package.number))


@router.get("/{number}", response=PackageOut, auth=api_auth, summary="一件事办件：概况、子办件、时间分布")
def get_package(request: HttpRequest, number: str):
    return _package_out(_user(request), number)


# The name of the merged material, as a form field of the upload (its column's limit); required.
_MATERIAL_NAME = Form(..., max_length=PackageMaterial._meta.get_field("name").max_length, description="材料名称")


@router.post("/{number}/materials", response=PackageOut, auth=api_auth,
             summary="提交或补正一份合并材料（一次提交，各子办件共用）")
def supply_material(request: HttpRequest, number: str, file: File[UploadedFile], name: str = _MATERIAL_NAME):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    if file.size is not None and file.size > max_upload_bytes():
        raise InvalidInput("文件过大", fields={"file": "too_large"})
    services.supply_package_material(package, by=user, name=name, content=file.read(), filename=file.name or "")
    return _package_out(user, package.number)


@router.post("/{number}/answers", response=PackageOut, auth=api_auth,
             summary="补正申请表（一次修改，各子办件同步）",
             description="The applicant (or the window) answers a correction notice that names fields of the "
                         "package's form: `answers` is the whole form with only the named fields changed (a shared "
                         "element changes on every sub-case that has it). 422 `form_invalid` naming each "
                         "`answers.<key>` (`not_asked` for a field the notice does not name), nothing written; "
                         "409 when no field is waiting for correction.")
def answer_correction(request: HttpRequest, number: str, payload: PackageAnswersIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.answer_package_correction(package, by=user, answers=payload.answers,
                                       expected_version=_expected(request, payload.expected_version))
    return _package_out(user, package.number)


@router.post("/{number}/accept", response=PackageOut, auth=api_auth, summary="一窗受理")
def accept(request: HttpRequest, number: str, payload: VersionIn | None = None):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.accept_package(package, by=user,
                            expected_version=_expected(request, payload.expected_version if payload else None))
    return _package_out(user, package.number)


@router.post("/{number}/extend", response=PackageOut, auth=api_auth,
             summary="延长法定期限（统一办理、联合办理：经本级人民政府负责人批准，至多15个工作日，一次）")
def extend(request: HttpRequest, number: str, payload: PackageExtendIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.extend_package(package, by=user, days=payload.days, reason=payload.reason,
                            government_approval=payload.government_approval,
                            expected_version=_expected(request, payload.expected_version))
    return _package_out(user, package.number)


@router.post("/{number}/correction", response=PackageOut, auth=api_auth, summary="一次性告知补正（合并告知）")
def correction(request: HttpRequest, number: str, payload: PackageCorrectionIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.request_package_correction(
        package, by=user,
        lines=[services.CorrectionLine(line.name, line.problem, line.field) for line in payload.lines],
        note=payload.note, expected_version=_expected(request, payload.expected_version))
    return _package_out(user, package.number)


@router.post("/{number}/refuse", response=PackageOut, auth=api_auth, summary="不予受理")
def refuse(request: HttpRequest, number: str, payload: PackageRefuseIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.refuse_package(package, by=user, reason=payload.reason, legal_basis=payload.legal_basis,
                            expected_version=_expected(request, payload.expected_version))
    return _package_out(user, package.number)


@router.post("/{number}/deliver", response=PackageOut, auth=api_auth, summary="统一送达（一口办结）")
def deliver(request: HttpRequest, number: str, payload: PackageDeliverIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    services.deliver_package(package, by=user, method=payload.method, pickup_code=payload.pickup_code,
                             tracking_number=payload.tracking_number, postal_address=payload.postal_address,
                             expected_version=_expected(request, payload.expected_version))
    return _package_out(user, package.number)


@router.post("/{number}/joint-reviews", response={201: JointReviewOut}, auth=api_auth, summary="记录集中会审")
def joint_review(request: HttpRequest, number: str, payload: JointReviewIn):
    user = _user(request)
    package = selectors.get_package_for(user, number)
    review = services.record_joint_review(
        package, by=user, held_at=payload.held_at, place=payload.place, conclusions=payload.conclusions,
        participants=[services.Participant(p.department, p.name) for p in payload.participants])
    return Status(201, {"id": review.pk, "held_at": review.held_at, "place": review.place,
                        "participants": review.participants, "conclusions": review.conclusions})

