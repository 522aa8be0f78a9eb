"""Queue tickets (号票): one row per ticket and queue; a transfer closes a row and opens another with the same number.

Ticket numbers come from the category's daily sequence (core.DailySequence), never from max(number)+1. Which
act may move a ticket from which state is one table, `hall.lifecycle.TICKET_ACTIONS`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.hall.models.configuration import Priority, ServiceCategory
from onewindow.hall.models.windows import Window


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("过号")
    TRANSFERRED = "transferred", _("已转移")
    CANCELLED = "cancelled", _("已取消")


# A ticket at a window (a window with one cannot call the next): called, or being served.
ACTIVE_AT_WINDOW = (TicketState.CALLED, TicketState.SERVING)


class Ticket(models.Model):
    """One queue ticket (号票). A transfer closes this row and opens a new one with the same number and place."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="tickets")
    category = models.ForeignKey(ServiceCategory, verbose_name="业务类别", on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField("日期")
    sequence = models.PositiveIntegerField(
        "当日序号", null=True, help_text="取号时最后才取（每日流水号）：只在取号的事务里为空，提交后总有值")
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
        "hall.Appointment", verbose_name="预约", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
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
