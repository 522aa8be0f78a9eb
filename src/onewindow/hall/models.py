"""The service hall (服务大厅): categories, windows, tickets and their daily counters, appointments, lost & found.

Ticket numbers come from a per-category, per-day counter row (QueueSystem's BLineUpMaxNo shape), never
from max(number)+1. The allowed ticket transitions are one table, `TICKET_TRANSITIONS`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from onewindow.core.identity import mask_mobile


class Priority(models.TextChoices):
    NORMAL = "normal", "普通"
    APPOINTMENT = "appointment", "预约"
    ELDERLY = "elderly", "绿色通道（老年人）"
    DISABLED = "disabled", "绿色通道（残疾人）"
    PREGNANT = "pregnant", "绿色通道（孕妇）"
    MILITARY = "military", "绿色通道（军人）"


DEFAULT_PRIORITY_RANKS = {
    Priority.NORMAL.value: 0,
    Priority.APPOINTMENT.value: 10,
    Priority.ELDERLY.value: 20,
    Priority.DISABLED.value: 20,
    Priority.PREGNANT.value: 20,
    Priority.MILITARY.value: 20,
}


class HallPolicy(models.Model):
    """The hall's configurable rules; a hall without a row uses the field defaults."""

    hall = models.OneToOneField("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="policy")
    max_recalls = models.PositiveSmallIntegerField("最多重呼次数", default=3)
    reactivate_within_minutes = models.PositiveIntegerField(
        "过号恢复时限（分钟）", default=30, help_text="过号后在此时间内可恢复一次，恢复后排到队尾"
    )
    wait_target_minutes = models.PositiveIntegerField("等候目标（分钟）", default=20)
    priority_ranks = models.JSONField(
        "优先级权重",
        default=dict,
        blank=True,
        help_text='数字越大越先叫，例如 {"appointment": 10, "elderly": 20}；未列出的取默认值',
    )
    booking_horizon_days = models.PositiveSmallIntegerField("可提前预约天数", default=7)
    cancel_before_minutes = models.PositiveIntegerField("取消截止（开始前分钟）", default=120)
    checkin_early_minutes = models.PositiveIntegerField("最早签到（开始前分钟）", default=60)
    checkin_grace_minutes = models.PositiveIntegerField("签到宽限（结束后分钟）", default=15)
    missed_limit = models.PositiveSmallIntegerField("爽约次数上限", default=3)
    missed_window_days = models.PositiveSmallIntegerField("爽约统计期（天）", default=30)
    booking_block_days = models.PositiveSmallIntegerField("限制预约期（天）", default=30)
    unclaimed_after_days = models.PositiveIntegerField("失物逾期未领（天）", default=90)

    class Meta:
        verbose_name = "大厅规则"
        verbose_name_plural = "大厅规则"

    def __str__(self) -> str:
        return f"{self.hall} 规则"

    def clean(self) -> None:
        ranks = self.priority_ranks or {}
        if not isinstance(ranks, dict) or any(
            key not in Priority.values or not isinstance(value, int) or isinstance(value, bool)
            for key, value in ranks.items()
        ):
            raise ValidationError({"priority_ranks": "应为 {优先类型: 整数}，优先类型取 " + "、".join(Priority.values)})

    def rank_of(self, priority: str) -> int:
        ranks = {**DEFAULT_PRIORITY_RANKS, **(self.priority_ranks or {})}
        return int(ranks.get(priority, 0))


class ServiceCategory(models.Model):
    """业务类别: a queue in a hall, with its ticket prefix and the items it covers."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="categories")
    name = models.CharField("类别名称", max_length=60)
    prefix = models.CharField(
        "号码前缀",
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", "前缀为1-2个大写字母")],
    )
    items = models.ManyToManyField("catalog.ServiceItem", verbose_name="涵盖事项", blank=True, related_name="+")
    bookable = models.BooleanField("可预约", default=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "业务类别"
        verbose_name_plural = "业务类别"
        ordering = ["hall", "sort_order", "prefix"]
        constraints = [models.UniqueConstraint(fields=["hall", "prefix"], name="hall_category_unique_prefix")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class WindowStatus(models.TextChoices):
    OPEN = "open", "开放"
    PAUSED = "paused", "暂停"
    CLOSED = "closed", "关闭"


class Window(models.Model):
    """A counter (窗口): a department's or a comprehensive (综合) one, serving some categories."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="windows")
    number = models.CharField("窗口号", max_length=8, help_text="叫号时读出，例如 5 读作“5号窗口”")
    zone = models.CharField("区域", max_length=40, blank=True)
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示综合窗口",
    )
    categories = models.ManyToManyField(ServiceCategory, verbose_name="可办类别", related_name="windows")
    status = models.CharField("状态", max_length=8, choices=WindowStatus.choices, default=WindowStatus.CLOSED)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="当前人员", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    current_ticket = models.OneToOneField(
        "Ticket", verbose_name="当前号票", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["hall", "sort_order", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="hall_window_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}号窗口"

    @property
    def is_comprehensive(self) -> bool:
        return self.department_id is None


class TicketState(models.TextChoices):
    WAITING = "waiting", "等候中"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    DONE = "done", "已办结"
    NO_SHOW = "no_show", "过号"
    TRANSFERRED = "transferred", "已转移"
    CANCELLED = "cancelled", "已取消"


# The lifecycle, in one place. (called → called) is a recall (重呼).
TICKET_TRANSITIONS: dict[str, set[str]] = {
    TicketState.WAITING: {TicketState.CALLED, TicketState.CANCELLED},
    TicketState.CALLED: {
        TicketState.CALLED, TicketState.SERVING, TicketState.DONE, TicketState.NO_SHOW, TicketState.TRANSFERRED,
    },
    TicketState.SERVING: {TicketState.DONE, TicketState.TRANSFERRED},
    TicketState.NO_SHOW: {TicketState.WAITING},
    TicketState.DONE: set(),
    TicketState.TRANSFERRED: set(),
    TicketState.CANCELLED: set(),
}
ACTIVE_AT_WINDOW = (TicketState.CALLED, TicketState.SERVING)


class Ticket(models.Model):
    """One queue ticket (号票). A transfer closes this row and opens a new one with the same number and place."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="tickets")
    category = models.ForeignKey(ServiceCategory, verbose_name="业务类别", on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField("日期")
    sequence = models.PositiveIntegerField("当日序号")
    number = models.CharField("号码", max_length=8)
    code = models.CharField("查询码", max_length=12, db_index=True, help_text="扫码查看排队位置；转移后的新号票沿用")
    issued_at = models.DateTimeField("取号时间")
    queued_at = models.DateTimeField("排队时间", help_text="排序依据：转移保留原取号时间，过号恢复后为恢复时间")
    priority = models.CharField("优先类型", max_length=12, choices=Priority.choices, default=Priority.NORMAL)
    priority_rank = models.SmallIntegerField("优先级", default=0)
    identity_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    identity_key = models.CharField("身份证号摘要", max_length=64, blank=True, db_index=True)
    mobile_masked = models.CharField("手机号（脱敏）", max_length=20, blank=True)
    appointment = models.ForeignKey(
        "Appointment", verbose_name="预约", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    state = models.CharField("状态", max_length=12, choices=TicketState.choices, default=TicketState.WAITING)
    target_window = models.ForeignKey(
        Window, verbose_name="指定窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="转移到指定窗口时，只有该窗口能叫到此号",
    )
    window = models.ForeignKey(
        Window, verbose_name="叫号窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="叫号人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField("重呼次数", default=0)
    serving_started_at = models.DateTimeField("开始办理", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    no_show_at = models.DateTimeField("过号时间", null=True, blank=True)
    reactivated_at = models.DateTimeField("过号恢复时间", null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self", verbose_name="转自", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )

    class Meta:
        verbose_name = "号票"
        verbose_name_plural = "号票"
        ordering = ["-day", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "day", "sequence"],
                condition=models.Q(transferred_from__isnull=True),
                name="hall_ticket_unique_sequence",
            ),
        ]
        indexes = [
            # The call-next scan: today's waiting tickets of a hall, best first.
            models.Index(
                fields=["hall", "day", "state", "-priority_rank", "queued_at", "id"], name="hall_ticket_queue_idx"
            ),
            models.Index(fields=["hall", "day", "number"], name="hall_ticket_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_state_display()}）"


class AppointmentSlot(models.Model):
    """A bookable time band of one category on one day, with its capacity."""

    category = models.ForeignKey(ServiceCategory, verbose_name="业务类别", on_delete=models.CASCADE, related_name="slots")
    day = models.DateField("日期")
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    capacity = models.PositiveIntegerField("可约人数", validators=[MinValueValidator(1)])
    booked = models.PositiveIntegerField("已约人数", default=0)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["day", "start", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "day", "start"], name="hall_slot_unique_start"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="hall_slot_within_capacity"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="hall_slot_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} {self.day} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentState(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    CANCELLED = "cancelled", "已取消"
    MISSED = "missed", "爽约"


class Appointment(models.Model):
    """A booking (预约) of one person in one slot; checking in turns it into a priority ticket."""

    slot = models.ForeignKey(AppointmentSlot, verbose_name="时段", on_delete=models.PROTECT, related_name="appointments")
    day = models.DateField("日期")
    code = models.CharField("预约码", max_length=8, unique=True)
    identity_key = models.CharField("身份证号摘要", max_length=64, db_index=True)
    identity_masked = models.CharField("身份证号（脱敏）", max_length=18)
    mobile = models.CharField("手机号码", max_length=20)
    name = models.CharField("姓名", max_length=40, blank=True)
    state = models.CharField("状态", max_length=12, choices=AppointmentState.choices, default=AppointmentState.BOOKED)
    booked_at = models.DateTimeField("预约时间")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-day", "slot__start", "id"]
        constraints = [
            # One live booking per person per day (湖州 rule); the database settles concurrent bookings.
            models.UniqueConstraint(
                fields=["identity_key", "day"],
                condition=models.Q(state__in=["booked", "checked_in"]),
                name="hall_appointment_one_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.identity_masked}"

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class FoundItemState(models.TextChoices):
    STORED = "stored", "保管中"
    RETURNED = "returned", "已认领"
    DISPOSED = "disposed", "已处置"


class FoundItem(models.Model):
    """失物招领: an item found in the hall, kept until its owner proves who they are."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="found_items")
    description = models.CharField("物品描述", max_length=200, help_text="公开显示，请勿写入证件号码、姓名等个人信息")
    found_place = models.CharField("拾获地点", max_length=100)
    found_at = models.DateTimeField("拾获时间")
    photo = models.FileField("照片", upload_to="hall/found/", blank=True)
    storage_place = models.CharField("保管位置", max_length=100)
    finder_note = models.CharField("拾获人/交来人", max_length=100, blank=True, help_text="内部记录，不公开")
    published = models.BooleanField("公开", default=True)
    state = models.CharField("状态", max_length=10, choices=FoundItemState.choices, default=FoundItemState.STORED)
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField("领取人", max_length=40, blank=True)
    owner_identity_masked = models.CharField("领取人身份证号（脱敏）", max_length=18, blank=True)
    owner_mobile_masked = models.CharField("领取人手机号（脱敏）", max_length=20, blank=True)
    returned_at = models.DateTimeField("领取时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "失物"
        verbose_name_plural = "失物招领"
        ordering = ["-found_at", "id"]

    def __str__(self) -> str:
        return self.description

