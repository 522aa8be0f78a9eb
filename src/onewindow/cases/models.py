"""办件: the case, its materials, its special procedures and extension, its alerts and notices.

The lifecycle lives in `lifecycle.py`, the clock in `clock.py`, the writes in `services.py`.
Dates that the board compares (`clock_due_on`, `clock_warn_on`, `due_on`, `legal_due_on`…) are stored
and recomputed in the same transaction as every change that moves them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from onewindow.cases.clock import LIGHT_LABELS, TIMELINESS_LABELS
from onewindow.cases.lifecycle import STATE_LABELS, State

StateChoices = models.TextChoices("StateChoices", [(s.name, (s.value, _(STATE_LABELS[s]))) for s in State])
LightChoices = [(k.value, _(v)) for k, v in LIGHT_LABELS.items()]
TimelinessChoices = [(k.value, _(v)) for k, v in TIMELINESS_LABELS.items()]

# The longest free text a reason (理由、事由、说明) and a legal basis (法律依据) may be: the text columns below declare
# it, and `cases.limits` reads every limit from the columns, for the acts, the page forms and the API schemas.
REASON_MAX = 2000
# The running states (a clock or a paused light), in the order the queries list them, so that SQLite and PostgreSQL
# both match the partial indexes to them; the states in which a 容缺 promise is no longer owed; the due date of a
# case without a running clock, in the order lists sort them (last).
RUNNING = [State.SUBMITTED.value, State.ACCEPTED.value, State.IN_REVIEW.value, State.SUSPENDED.value]
# The states in which a case has a light: running, or decided and on the delivery clock (第四十四条).
CLOCKED = [*RUNNING, State.APPROVED.value, State.DENIED.value, State.RESULT_ISSUED.value]
TOLERANCE_CLOSED = [State.NOT_ACCEPTED.value, State.WITHDRAWN.value, State.TERMINATED.value, State.DELIVERED.value]
NO_CLOCK = dt.date(9999, 12, 31)
LEGAL_BASIS_MAX = 1000


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口受理")
    ONLINE = "online", _("网上申报")
    KIOSK = "kiosk", _("自助终端")
    MOBILE = "mobile", _("移动端")
    MAIL = "mail", _("邮寄申请")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANIZATION = "organization", _("法人或其他组织")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("免费邮寄")
    ELECTRONIC = "electronic", _("电子送达")


class Case(models.Model):
    """One case (办件): applicant, item version, channel, materials, state, clock, decision, result, delivery."""

    number = models.CharField("办件编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=6, help_text="公众凭办件编号和查询码查询进度")
    version = models.PositiveIntegerField("版本", default=1, help_text="乐观锁：每次状态变更加一")
    state = models.CharField("状态", max_length=24, choices=StateChoices.choices, default=State.DRAFT)

    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="事项版本", on_delete=models.PROTECT, related_name="cases",
        help_text="提交时现行的已发布版本；此后事项调整不影响本办件",
    )
    department = models.ForeignKey(
        "catalog.Department", verbose_name="办理部门", on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField("申报渠道", max_length=10, choices=Channel.choices, default=Channel.WINDOW)
    service_point = models.ForeignKey(
        "catalog.ServicePoint", verbose_name="收件场所", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )

    # -- applicant (申请人) and agent (代办人) ------------------------------------------------------
    applicant_kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人名称", max_length=200)
    applicant_id_number = models.CharField(
        "证件号码", max_length=18, db_index=True, help_text="自然人为居民身份证号码，法人为统一社会信用代码"
    )
    applicant_mobile = models.CharField("联系电话", max_length=20, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人账号", null=True, blank=True, on_delete=models.PROTECT,
        related_name="own_cases",
    )
    agent_name = models.CharField("代办人", max_length=64, blank=True)
    agent_id_number = models.CharField("代办人身份证号码", max_length=18, blank=True)
    agent_mobile = models.CharField("代办人电话", max_length=20, blank=True)
    agent_is_center = models.BooleanField("中心免费代办", default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    # -- the application form (电子申请表) ---------------------------------------------------------------
    form_version = models.ForeignKey(
        "forms.FormVersion", verbose_name="申请表版本", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases", help_text="申请时所依据的申请表（随事项版本）；此后申请表调整不影响本办件",
    )
    answers = models.JSONField("申请表内容", default=dict, blank=True,
                               help_text="字段标识 → 值，已按申请表校验；补正后为更正后的内容")
    first_answers = models.JSONField("首次提交的申请表内容", default=dict, blank=True,
                                     help_text="首次提交时的内容，与补正后的内容对照显示")
    prefill_sources = models.JSONField("预填来源", default=dict, blank=True,
                                       help_text="字段标识 → 预填来源（申请人账号、此前办件、证照库……），用于减填写统计")
    idempotency_key = models.CharField("幂等键", max_length=80, blank=True)
    idempotency_digest = models.CharField(
        "请求摘要", max_length=64, blank=True,
        help_text="带幂等键的首次请求（字段与文件的 SHA-256）的摘要：同一幂等键仅对相同请求返回首次结果",
    )
    created_at = models.DateTimeField("创建时间")

    # -- intake and acceptance (收件、受理) ------------------------------------------------------------
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    acceptance_due_on = models.DateField(
        "受理期限", null=True, blank=True, db_index=True, help_text="提交后5个工作日内受理、不予受理或一次性告知补正"
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="受理人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    deemed_accepted = models.BooleanField(
        "视为受理", default=False,
        help_text="提交后5个工作日内未受理、不予受理或告知补正，自收到申请之日起即视为受理（行政许可法第三十二条）",
    )
    tolerated_materials = models.JSONField("容缺材料", default=list, blank=True)
    # Indexed where it matters, by the partial index of the promises still owed (`case_tolerance_owed`): an index
    # of every promise the years left behind led the planner to walk them all.
    tolerance_due_on = models.DateField("容缺补齐承诺日", null=True, blank=True)
    tolerance_resolved_on = models.DateField("容缺补齐日期", null=True, blank=True)

    # -- the clock (时限) ------------------------------------------------------------------------------
    promised_days = models.PositiveIntegerField("承诺时限（工作日）", default=0)
    statutory_days = models.PositiveIntegerField("法定时限（工作日）", default=0)
    extension_days = models.PositiveIntegerField("延期（工作日）", default=0)
    paused_days = models.PositiveIntegerField("特别程序（工作日）", default=0)
    due_on = models.DateField("承诺办结日", null=True, blank=True, db_index=True)
    legal_due_on = models.DateField("法定办结日", null=True, blank=True, db_index=True)
    clock_due_on = models.DateField(
        "当前计时截止日", null=True, blank=True, help_text="待受理时为受理期限，办理中为承诺办结日，计时暂停或结束时为空"
    )
    clock_warn_on = models.DateField("黄灯起始日", null=True, blank=True)
    paused_light = models.CharField(
        "暂停时灯色", max_length=8, blank=True, choices=LightChoices, help_text="特别程序期间保持开始时的灯色"
    )

    # -- review, decision, result, delivery (审查、决定、出证、送达) ---------------------------------------
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    timeliness = models.CharField("办结时效", max_length=8, blank=True, choices=TimelinessChoices)
    decision_reason = models.TextField("决定理由", max_length=REASON_MAX, blank=True)
    legal_basis = models.TextField("法律依据", max_length=LEGAL_BASIS_MAX, blank=True)
    licence_number = models.CharField("证照编号", max_length=64, blank=True)
    result_document = models.FileField("结果文书", upload_to="cases/results/", blank=True)
    result_issued_at = models.DateTimeField("出证时间", null=True, blank=True)
    delivery_method = models.CharField(
        "送达方式", max_length=12, choices=DeliveryMethod.choices, default=DeliveryMethod.PICKUP
    )
    pickup_code = models.CharField("取件码", max_length=8, blank=True)
    postal_address = models.CharField("邮寄地址", max_length=300, blank=True)
    tracking_number = models.CharField("快递单号", max_length=40, blank=True)
    delivery_due_on = models.DateField(
        "送达期限", null=True, blank=True,
        help_text="决定之日起10个工作日内颁发、送达（行政许可法第四十四条）；不予许可决定书同样适用（本中心规定）",
    )
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    closed_reason = models.TextField("不予受理、撤回或终止理由", max_length=REASON_MAX, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="case_unique_idempotency_key",
            ),
        ]
        indexes = [
            # The supervision board: running cases per department by their clock dates.
            models.Index(fields=["department", "clock_due_on"], name="case_dept_clock_due"),
            models.Index(fields=["department", "clock_warn_on"], name="case_dept_clock_warn"),
            # Running cases are a small share of all cases: the board counts them from this partial index alone
            # (every column its counts read is in it: no table row is visited).
            models.Index(fields=["department", "clock_due_on", "clock_warn_on", "state", "paused_light",
                                 "acceptance_due_on"], name="case_running_board",
                         condition=models.Q(state__in=RUNNING)),
            # 容缺 promises still owed by a case not closed: what the board's overdue count and list read, however
            # many resolved promises the years left behind.
            models.Index(fields=["department", "tolerance_due_on"], name="case_tolerance_owed",
                         condition=models.Q(tolerance_resolved_on__isnull=True, tolerance_due_on__isnull=False)
                         & ~models.Q(state__in=TOLERANCE_CLOSED)),
            models.Index(fields=["department", "decided_on"], name="case_dept_decided"),
            models.Index(fields=["applicant_user", "state"], name="case_applicant_state"),
            # Keyset paging (core.paging) of the lists, newest first: each filter walks its index from the cursor.
            models.Index(fields=["department", "id"], name="case_dept_id"),
            models.Index(fields=["department", "state", "id"], name="case_dept_state_id"),
            models.Index(fields=["state", "id"], name="case_state_id"),
            models.Index(fields=["item", "id"], name="case_item_id"),
            models.Index(fields=["id"], name="case_clocked_id", condition=models.Q(state__in=CLOCKED)),
            models.Index(fields=["department", "id"], name="case_dept_clocked_id",
                         condition=models.Q(state__in=CLOCKED)),
            # …and the running clock's end first (cases without a clock last): selectors.DUE_FIRST.
            models.Index(Coalesce("clock_due_on", models.Value(NO_CLOCK)), "id", name="case_due"),
            models.Index("department", Coalesce("clock_due_on", models.Value(NO_CLOCK)), "id", name="case_dept_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name_masked} {self.item_version.name if self.item_version_id else ''}"

    @property
    def applicant_name_masked(self) -> str:
        name = self.applicant_name or ""
        if self.applicant_kind == ApplicantKind.ORGANIZATION or len(name) <= 1:
            return name
        return name[0] + "*" * (len(name) - 1)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


class CaseMaterial(models.Model):
    """A material of a case: an uploaded file (checked by content), fetched by data sharing, or reused."""

    class Provision(models.TextChoices):
        UPLOADED = "uploaded", _("上传")
        SHARED = "shared", _("数据共享获取")
        REUSED = "reused", _("复用已核验材料")

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material", verbose_name="材料要求", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("材料名称", max_length=200)
    provision = models.CharField("提供方式", max_length=10, choices=Provision.choices)
    file = models.FileField("文件", upload_to="cases/materials/", blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=40, blank=True, help_text="按文件内容识别，不信任扩展名")
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    reused_from = models.ForeignKey(
        "self", verbose_name="复用自", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified = models.BooleanField("已核验", default=False, help_text="受理时由窗口核验；核验过的材料可在以后的办件中复用")
    added_at = models.DateTimeField("提交时间")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_provision_display()}）"


class Authorization(models.Model):
    """授权委托 recorded on a case: the agent's account may act in the principal's name within the scope.

    Recorded by a clerk who has seen the signed 授权委托书 and both identity documents (at the window). The
    principal is the case's applicant (identity number or credit code), kept as it stood when recorded.
    """

    class Scope(models.TextChoices):
        MATERIALS = "materials", _("调取申请人的材料（复用已核验材料、数据共享获取）")

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="authorizations")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受托人账号", on_delete=models.PROTECT,
                              related_name="+")
    principal_id_number = models.CharField("委托人证件号码", max_length=18,
                                           help_text="居民身份证号码或统一社会信用代码")
    scope = models.CharField("委托事项", max_length=16, choices=Scope.choices, default=Scope.MATERIALS)
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "授权委托"
        verbose_name_plural = "授权委托"
        constraints = [
            models.UniqueConstraint(fields=["case", "agent", "scope"], name="cases_authorization_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.agent} ({self.get_scope_display()})"


class CorrectionNotice(models.Model):
    """补正告知: every missing or faulty material, told at once (一次性告知)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="corrections")
    items = models.JSONField("需补正材料", help_text="[{material_id, name, problem}]")
    note = models.TextField("说明", max_length=REASON_MAX, blank=True)
    requested_at = models.DateTimeField("告知时间")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="告知人", on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField("补正提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 补正 {len(self.items)} 项"


class SuspensionKind(models.TextChoices):
    """特别程序 of 行政许可法 第四十五条: their time does not count."""

    HEARING = "hearing", _("听证")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class Suspension(models.Model):
    """One special procedure (特别程序): the clock pauses from its start to its end."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField("程序类型", max_length=16, choices=SuspensionKind.choices)
    reason = models.TextField("事由", max_length=REASON_MAX)
    started_on = models.DateField("开始日期")
    expected_end_on = models.DateField(
        "预计结束日期", null=True, blank=True,
        help_text="书面告知申请人的所需时间（行政许可法第四十五条）；逾期未结束时产生监察预警",
    )
    ended_on = models.DateField("结束日期", null=True, blank=True)
    working_days = models.PositiveIntegerField("持续工作日", default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(ended_on__isnull=True), name="suspension_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class Extension(models.Model):
    """The one extension (延期) of a case, approved by the department leader (行政许可法 第四十二条)."""

    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="extension")
    days = models.PositiveIntegerField("延长工作日")
    reason = models.TextField("延期理由", max_length=REASON_MAX)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间")
    previous_due_on = models.DateField("原承诺办结日")
    new_due_on = models.DateField("新承诺办结日")
    previous_legal_due_on = models.DateField("原法定办结日", null=True, blank=True)
    new_legal_due_on = models.DateField("新法定办结日", null=True, blank=True)
    moves_promise = models.BooleanField(
        "顺延承诺办结日", default=True,
        help_text="承诺期限已届满后决定的延期只延长法定期限，已超期的承诺仍计为超期办结",
    )

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"

    def __str__(self) -> str:
        return f"{self.case.number} 延期 {self.days} 个工作日"


class AlertKind(models.TextChoices):
    """What an alert watches: the case's clock, a special procedure past its expected end, a hearing's limit, the
    lapse of the 5-day acceptance limit (视为受理, art. 32)."""

    CLOCK = "clock", _("办理时限")
    PROCEDURE_OVERRUN = "procedure_overrun", _("特别程序超过预计时间")
    HEARING = "hearing", _("听证时限")
    ACCEPTANCE_LAPSED = "acceptance_lapsed", _("逾期未受理（视为受理）")


class HearingState(models.TextChoices):
    NOTIFIED = "notified", _("已告知听证权利")
    REQUESTED = "requested", _("已申请听证")
    SCHEDULED = "scheduled", _("已通知听证时间地点")
    HELD = "held", _("已举行听证")
    WAIVED = "waived", _("放弃听证")
    LAPSED = "lapsed", _("逾期未申请听证")


class Hearing(models.Model):
    """听证 (行政许可法 第四十七、四十八条): the right told to the applicant and interested parties, their request
    within 5 days, the hearing within 20 days of it with 7 days' notice of its time and place, and its record.
    The case's clock stands still from the notice of the right to the end of the hearing (第四十五条): each hearing
    runs inside one special procedure (`suspension`) of kind hearing."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="hearings")
    suspension = models.OneToOneField(Suspension, verbose_name="特别程序", on_delete=models.PROTECT,
                                      related_name="hearing")
    state = models.CharField("听证状态", max_length=12, choices=HearingState.choices, default=HearingState.NOTIFIED)
    matter = models.TextField("涉及的重大利益", max_length=REASON_MAX,
                              help_text="许可事项直接涉及申请人与他人之间重大利益关系的情形")
    interested_parties = models.TextField("利害关系人", max_length=REASON_MAX, blank=True, help_text="每行一个")
    notified_on = models.DateField("告知日期")
    request_due_on = models.DateField(
        "听证申请期限", help_text="告知之日起5日（自然日；期末为法定休假日的顺延至其后第一个工作日）")
    requested_on = models.DateField("申请听证日期", null=True, blank=True)
    requested_by_name = models.CharField("听证申请人", max_length=200, blank=True)
    hold_by_on = models.DateField("组织听证期限", null=True, blank=True,
                                  help_text="收到听证申请之日起20个工作日内组织听证")
    notice_due_on = models.DateField("通知期限", null=True, blank=True,
                                     help_text="最迟于此日通知听证时间地点，方能在期限内举行（提前7个工作日）")
    hearing_at = models.DateTimeField("听证时间", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    place = models.CharField("听证地点", max_length=200, blank=True)
    presiding_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="听证主持人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="审查该申请的工作人员以外的人员（第四十八条）",
    )
    place_notified_on = models.DateField("通知时间地点日期", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    record = models.TextField("听证笔录（摘要）", max_length=REASON_MAX * 5, blank=True)
    record_signed_by = models.TextField("笔录签字人", max_length=REASON_MAX, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    closed_reason = models.TextField("放弃或逾期说明", max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 听证（{self.get_state_display()}）"

    @property
    def open(self) -> bool:
        return self.state in (HearingState.NOTIFIED, HearingState.REQUESTED, HearingState.SCHEDULED)


class CaseAlert(models.Model):
    """电子监察 alert: recorded once when a clock turns yellow or red (per kind, light and deadline), and once when
    the 5-day acceptance limit lapsed (`acceptance_lapsed`, art. 32). Alerts are a record: never deleted."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField("预警类型", max_length=20, choices=AlertKind.choices, default=AlertKind.CLOCK)
    department = models.ForeignKey(
        "catalog.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    light = models.CharField("灯色", max_length=8, choices=LightChoices)
    clock_due_on = models.DateField("对应截止日")
    created_at = models.DateTimeField("预警时间", db_index=True)

    class Meta:
        verbose_name = "监察预警"
        verbose_name_plural = "监察预警"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "light", "clock_due_on"],
                                    name="casealert_once_per_kind_light"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_light_display()}"


class Notice(models.Model):
    """In-app inbox message (站内消息) to a user about a case."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="case_notices"
    )
    case = models.ForeignKey(Case, verbose_name="办件", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notices")
    kind = models.CharField("类型", max_length=32)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return self.title


class StagedUpload(models.Model):
    """A file chosen on a form that was then refused (暂存的上传文件): kept for the person who chose it, so that the
    form shown again has it attached, until the form is submitted (the file then goes to the case by its service)
    or it expires. It belongs to no case: nothing of it is a fact of a case until a submit succeeds."""

    token = models.CharField("凭据", max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE,
                              related_name="+")
    file = models.FileField("文件", upload_to="cases/staged/")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=40, help_text="按文件内容识别，不信任扩展名")
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField("暂存时间")
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "暂存上传"
        verbose_name_plural = "暂存上传"

    def __str__(self) -> str:
        return self.original_name or self.token
