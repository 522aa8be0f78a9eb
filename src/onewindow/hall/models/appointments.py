"""Appointments (预约): bookable time bands of a category (预约时段) and the bookings in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.core.identity import mask_mobile
from onewindow.hall.models.configuration import ServiceCategory


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
    PENDING = "pending", _("待确认")  # holds its place until `expires_at`; never counts as booked or missed
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")
    MISSED = "missed", _("爽约")
    EXPIRED = "expired", _("未确认已失效")


class Confirmation(models.TextChoices):
    """How the booking's holder confirmed it: none yet, a signed-in 实名 account, or the code sent to the mobile."""

    NONE = "", _("未确认")
    ACCOUNT = "account", _("实名账号")
    CODE = "code", _("短信验证码")


class Appointment(models.Model):
    """A booking (预约) of one person in one slot; checking in turns it into a priority ticket."""

    slot = models.ForeignKey(AppointmentSlot, verbose_name="时段", on_delete=models.PROTECT, related_name="appointments")
    day = models.DateField("日期")
    code = models.CharField("预约码", max_length=8, unique=True)
    identity_key = models.CharField("身份证号摘要", max_length=64, db_index=True)
    identity_masked = models.CharField("身份证号（脱敏）", max_length=18)
    holder_key = models.CharField(
        "预约人摘要", max_length=64, db_index=True, default="",
        help_text="身份证号与手机号一起的摘要：短信确认只证明手机号，每天一次和爽约限制按它计",
    )
    mobile = models.CharField("手机号码", max_length=20)
    name = models.CharField("姓名", max_length=40, blank=True)
    state = models.CharField("状态", max_length=12, choices=AppointmentState.choices, default=AppointmentState.BOOKED)
    booked_at = models.DateTimeField("预约时间")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_via = models.CharField("确认方式", max_length=8, choices=Confirmation.choices, blank=True,
                                     default=Confirmation.NONE)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    expires_at = models.DateTimeField("未确认失效时间", null=True, blank=True)
    code_digest = models.CharField("验证码摘要", max_length=64, blank=True)
    code_attempts = models.PositiveSmallIntegerField("验证码错误次数", default=0)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-day", "slot__start", "id"]
        constraints = [
            # One live confirmed booking per holder per day (湖州 rule); the database settles concurrent bookings.
            # Unconfirmed bookings are not in it: booking in someone else's number never blocks their own.
            models.UniqueConstraint(
                fields=["holder_key", "day"],
                condition=models.Q(state__in=["booked", "checked_in"]),
                name="hall_appointment_one_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.identity_masked}"

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class HallOpenDay(models.Model):
    """A rest day (法定节假日 or weekend, by the working-day calendar) on which a hall is declared open for
    appointments (例如婚姻登记处在“5·20”“七夕”等特定日期开放); without one, no slot is opened or booked on a rest day.

    A hall is a zone of a service point (服务场所), so the declaration opens that zone of that point only."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅/功能区", on_delete=models.CASCADE,
                             related_name="open_days")
    day = models.DateField("开放日期")
    reason = models.CharField("开放事由", max_length=200, help_text="例如：七夕节婚姻登记特别开放")

    class Meta:
        verbose_name = "休息日开放"
        verbose_name_plural = "休息日开放"
        ordering = ["-day", "hall"]
        constraints = [models.UniqueConstraint(fields=["hall", "day"], name="hall_open_day_once")]

    def __str__(self) -> str:
        return f"{self.hall} {self.day} {self.reason}"
