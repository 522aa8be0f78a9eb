"""The schemas of the case API: what each endpoint takes and gives. Dates are Beijing dates (YYYY-MM-DD), time
limits are counted in working days (工作日), instants are ISO 8601 with their offset (+08:00). The inputs of the
actions on a case are in the action registry (`cases.actions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from onewindow.cases import limits
from onewindow.cases.limits import schema_text


# -- the applicant and the intakes ---------------------------------------------------------------------------------
class ApplicantIn(Schema):
    kind: str = Field(description="person（自然人）或 organization（法人或其他组织）")
    name: str = schema_text(limits.APPLICANT_NAME, "自然人姓名或单位全称", ...)
    id_number: str = Field(description="18位居民身份证号码（自然人）或统一社会信用代码（法人），按校验码核验")
    mobile: str = Field("", description="11位手机号码（自然人必填）")
    legal_representative: str = schema_text(limits.LEGAL_REPRESENTATIVE, "法定代表人（法人必填）")


class AgentIn(Schema):
    name: str = schema_text(limits.AGENT_NAME, "代办人姓名", ...)
    id_number: str = Field(description="代办人居民身份证号码")
    mobile: str = ""
    center: bool = Field(False, description="中心免费代办")


class ItemRef(Schema):
    item_id: int | None = Field(None, description="事项 id（与 item_code 二选一，不能同时填写）")
    item_code: str | None = Field(None, description="事项实施编码（与 item_id 二选一）")


class DeliveryFields(Schema):
    delivery_method: str = Field(
        "pickup", description="结果送达方式：pickup 窗口领取 / post 免费邮寄 / electronic 电子送达（须为事项提供的方式）")
    postal_address: str = schema_text(limits.POSTAL_ADDRESS, "邮寄地址（免费邮寄时必填）")


class CaseCreateIn(ItemRef, DeliveryFields):
    channel: str = Field(description="window / online / kiosk / mobile / mail")
    service_point_id: int | None = None
    applicant: ApplicantIn
    agent: AgentIn | None = None
    applicant_user_id: int | None = Field(None, description="窗口录入时关联的群众账号")
    submit: bool = Field(False, description="创建后立即提交")


class CheckedMaterialIn(Schema):
    material_id: int = Field(description="事项材料 id（GET /api/v1/items/{code} 的 materials）；未列出的材料按“缺少”处理")
    status: Literal["received", "shared", "missing", "faulty"] = Field(
        description="材料核对结果：received 已收取（随附扫描件）/ shared 数据共享获取（仅政府部门核发的材料）/ "
                    "missing 缺少 / faulty 不符合要求（须写明问题）")
    file: str | None = Field(None, description="已收取时必填：随请求上传的文件（files）之一的文件名（不含路径，最长255个字符）")
    problem: str = schema_text(limits.CORRECTION_PROBLEM, "不符合要求时必填：存在的问题及补正要求，写入补正材料通知书")


class WindowDecisionIn(Schema):
    kind: Literal["accept", "request_correction", "refuse"] = Field(
        description="当场处理结果：accept 受理（缺少“容缺后补”材料时为容缺受理）/ request_correction 一次性告知补正 / "
                    "refuse 不予受理")
    tolerance_due_on: dt.date | None = Field(
        None, description="容缺受理时必填：容缺材料承诺补交日期（北京时间日期 YYYY-MM-DD），须晚于受理日、"
                          "不晚于本办件的法定办结日")
    note: str = schema_text(limits.CORRECTION_NOTE, "补正说明（写入补正材料通知书）")
    reason: str = schema_text(limits.CLOSED_REASON, "不予受理时必填：理由")
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "不予受理的依据")


class IntakeIn(ItemRef, DeliveryFields):
    """窗口收件：申请人、材料核对、当场决定，一次完成。"""

    channel: Literal["window", "mail"] = Field("window", description="window 窗口受理 / mail 邮寄申请")
    service_point_id: int | None = Field(None, description="服务场所 id")
    applicant: ApplicantIn
    agent: AgentIn | None = None
    applicant_user_id: int | None = Field(None, description="关联的群众账号（其“我的办件”中可见）")
    materials: list[CheckedMaterialIn] = Field(default_factory=list, description="材料核对清单，每份材料一行")
    decision: WindowDecisionIn


class SuppliedMaterialIn(Schema):
    material_id: int = Field(description="事项材料 id")
    file: str = Field(description="随请求上传的文件（files）之一的文件名（不含路径，最长255个字符）")


class ApplyIn(ItemRef, DeliveryFields):
    """网上申报：申请人、材料、提交，一次完成。政府部门核发的材料通过数据共享获取，无需上传。"""

    channel: Literal["online", "mobile", "kiosk"] = Field("online", description="online 网上 / mobile 移动端 / "
                                                                                "kiosk 自助终端")
    applicant: ApplicantIn
    agent: AgentIn | None = None
    materials: list[SuppliedMaterialIn] = Field(default_factory=list,
                                                description="上传的材料；申请人自备的必要材料都须上传")


class ResubmitIn(Schema):
    """补正后重新提交：补正通知要求的材料（申请人自备的必要材料须上传），然后重新提交，一次完成。"""

    expected_version: int | None = Field(None, description="读取办件时的版本号；与请求头 If-Match 等价")
    materials: list[SuppliedMaterialIn] = Field(default_factory=list, description="补交的材料")


# -- cases ------------------------------------------------------------------------------------------------------
class CaseRowOut(Schema):
    id: int
    number: str = Field(description="办件编号：部门代码＋受理日期 YYYYMMDD＋6位流水号")
    version: int = Field(description="版本号，每次变更加一；作为 expected_version / If-Match 回传")
    state: str = Field(description="办件状态（draft, submitted, correction_requested, accepted, not_accepted, "
                                   "in_review, suspended, approved, denied, result_issued, delivered, withdrawn, "
                                   "terminated）")
    state_label: str
    light: str = Field(description="电子监察灯：green / yellow / red；未计时为空")
    item: str
    department: str
    department_code: str
    channel: str
    applicant_name: str
    applicant_id_number: str = Field(description="证件号码；仅办理部门的工作人员可见全号，其他人为掩码")
    submitted_on: dt.date | None = Field(description="提交日期（北京时间）")
    acceptance_due_on: dt.date | None = Field(description="受理期限：提交后第5个工作日（北京时间日期）")
    accepted_on: dt.date | None = Field(description="受理日期（北京时间）")
    due_on: dt.date | None = Field(description="承诺办结日：受理日起按承诺时限（工作日）计算，扣除特别程序，含延期")
    legal_due_on: dt.date | None = Field(description="法定办结日：按法定时限（工作日）计算")
    decided_on: dt.date | None = Field(description="决定日期（北京时间）")


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
    working_days: int = Field(description="不计入时限的工作日数")


class ExtensionOut(Schema):
    days: int = Field(description="延长的工作日数")
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
    promised_days: int = Field(description="承诺时限（工作日）")
    statutory_days: int = Field(description="法定时限（工作日）")
    extension_days: int = Field(description="延长的工作日数")
    paused_days: int = Field(description="特别程序不计时的工作日数")
    days_left: int | None = Field(description="当前时限剩余工作日（超期为负数）；未计时为空")
    tolerated_materials: list[dict]
    tolerance_due_on: dt.date | None = Field(description="容缺材料承诺补交日期（北京时间）")
    tolerance_resolved_on: dt.date | None = Field(description="容缺材料补齐日期（北京时间）")
    assigned_to: str | None
    timeliness: str
    decision_reason: str
    legal_basis: str
    licence_number: str
    delivery_method: str
    tracking_number: str
    delivered_on: dt.date | None
    closed_reason: str
    allowed_actions: list[str] = Field(description="调用者此刻可对本办件执行的操作（与各操作接口一致）")
    materials: list[MaterialOut]
    suspensions: list[SuspensionOut]
    extension: ExtensionOut | None
    corrections: list[CorrectionOut]


class DocumentLinkOut(Schema):
    kind: str = Field(description="acceptance 受理通知书 / correction 补正材料通知书 / refusal 不予受理决定书")
    title: str
    url: str = Field(description="PDF 的地址（本 API，凭同一令牌下载）")


class IntakeOut(Schema):
    case: CaseOut
    notice: DocumentLinkOut = Field(description="交申请人的通知书")


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


# -- materials, supervision, events, notices, tracking --------------------------------------------------------------
class SharedIn(Schema):
    material_id: int


class ReuseIn(Schema):
    source_id: int
    material_id: int | None = None


class AuthorizationIn(Schema):
    agent: str = Field(min_length=1, max_length=150, description="受托人账号的用户名（须已实名）")
    scope: Literal["materials"] = Field("materials", description="委托事项：materials = 复用材料、数据共享获取")


class AuthorizationOut(Schema):
    id: int
    case: str
    agent: str
    scope: str
    principal: str = Field(description="委托人证件号码（脱敏）")
    recorded_at: dt.datetime


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
