"""The licence register (证照库): each period of a licence issued on an approval, its renewals and reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# 《行政许可法》第五十条: apply for renewal 30 days before the licence expires, unless a law, regulation or rule
# provides otherwise.
STATUTORY_RENEWAL_LEAD_DAYS = 30
REASON_MAX = 2000
LEGAL_BASIS_MAX = 1000


class LicenceTerm(models.Model):
    """The validity of the licence an item issues (证照有效期) and, where a law provides otherwise than art. 50,
    how long before expiry a renewal must be applied for. An item without a term issues licences without a fixed
    validity (长期有效) unless `LICENCES_DEFAULT_VALIDITY_YEARS` is set."""

    item = models.OneToOneField("catalog.ServiceItem", verbose_name="事项", on_delete=models.CASCADE,
                                related_name="licence_term")
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年）", null=True, blank=True, help_text="为空表示长期有效（无固定有效期）")
    renewal_lead_days = models.PositiveSmallIntegerField(
        "延续申请提前天数（日历日）", default=STATUTORY_RENEWAL_LEAD_DAYS,
        help_text="《行政许可法》第五十条：有效期届满30日前提出；法律、法规、规章另有规定的，依照其规定")
    lead_days_basis = models.CharField(
        "另有规定的依据", max_length=LEGAL_BASIS_MAX, blank=True,
        help_text="提前天数不是30日时必填：规定不同期限的法律、法规或规章条文")

    class Meta:
        verbose_name = "证照有效期"
        verbose_name_plural = "证照有效期（按事项）"

    def __str__(self) -> str:
        return f"{self.item}：{self.validity_years or '长期'}"

    def clean(self) -> None:
        if self.renewal_lead_days != STATUTORY_RENEWAL_LEAD_DAYS and not self.lead_days_basis.strip():
            raise ValidationError({"lead_days_basis": "提前天数不同于《行政许可法》第五十条的30日时，须写明依据"})


class LicenceState(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    RENEWED = "renewed", _("已延续")
    REVOKED = "revoked", _("已撤销")
    CANCELLED = "cancelled", _("已注销")


class Licence(models.Model):
    """One period of an issued licence, certificate or approval document (证照). A renewal is a new entry for the
    new period (`renewed_from` the one it continues, whose state becomes `renewed`)."""

    number = models.CharField("证照编号", max_length=64, db_index=True)
    name = models.CharField("证照名称", max_length=200)
    holder_kind = models.CharField("持证人类型", max_length=16)
    holder_name = models.CharField("持证人", max_length=200)
    holder_id_number = models.CharField("持证人证件号码", max_length=18, help_text="按身份证件显示规则脱敏显示")
    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="持证人账号", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="licences")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT,
                             related_name="licences")
    department = models.ForeignKey("catalog.Department", verbose_name="发证部门", on_delete=models.PROTECT,
                                   related_name="licences")
    case = models.ForeignKey("cases.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="licences")
    issued_on = models.DateField("发证日期")
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="为空表示长期有效", db_index=True)
    state = models.CharField("状态", max_length=12, choices=LicenceState.choices, default=LicenceState.VALID)
    deemed = models.BooleanField("视为准予延续", default=False,
                                 help_text="《行政许可法》第五十条：逾期未作决定，视为准予延续")
    renewed_from = models.ForeignKey("self", verbose_name="延续自", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="successors")
    state_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    state_reason = models.TextField("状态变更理由", blank=True)
    state_basis = models.TextField("法律依据", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "证照"
        verbose_name_plural = "证照"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "valid_until"], name="licence_state_until"),
            models.Index(fields=["department", "state"], name="licence_dept_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def state_label(self) -> str:
        return str(LicenceState(self.state).label)


class RenewalOutcome(models.TextChoices):
    PENDING = "pending", _("办理中")
    RENEWED = "renewed", _("准予延续")
    DEEMED = "deemed", _("视为准予延续")
    DENIED = "denied", _("不予延续")
    ENDED = "ended", _("未予办理（不予受理、撤回或终止）")


class Renewal(models.Model):
    """A renewal application (延续申请): the licence it would continue and the case that handles it."""

    licence = models.ForeignKey(Licence, verbose_name="证照", on_delete=models.PROTECT, related_name="renewals")
    case = models.OneToOneField("cases.Case", verbose_name="延续办件", on_delete=models.PROTECT,
                                related_name="licence_renewal")
    latest_on = models.DateField("最迟申请日期", help_text="有效期届满前的最后申请日（第五十条）")
    applied_on = models.DateField("申请日期", null=True, blank=True, help_text="办件提交之日")
    outcome = models.CharField("结果", max_length=10, choices=RenewalOutcome.choices, default=RenewalOutcome.PENDING)
    successor = models.OneToOneField(Licence, verbose_name="延续后的证照", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="renewal_source")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间")
    settled_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "延续申请"
        verbose_name_plural = "延续申请"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["licence"], condition=models.Q(outcome="pending"),
                                    name="renewal_one_pending_per_licence"),
        ]

    def __str__(self) -> str:
        return f"{self.licence.number} → {self.case.number}"

    @property
    def outcome_label(self) -> str:
        return str(RenewalOutcome(self.outcome).label)


class ExpiryReminder(models.Model):
    """A reminder before expiry sent to the holder (到期提醒), once per licence and number of days."""

    licence = models.ForeignKey(Licence, verbose_name="证照", on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField("提前天数")
    sent_on = models.DateField("发送日期")

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = "到期提醒"
        constraints = [models.UniqueConstraint(fields=["licence", "days_before"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.licence.number} −{self.days_before}"
