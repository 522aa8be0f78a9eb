"""The schemas of the case API: what each endpoint takes and gives. Dates are Beijing dates (YYYY-MM-DD), time
limits are counted in working days (工作日), instants are ISO 8601 with their offset (+08:00). The inputs of the
actions on a case are in the action registry (`cases.actions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from onewindow.cases import limits
from onewindow.cases.clock import Light
from onewindow.cases.lifecycle import State
from onewindow.cases.limits import schema_text
from onewindow.core.identity_fields import NumberText
from onewindow.core.paging import COUNT_LIMIT, CURSOR_MAX
from onewindow.core.params import TYPED_NUMBER_MAX, Count, Id, PageNumber, text


# -- the applicant and the intakes ---------------------------------------------------------------------------------
class ApplicantIn(Schema):
    kind: str = schema_text(limits.APPLICANT_KIND, "person（自然人）或 organization（法人或其他组织）", ...)
    name: str = schema_text(limits.APPLICANT_NAME, "自然人姓名或单位全称", ...)
    id_number: NumberText = Field(description="18位居民身份证号码（自然人）或统一社会信用代码（法人），按校验码核验",
                           max_length=TYPED_NUMBER_MAX)
    mobile: NumberText = Field("", description="11位手机号码（自然人必填）", max_length=TYPED_NUMBER_MAX)
    legal_representative: str = schema_text(limits.LEGAL_REPRESENTATIVE, "法定代表人（法人必填）")


class AgentIn(Schema):
    name: str = schema_text(limits.AGENT_NAME, "代办人姓名", ...)
    id_number: NumberText = Field(description="代办人居民身份证号码", max_length=TYPED_NUMBER_MAX)
    mobile: NumberText = Field("", max_length=TYPED_NUMBER_MAX)
    center: bool = Field(False, description="中心免费代办")


class ItemRef(Schema):
    item_id: Id | None = Field(None, description="事项 id（与 item_code 二选一，不能同时填写）")
    item_code: str | None = Field(None, description="事项实施编码（与 item_id 二选一）", max_length=limits.ITEM_CODE)


class DeliveryFields(Schema):
    delivery_method: str = Field(
        "pickup", max_length=limits.DELIVERY_METHOD, description="结果送达方式：pickup 窗口领取 / post 免费邮寄 / electronic 电子送达（须为事项提供的方式）")
    postal_address: str = schema_text(limits.POSTAL_ADDRESS, "邮寄地址（免费邮寄时必填）")


class CaseCreateIn(ItemRef, DeliveryFields):
    channel: str = schema_text(limits.CHANNEL, "window / online / kiosk / mobile / mail", ...)
    service_point_id: Id | None = None
    applicant: ApplicantIn
    agent: AgentIn | None = None
    applicant_user_id: Id | None = Field(None, description="窗口录入时关联的群众账号")
    submit: bool = Field(False, description="创建后立即提交")


class CheckedMaterialIn(Schema):
    material_id: Id = Field(description="事项材料 id（GET /api/v1/items/{code} 的 materials）；未列出的材料按“缺少”处理")
    status: Literal["received", "shared", "missing", "faulty"] = Field(
        description="材料核对结果：received 已收取（随附扫描件）/ shared 数据共享获取（仅政府部门核发的材料）/ "
                    "missing 缺少 / faulty 不符合要求（须写明问题）")
    # The limit is declared here and enforced where the file is matched, naming `materials.<material id>.file`.
    file: str | None = Field(None, json_schema_extra={"maxLength": limits.FILE_NAME},
                             description="已收取时必填：随请求上传的文件（files）之一的文件名（不含路径，最长255个字符）")
    problem: str = schema_text(limits.CORRECTION_PROBLEM, "不符合要求时必填：存在的问题及补正要求，写入补正材料通知书")


class WindowDecisionIn(Schema):
    kind: Literal["accept", "request_correction", "refuse"] = Field(
        description="当场处理结果：accept 受理（缺少“容缺后补”材料时为容缺受理）/ request_correction 一次性告知补正 / "
                    "refuse 不予受理")
    tolerance_due_on: dt.date | None = Field(
        None, description="容缺受理时必填：容缺材料承诺补交日期（北京时间日期 YYYY-MM-DD），须晚于受理日、"
                          "不晚于本办件的法定办结日")
    note: str = schema_text(limits.CORRECTION_NOTE, "补正说明（写入补正材料通知书）")
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="仅一次性告知补正：需补正的申请表字段标识 → 存在的问题（写入补正材料通知书，申请人补正时只能修改这些字段）；"
                    "未知字段 422 decision.fields.<标识> invalid，问题为空 required")
    reason: str = schema_text(limits.CLOSED_REASON, "不予受理时必填：理由")
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "不予受理的依据")


ANSWERS_NOTE = ("电子申请表内容：字段标识 → 值，按 GET /api/v1/items/{code}/form 的 JSON Schema 及跨字段规则校验；"
                "有误时 422 form_invalid，fields 逐项列出 answers.<路径>")


class IntakeIn(ItemRef, DeliveryFields):
    """窗口收件：申请人、材料核对、当场决定，一次完成。"""

    channel: Literal["window", "mail"] = Field("window", description="window 窗口受理 / mail 邮寄申请")
    service_point_id: Id | None = Field(None, description="服务场所 id")
    applicant: ApplicantIn
    agent: AgentIn | None = None
    applicant_user_id: Id | None = Field(None, description="关联的群众账号（其“我的办件”中可见）")
    materials: list[CheckedMaterialIn] = Field(default_factory=list, description="材料核对清单，每份材料一行")
    decision: WindowDecisionIn
    answers: dict[str, Any] = Field(default_factory=dict, description=ANSWERS_NOTE)


class SuppliedMaterialIn(Schema):
    material_id: Id = Field(description="事项材料 id")
    file: str = Field(json_schema_extra={"maxLength": limits.FILE_NAME}, description="随请求上传的文件（files）之一的文件名（不含路径，最长255个字符）")


class ApplyIn(ItemRef, DeliveryFields):
    """网上申报：申请人、材料、提交，一次完成。政府部门核发的材料通过数据共享获取，无需上传。"""

    channel: Literal["online", "mobile", "kiosk"] = Field("online", description="online 网上 / mobile 移动端 / "
                                                                                "kiosk 自助终端")
    applicant: ApplicantIn
    agent: AgentIn | None = None
    materials: list[SuppliedMaterialIn] = Field(default_factory=list,
                                                description="上传的材料；申请人自备的必要材料都须上传")
    answers: dict[str, Any] = Field(default_factory=dict, description=ANSWERS_NOTE)


class ResubmitIn(Schema):
    """补正后重新提交：补正通知要求的材料（申请人自备的必要材料须上传），然后重新提交，一次完成。"""

    expected_version: Count | None = Field(None, description="读取办件时的版本号；与请求头 If-Match 等价")
    materials: list[SuppliedMaterialIn] = Field(default_factory=list, description="补交的材料")
    answers: dict[str, Any] | None = Field(None, description="补正后的申请表内容（全部字段；只能修改补正告知列出的字段）")


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
    deemed_accepted: bool = Field(
        description="视为受理（行政许可法第三十二条）：提交后5个工作日内未受理、不予受理或告知补正，自收到申请之日"
                           "起视为受理；此时 accepted_on 为收到申请之日，due_on / legal_due_on 自该日起算")
    acceptance_due_on_provisional: bool = Field(
        False, description="受理期限为暂定：按尚未公布放假通知的年度（依节假日规则推算）计算，载入通知后可能调整")
    due_on_provisional: bool = Field(False, description="承诺办结日为暂定（同上）")
    legal_due_on_provisional: bool = Field(False, description="法定办结日为暂定（同上）")


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
    expected_end_on: dt.date | None = Field(description="预计结束日期（书面告知申请人，第四十五条）；逾期未结束产生监察预警")
    ended_on: dt.date | None
    working_days: int = Field(description="不计入时限的工作日数")


class HearingClockOut(Schema):
    label: str = Field(description="当前时限：申请听证期限 / 通知听证时间地点期限 / 举行听证")
    due_on: dt.date
    light: str = Field(description="green / yellow / red")
    days_left: int = Field(description="剩余工作日（超期为负数）")


class HearingOut(Schema):
    id: int
    state: str = Field(description="notified 已告知 / requested 已申请 / scheduled 已通知时间地点 / held 已举行 / "
                                   "waived 放弃 / lapsed 逾期未申请")
    state_label: str
    matter: str
    interested_parties: list[str]
    notified_on: dt.date
    request_due_on: dt.date = Field(description="申请听证期限：告知之日起5个自然日，期末遇休息日顺延至工作日")
    requested_on: dt.date | None
    requested_by_name: str
    hold_by_on: dt.date | None = Field(description="组织听证期限：申请之日起20个工作日")
    notice_due_on: dt.date | None = Field(description="最迟通知听证时间地点的日期（须提前7个工作日）")
    hearing_at: dt.datetime | None
    place: str
    presiding_officer: str | None
    place_notified_on: dt.date | None
    held_on: dt.date | None
    record: str
    record_signed_by: str
    closed_on: dt.date | None
    clock: HearingClockOut | None = Field(description="进行中的听证当前时限及灯色")


class ExtensionOut(Schema):
    days: int = Field(description="延长的工作日数")
    reason: str
    previous_due_on: dt.date
    new_due_on: dt.date
    previous_legal_due_on: dt.date | None = Field(None, description="延期前的法定办结日")
    new_legal_due_on: dt.date | None = Field(None, description="延期后的法定办结日（行政许可法第四十二条）")
    moves_promise: bool = Field(True, description="是否顺延承诺办结日；承诺期限已届满后的延期只延长法定期限，仍计超期")
    notice_url: str = Field("", description="延长期限告知书（PDF）地址")

    @staticmethod
    def resolve_notice_url(obj) -> str:
        return f"/api/v1/cases/{obj.case.number}/notices/extension"


class CorrectionOut(Schema):
    id: int
    items: list[dict]
    note: str
    requested_at: dt.datetime
    resolved_at: dt.datetime | None


class CaseOut(CaseRowOut):
    query_code: str
    item_version_id: int
    form_version_id: int | None = Field(description="申请时所依据的申请表版本 id（无电子申请表时为空）")
    answers: dict[str, Any] = Field(description="申请表内容（补正后为更正后的内容）")
    first_answers: dict[str, Any] = Field(description="首次提交的申请表内容")
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
    delivery_due_on: dt.date | None = Field(description="送达期限：决定之日起10个工作日内颁发、送达（第四十四条）；"
                                                        "决定后至送达前的计时截止日")
    closed_reason: str
    allowed_actions: list[str] = Field(description="调用者此刻可对本办件执行的操作（与各操作接口一致）")
    materials: list[MaterialOut]
    suspensions: list[SuspensionOut]
    hearings: list[HearingOut]
    extension: ExtensionOut | None
    corrections: list[CorrectionOut]


class DocumentLinkOut(Schema):
    kind: str = Field(description="acceptance 受理通知书 / correction 补正材料通知书 / refusal 不予受理决定书 / "
                                  "approval / denial 许可决定书 / suspension 特别程序告知书 / hearing_right 听证告知书 / "
                                  "hearing_notice 听证通知书")
    title: str
    url: str = Field(description="PDF 的地址（本 API，凭同一令牌下载）")


class IntakeOut(Schema):
    case: CaseOut
    notice: DocumentLinkOut = Field(description="交申请人的通知书")


class CasePageOut(Schema):
    """One page of a list of cases (keyset paging, `core.paging`)."""

    count: int = Field(description="办件数：不超过 1000 时为准确数；超过时为 1000 且 count_exact 为 false（请求 exact_count=true 可得准确数）")
    count_exact: bool = Field(description="count 是否为准确数")
    page: int | None = Field(description="按页码请求时的页码；按游标请求时为空")
    page_size: int
    next_cursor: str | None = Field(description="下一页的游标（传回 cursor 参数）；已是最后一页时为空")
    previous_cursor: str | None = Field(description="上一页的游标；已是第一页时为空")
    results: list[CaseRowOut]


# Keyset paging of the case lists (`core.paging`): follow next_cursor / previous_cursor; page numbers serve the
# first MAX_PAGED_ROWS rows only, for clients of the previous release.
MAX_PAGED_ROWS = COUNT_LIMIT
CURSOR_HELP = "翻页游标：上一次结果中的 next_cursor 或 previous_cursor，原样传回（与 page 不同时使用）"
PAGE_HELP = (f"页码，从 1 开始（兼容旧客户端）：仅限前 {MAX_PAGED_ROWS} 条，更深请用 cursor，否则 422 page=too_deep；"
             "超出最后一页为 404")
EXACT_COUNT_HELP = "为 true 时 count 为准确总数（需统计全部匹配的办件，列表很长时较慢）"


class ListQuery(Schema):
    state: State | None = Field(None, description="办件状态")
    light: Light | None = Field(None, description="电子监察灯：green / yellow / red")
    department_id: Id | None = Field(None, description="部门 id")
    item_id: Id | None = Field(None, description="事项 id")
    number: str | None = text(limits.NUMBER, "办件编号前缀", None)
    cursor: str | None = text(CURSOR_MAX, CURSOR_HELP, None)
    page: PageNumber | None = Field(None, description=PAGE_HELP)
    page_size: int = Field(20, ge=1, le=100, description="每页条数")
    exact_count: bool = Field(False, description=EXACT_COUNT_HELP)


# -- materials, supervision, events, notices, tracking --------------------------------------------------------------
class SharedIn(Schema):
    material_id: Id


class ReuseIn(Schema):
    source_id: Id
    material_id: Id | None = None


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
    light: Light | None = Field(None, description="电子监察灯：green / yellow / red")
    overdue: Literal["acceptance", "tolerance"] | None = Field(
        None, description="acceptance（超期未受理）或 tolerance（容缺逾期）")
    department_id: Id | None = None
    cursor: str | None = text(CURSOR_MAX, CURSOR_HELP, None)
    page: PageNumber | None = Field(None, description=PAGE_HELP)
    page_size: int = Field(20, ge=1, le=100)
    exact_count: bool = Field(False, description=EXACT_COUNT_HELP)


class RateQuery(Schema):
    start: dt.date
    end: dt.date
    department_id: Id | None = None


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
    acceptance_due_on_provisional: bool = Field(False, description="受理期限为暂定（节假日通知尚未载入的年度）")
    due_on_provisional: bool = Field(False, description="承诺办结日为暂定（节假日通知尚未载入的年度）")
