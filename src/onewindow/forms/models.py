"""电子申请表: the dictionary of shared data elements (共享数据元), an item version's form (申请表) with its fields and
cross-field rules, and saved drafts (暂存).

A form belongs to one catalog item version and freezes with it: once the version is published its form, fields
and rules never change (动态调整 — a change is a new item version with its own form).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from onewindow.catalog.models import CACHE_NAMESPACE, ItemVersion
from onewindow.core.cache import InvalidatingQuerySet
from onewindow.forms.spec import KIND_LABELS, RULE_LABELS, Kind, RuleKind

FROZEN = "已发布的事项版本，其申请表不可修改，请新建草稿"
KindChoices = [(k.value, KIND_LABELS[k]) for k in Kind]
RuleChoices = [(k.value, RULE_LABELS[k]) for k in RuleKind]


class DataElement(models.Model):
    """共享数据元: a fact that means the same on every form (申请人名称, 统一社会信用代码, 经营面积…), asked once in a
    package and prefilled from what the center already holds."""

    class Source(models.TextChoices):
        NONE = "", "无（申请人填写）"
        ACCOUNT = "account", "申请人账号（实名信息）"
        EARLIER_CASES = "earlier_cases", "申请人此前的办件"
        LICENCES = "licences", "证照库"

    code = models.CharField("数据元编码", max_length=48, unique=True,
                            help_text="小写字母、数字、下划线；映射到该数据元的字段以此为字段标识")
    name_zh = models.CharField("中文名称", max_length=100)
    name_en = models.CharField("英文名称", max_length=100, blank=True)
    standard = models.CharField("标准依据", max_length=200, blank=True,
                                help_text="国家或地方标准中的名称与编号，例如：GB/T 39046 申请人名称；没有时留空")
    kind = models.CharField("字段类型", max_length=16, choices=KindChoices, default=Kind.TEXT)
    source = models.CharField("预填来源", max_length=16, choices=Source.choices, blank=True, default="")
    source_key = models.CharField("来源中的项", max_length=64, blank=True,
                                  help_text="来源中取值的项，例如账号的 mobile；证照写“项:证照名称”，如 number:食品经营许可证（只取该名称的有效证照）")
    authoritative = models.BooleanField("权威来源（只读）", default=False,
                                        help_text="来自权威记录的值只读显示并标明来源；否则可修改")

    class Meta:
        verbose_name = "共享数据元"
        verbose_name_plural = "共享数据元"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh}（{self.code}）"


class FormVersion(models.Model):
    """The form (申请表) of one item version; frozen with it."""

    cache_namespace = CACHE_NAMESPACE  # kept with the catalog's rows in each process (`forms.selectors.form_of`)
    objects = InvalidatingQuerySet.as_manager()

    item_version = models.OneToOneField(ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE,
                                        related_name="form")
    title = models.CharField("表名", max_length=200, blank=True, help_text="为空时为“<事项名称>申请表”")
    replaces = models.ForeignKey(
        "catalog.Material", verbose_name="本表替代的申请材料", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text="填写了电子申请表即不再上传的纸质申请表（如“申请书”）：由申请表内容生成的 PDF 作为该材料归档")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请表"
        verbose_name_plural = "申请表"
        ordering = ["item_version__item__implementation_code", "-item_version__number"]

    def __str__(self) -> str:
        return f"{self.item_version.name} v{self.item_version.number} 申请表"

    @property
    def frozen(self) -> bool:
        return ItemVersion.objects.filter(pk=self.item_version_id, status=ItemVersion.Status.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        if self.pk and self.frozen:
            raise ValidationError(FROZEN)
        super().save(*args, **kwargs)


class _FormPart(models.Model):
    """A row of a form that freezes with its item version."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if ItemVersion.objects.filter(form__pk=self.form_id, status=ItemVersion.Status.PUBLISHED).exists():
            raise ValidationError(FROZEN)
        super().save(*args, **kwargs)


class FormField(_FormPart):
    """A field of a form; a table's columns are fields whose `table` is the table field."""

    form = models.ForeignKey(FormVersion, verbose_name="申请表", on_delete=models.CASCADE, related_name="fields")
    table = models.ForeignKey("self", verbose_name="所属表格", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="columns", help_text="表格的列：填写所属的表格字段")
    order = models.PositiveIntegerField("序号", default=0)
    key = models.CharField("字段标识", max_length=48, help_text="小写字母开头，字母、数字、下划线；映射数据元时取数据元编码")
    kind = models.CharField("字段类型", max_length=16, choices=KindChoices, default=Kind.TEXT)
    label_zh = models.CharField("名称", max_length=100)
    label_en = models.CharField("英文名称", max_length=100, blank=True)
    help_zh = models.CharField("填写说明", max_length=300, blank=True)
    help_en = models.CharField("英文填写说明", max_length=300, blank=True)
    required = models.BooleanField("必填", default=False)
    element = models.ForeignKey(DataElement, verbose_name="数据元", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="fields")
    unit = models.CharField("单位", max_length=20, blank=True, help_text="数字字段的单位，例如：平方米、个、人")
    choices = models.JSONField("代码表", default=list, blank=True,
                               help_text='单选、多选的选项：[{"value": "catering", "zh": "餐饮", "en": "Catering"}]')
    min_length = models.PositiveIntegerField("最少字数/行数/选项数", null=True, blank=True)
    max_length = models.PositiveIntegerField("最多字数/行数/选项数", null=True, blank=True)
    min_value = models.DecimalField("最小值", max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=14, decimal_places=2, null=True, blank=True)
    whole_number = models.BooleanField("只填整数", default=False, help_text="数字字段：人数、座位数、房间数等只能填整数")
    pattern = models.CharField("格式（正则表达式）", max_length=200, blank=True)
    shown_when = models.JSONField("显示条件", null=True, blank=True,
                                  help_text='{"field": "business_type", "equals": "catering"} 或 '
                                            '{"field": "business_type", "in": ["catering", "hotel"]}')
    material = models.ForeignKey("catalog.Material", verbose_name="对应材料", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+", help_text="文件字段对应的申请材料")

    class Meta:
        verbose_name = "申请表字段"
        verbose_name_plural = "申请表字段"
        ordering = ["form", "table_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], condition=models.Q(table__isnull=True),
                                    name="formfield_unique_key"),
            models.UniqueConstraint(fields=["table", "key"], name="formfield_unique_column_key"),
        ]

    def __str__(self) -> str:
        return f"{self.label_zh}（{self.key}）"


class FormRule(_FormPart):
    """A cross-field rule (跨字段校验规则) and the message shown when it fails."""

    form = models.ForeignKey(FormVersion, verbose_name="申请表", on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveIntegerField("序号", default=0)
    kind = models.CharField("规则", max_length=16, choices=RuleChoices)
    field_a = models.CharField("字段 a", max_length=48)
    field_b = models.CharField("字段 b", max_length=48)
    column = models.CharField("列（求和规则）", max_length=48, blank=True)
    value = models.JSONField("条件值（若 a 等于）", null=True, blank=True, help_text="为空时：a 已填写即要求 b")
    message_zh = models.CharField("提示", max_length=200)
    message_en = models.CharField("英文提示", max_length=200, blank=True)

    class Meta:
        verbose_name = "跨字段规则"
        verbose_name_plural = "跨字段规则"
        ordering = ["form", "order", "id"]

    def __str__(self) -> str:
        return self.message_zh


class Draft(models.Model):
    """暂存的申请表: what one applicant typed for an item or a package, to resume later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号", on_delete=models.CASCADE,
                             related_name="form_drafts")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey("catalog.Theme", verbose_name="一件事主题", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField("已填内容", default=dict)
    saved_at = models.DateTimeField("暂存时间")
    form_version = models.PositiveIntegerField("暂存时的申请表版本", default=0,
                                               help_text="事项：申请表所属事项版本号；一件事：各事项版本号之和；0 为未记录")

    class Meta:
        verbose_name = "申请表草稿"
        verbose_name_plural = "申请表草稿"
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], condition=models.Q(item__isnull=False),
                                    name="draft_one_per_item"),
            models.UniqueConstraint(fields=["user", "theme"], condition=models.Q(theme__isnull=False),
                                    name="draft_one_per_theme"),
            models.CheckConstraint(condition=models.Q(item__isnull=True) ^ models.Q(theme__isnull=True),
                                   name="draft_item_or_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.item or self.theme}"
