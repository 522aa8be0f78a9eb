"""一链监管 (审管分离): every approval's issued result handed to the supervising department — the inbox entry, the
signed webhook endpoints of the departments' systems, each delivery and every attempt of it. (A denial is handed to
nobody: there is no licensee to supervise.)

The tables were born in `bundles` and moved here with their rows (migration `bundles.0003_supervision_moves_out`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionEvent(models.Model):
    """An approval's issued result handed to the item's supervising department (事中事后监管 inbox entry)."""

    department = models.ForeignKey("catalog.Department", verbose_name="监管部门", on_delete=models.PROTECT,
                                   related_name="supervision_events")
    case = models.ForeignKey("cases.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事件", max_length=32, default="result_issued")
    payload = models.JSONField("内容")
    created_at = models.DateTimeField("时间", db_index=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "监管事件"
        verbose_name_plural = "监管事件（事中事后监管）"
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "acknowledged_at"], name="supevent_dept_ack")]

    def __str__(self) -> str:
        return f"{self.department} {self.case.number}"


class WebhookEndpoint(models.Model):
    """Where a supervising department's system receives events; each endpoint signs with its own secret."""

    department = models.ForeignKey("catalog.Department", verbose_name="监管部门", on_delete=models.CASCADE,
                                   related_name="webhook_endpoints")
    url = models.URLField("接收地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=128, help_text="HMAC-SHA256 签名密钥，仅对接双方知晓")
    active = models.BooleanField("启用", default=True)
    max_attempts = models.PositiveSmallIntegerField("最多尝试次数", null=True, blank=True,
                                                    help_text="为空时取 SUPERVISION_WEBHOOK_MAX_ATTEMPTS")
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "推送地址"
        verbose_name_plural = "推送地址（Webhook）"
        ordering = ["department", "id"]

    def __str__(self) -> str:
        return f"{self.department} → {self.url}"


class WebhookDelivery(models.Model):
    """One event to one endpoint: retried with exponential backoff until acknowledged (2xx) or dead."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        DELIVERED = "delivered", _("已送达")
        DEAD = "dead", _("已放弃")

    endpoint = models.ForeignKey(WebhookEndpoint, verbose_name="推送地址", on_delete=models.CASCADE,
                                 related_name="deliveries")
    event = models.ForeignKey(SupervisionEvent, verbose_name="监管事件", on_delete=models.CASCADE,
                              related_name="deliveries")
    body = models.TextField("推送内容（JSON）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "推送任务"
        verbose_name_plural = "推送任务"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()} ({self.attempts})"


class DeliveryAttempt(models.Model):
    """Every try of a webhook delivery, with its HTTP status or error (推送日志)."""

    delivery = models.ForeignKey(WebhookDelivery, verbose_name="推送任务", on_delete=models.CASCADE,
                                 related_name="attempt_log")
    number = models.PositiveSmallIntegerField("第几次")
    at = models.DateTimeField("时间")
    status_code = models.PositiveSmallIntegerField("响应码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)
    ok = models.BooleanField("成功", default=False)
    replay = models.BooleanField("人工重放", default=False)

    class Meta:
        verbose_name = "推送尝试"
        verbose_name_plural = "推送尝试"
        ordering = ["delivery", "number", "id"]

    def __str__(self) -> str:
        return f"#{self.delivery_id}/{self.number} {self.status_code or self.error}"
