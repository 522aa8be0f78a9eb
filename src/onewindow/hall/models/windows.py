"""Windows (窗口): the counters of a hall, the categories each serves, who operates it and its current ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.hall.models.configuration import ServiceCategory


class WindowStatus(models.TextChoices):
    OPEN = "open", _("开放")
    PAUSED = "paused", _("暂停")
    CLOSED = "closed", _("关闭")


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
        "hall.Ticket", verbose_name="当前号票", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
