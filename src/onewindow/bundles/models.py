"""一件事: the package case over a theme's items, its sub-cases, merged materials, combined correction notices and
joint review meetings (集中会审).

A sub-case is an ordinary `cases.Case` driven by the case engine's acts; `SubCase` only links it to its package
and theme item and says whether it is still waiting for prerequisites. (The hand-off of results to the
supervising departments, 一链监管, is the `supervision` app's, for every case.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from onewindow.bundles.lifecycle import PACKAGE_STATE_LABELS, PackageState
from onewindow.cases.models import ApplicantKind, Channel, DeliveryMethod

PackageStateChoices = [(s.value, PACKAGE_STATE_LABELS[s]) for s in PackageState]


class MaterialLink(models.Model):
    """Materials of a theme's items that are one and the same although named differently (显式关联).

    Materials with the same name are merged anyway; a link adds names that mean the same paper.
    """

    theme = models.ForeignKey("catalog.Theme", verbose_name="主题", on_delete=models.CASCADE,
                              related_name="material_links")
    label = models.CharField("合并后名称", max_length=200)
    names = models.JSONField("关联材料名称", default=list, help_text="各事项中指同一份材料的名称列表")

    class Meta:
        verbose_name = "材料关联"
        verbose_name_plural = "材料关联"
        ordering = ["theme", "id"]
        constraints = [models.UniqueConstraint(fields=["theme", "label"], name="materiallink_unique_label")]

    def __str__(self) -> str:
        return f"{self.label}：{'、'.join(self.names)}"


class Package(models.Model):
    """一件事办件: one application over a theme, accepted once, its sub-cases reviewed in parallel, delivered once."""

    number = models.CharField("一件事编号", max_length=24, unique=True)
    query_code = models.CharField("查询码", max_length=6)
    version = models.PositiveIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=24, choices=PackageStateChoices, default=PackageState.SUBMITTED)
    theme = models.ForeignKey("catalog.Theme", verbose_name="主题", on_delete=models.PROTECT, related_name="packages")
    channel = models.CharField("申报渠道", max_length=10, choices=Channel.choices)

    applicant_kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人名称", max_length=200)
    applicant_id_number = models.CharField("证件号码", max_length=18, db_index=True)
    applicant_mobile = models.CharField("联系电话", max_length=20, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="own_packages")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                   related_name="+")
    idempotency_key = models.CharField("幂等键", max_length=80, blank=True)
    idempotency_digest = models.CharField(
        "请求摘要", max_length=64, blank=True,
        help_text="带幂等键的首次申请（字段与文件的 SHA-256）的摘要：同一幂等键仅对相同申请返回首次结果",
    )
    created_at = models.DateTimeField("申请时间")
    submitted_on = models.DateField("提交日期")

    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人（一窗受理）", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    promised_days = models.PositiveIntegerField("承诺办结时限（工作日）", default=0)
    due_on = models.DateField("承诺办结日", null=True, blank=True, db_index=True)
    legal_due_on = models.DateField(
        "法定办结日", null=True, blank=True, db_index=True,
        help_text="统一办理、联合办理：受理之日起45个工作日，经本级人民政府负责人批准可延长15个工作日（行政许可法第四十二条）")
    extension_days = models.PositiveIntegerField("延长（工作日）", default=0)
    extension_reason = models.TextField("延长理由", blank=True)
    extension_approval = models.CharField("本级人民政府负责人批准文件", max_length=200, blank=True)
    extended_at = models.DateTimeField("延长时间", null=True, blank=True)
    statutory_alert_on = models.DateField(
        "超法定期限预警日", null=True, blank=True, help_text="电子监察：超过法定办结日时向督查人员和牵头部门发出预警（对应该日期，一次）")
    clock_due_on = models.DateField("当前计时截止日", null=True, blank=True, db_index=True)
    clock_warn_on = models.DateField("黄灯起始日", null=True, blank=True)
    finished_on = models.DateField("全部决定日期", null=True, blank=True, db_index=True)
    working_days = models.PositiveIntegerField("实际用时（工作日）", null=True, blank=True,
                                               help_text="受理至全部事项决定的工作日数")

    delivery_method = models.CharField("送达方式", max_length=12, choices=DeliveryMethod.choices,
                                       default=DeliveryMethod.PICKUP)
    postal_address = models.CharField("邮寄地址", max_length=300, blank=True)
    pickup_code = models.CharField("取件码", max_length=8, blank=True)
    tracking_number = models.CharField("快递单号", max_length=40, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    closed_reason = models.TextField("不予受理理由", blank=True)

    class Meta:
        verbose_name = "一件事办件"
        verbose_name_plural = "一件事办件"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                                    name="package_unique_idempotency_key"),
        ]
        indexes = [models.Index(fields=["state", "clock_due_on"], name="package_state_clock")]

    def __str__(self) -> str:
        return f"{self.number} {self.theme.name if self.theme_id else ''}"

    @property
    def state_label(self) -> str:
        return PACKAGE_STATE_LABELS.get(self.state, self.state)


class SubCase(models.Model):
    """One item of a package, handled as an ordinary case in its own department."""

    package = models.ForeignKey(Package, verbose_name="一件事", on_delete=models.CASCADE, related_name="sub_cases")
    theme_item = models.ForeignKey("catalog.ThemeItem", verbose_name="主题事项", on_delete=models.PROTECT,
                                   related_name="+")
    case = models.OneToOneField("cases.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="package_link")
    order = models.PositiveIntegerField("序号", default=0)
    requires = models.ManyToManyField("self", verbose_name="前置子办件", symmetrical=False, blank=True,
                                      related_name="required_by")
    started_at = models.DateTimeField("启动时间", null=True, blank=True,
                                      help_text="前置事项全部准予许可、本事项开始审查（受理、起算时限）的时间")

    class Meta:
        verbose_name = "子办件"
        verbose_name_plural = "子办件"
        ordering = ["package", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "theme_item"], name="subcase_unique_theme_item"),
        ]

    def __str__(self) -> str:
        return f"{self.package.number} · {self.case.number}"


class PackageMaterial(models.Model):
    """A material of the merged form, collected once and shared by every sub-case that asks for it."""

    package = models.ForeignKey(Package, verbose_name="一件事", on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    case_materials = models.ManyToManyField("cases.CaseMaterial", verbose_name="各子办件中的材料", related_name="+")
    added_at = models.DateTimeField("提交时间")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = "合并材料"
        verbose_name_plural = "合并材料"
        ordering = ["package", "id"]

    def __str__(self) -> str:
        return self.name


class PackageCorrection(models.Model):
    """The one correction notice (一次性告知) of a package, gathering what every sub-case still needs."""

    package = models.ForeignKey(Package, verbose_name="一件事", on_delete=models.CASCADE, related_name="corrections")
    items = models.JSONField("需补正材料", help_text="[{name, problem, cases: [办件编号]}]")
    note = models.TextField("说明", blank=True)
    requested_at = models.DateTimeField("告知时间")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="告知人", on_delete=models.PROTECT,
                                     related_name="+")
    resolved_at = models.DateTimeField("补齐时间", null=True, blank=True)

    class Meta:
        verbose_name = "一件事补正告知"
        verbose_name_plural = "一件事补正告知"
        ordering = ["package", "id"]

    def __str__(self) -> str:
        return f"{self.package.number} 补正 {len(self.items)} 项"


class JointReview(models.Model):
    """集中会审: a joint review meeting of the departments of a package, with participants and conclusions."""

    package = models.ForeignKey(Package, verbose_name="一件事", on_delete=models.CASCADE, related_name="joint_reviews")
    held_at = models.DateTimeField("会审时间")
    place = models.CharField("地点", max_length=200, blank=True)
    participants = models.JSONField("参会人员", help_text="[{department, name}]")
    conclusions = models.TextField("会审结论")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "集中会审"
        verbose_name_plural = "集中会审"
        ordering = ["package", "held_at", "id"]

    def __str__(self) -> str:
        return f"{self.package.number} 会审 {self.held_at:%Y-%m-%d}"
