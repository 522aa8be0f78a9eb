"""The hall's configuration (大厅配置): its rules (大厅规则), the priority types it ranks, its service categories."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    NORMAL = "normal", _("普通")
    APPOINTMENT = "appointment", _("预约")
    ELDERLY = "elderly", _("绿色通道（老年人）")
    DISABLED = "disabled", _("绿色通道（残疾人）")
    PREGNANT = "pregnant", _("绿色通道（孕妇）")
    MILITARY = "military", _("绿色通道（军人）")


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
