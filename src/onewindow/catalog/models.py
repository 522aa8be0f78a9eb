"""The published catalog (事项清单 / 实施清单): service points, departments, items and their versions, themes.

An item's elements live on its versions. Editing works on the one draft; publishing freezes it
(动态调整). A case keeps the version it was submitted under, so a published version never changes.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow.core.cache import InvalidatingQuerySet

# The namespace of `core.cache` that holds catalog rows kept in memory (an item and its version in force, the
# version's materials, departments, staff assignments): every write of these models marks it changed.
CACHE_NAMESPACE = "catalog"


class Level(models.TextChoices):
    """行使层级 as the district sees it (GB/T 39046 A.2 codes 4, 5, 6)."""

    DISTRICT = "district", _("区级")
    STREET = "street", _("街道级")
    COMMUNITY = "community", _("社区级")


class ServicePoint(models.Model):
    """A place that serves the public: the district center, a street center, a community station."""

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    hours = models.CharField("办公时间", max_length=200, blank=True, help_text="例如：工作日 9:00-12:00，13:30-17:00")
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "服务场所"
        verbose_name_plural = "服务场所"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = {Level.DISTRICT: None, Level.STREET: Level.DISTRICT, Level.COMMUNITY: Level.STREET}
        parent_level = self.parent.level if self.parent_id else None
        if self.level in expected and parent_level != expected[self.level]:
            raise ValidationError({"parent": "区中心无上级；街道中心的上级是区中心；社区站的上级是街道中心"})


class Hall(models.Model):
    """A hall or zone inside a service point (1F 婚姻登记区, 综合受理区, 24小时自助区…)."""

    service_point = models.ForeignKey(
        ServicePoint, verbose_name="服务场所", on_delete=models.CASCADE, related_name="halls"
    )
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    floor = models.CharField("楼层", max_length=20, blank=True)
    hours = models.CharField("开放时间", max_length=200, blank=True)
    self_service = models.BooleanField("自助服务区", default=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "大厅/功能区"
        verbose_name_plural = "大厅/功能区"
        ordering = ["service_point__sort_order", "sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.service_point.name} {self.name}"


class Department(models.Model):
    """A department, with the four 两集中、两到位 facts the center reports."""

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    code = models.CharField("部门编码", max_length=16, unique=True, help_text="办件编号的前缀，字母或数字")
    name = models.CharField("部门名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    has_approval_functions = models.BooleanField("有审批职能", default=True)
    functions_concentrated = models.BooleanField("审批职能向一个科室集中", default=False)
    unit_stationed = models.BooleanField("审批科室进驻中心", default=False)
    window_authorized = models.BooleanField("窗口授权到位（现场决定）", default=False)
    has_approval_seal = models.BooleanField("启用审批专用章", default=False)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class StaffAssignment(models.Model):
    """人员所属部门: the department a window clerk, reviewer or leader works for.

    A clerk without an assignment is a comprehensive window (综合窗口, 一窗受理) that accepts every centrally
    accepted item; supervisors and administrators work for the center as a whole. Set with
    `catalog.services.assign_department`, read with `catalog.selectors.department_id_of`.
    """

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="人员", primary_key=True,
                                on_delete=models.CASCADE, related_name="assignment")
    department = models.ForeignKey(Department, verbose_name="所属部门", on_delete=models.PROTECT,
                                   related_name="staff_assignments")

    class Meta:
        verbose_name = "人员所属部门"
        verbose_name_plural = "人员所属部门"

    def __str__(self) -> str:
        return f"{self.user} — {self.department}"


# The names of the seeded 事项类型 (migration 0004), for the message catalog: English pages translate a type's name
# when the catalog has it (a province's own type is shown as it is).
SEEDED_ITEM_TYPE_NAMES = (
    gettext_noop("行政许可"), gettext_noop("行政处罚"), gettext_noop("行政强制"), gettext_noop("行政征收"),
    gettext_noop("行政给付"), gettext_noop("行政检查"), gettext_noop("行政确认"), gettext_noop("行政奖励"),
    gettext_noop("行政裁决"), gettext_noop("其他行政权力"), gettext_noop("公共服务"),
)


class ItemType(models.Model):
    """事项类型, a lookup table (GB/T 39046 A.1 codes; provinces vary, so not an enum)."""

    code = models.CharField("代码", max_length=4, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)

    class Meta:
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """The stable identity of an item; its elements are on its versions.

    `name`, `department` and the name's pinyin index (`catalog.search.pinyin_keys`) mirror the published version
    for search and listing.
    """

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    implementation_code = models.CharField("实施编码", max_length=64, unique=True)
    basic_code = models.CharField("基本编码", max_length=32, db_index=True)
    name = models.CharField("事项名称", max_length=200, db_index=True)
    name_pinyin = models.CharField("名称拼音", max_length=800, blank=True)
    name_initials = models.CharField("名称拼音首字母", max_length=200, blank=True, db_index=True)
    name_initials_alt = models.TextField(
        "多音字首字母异读", blank=True, help_text="其他读音（多音字、词典中的词语）连同前后各6个字常用读音的首字母串，以空格分隔，供检索"
    )
    name_pinyin_alt = models.TextField(
        "多音字全拼异读", blank=True, help_text="其他读音（多音字、词典中的词语）连同前后各6个字常用读音的全拼串，以空格分隔，供检索"
    )
    department = models.ForeignKey(Department, verbose_name="实施部门", on_delete=models.PROTECT, related_name="items")
    published_version = models.ForeignKey(
        "ItemVersion", verbose_name="现行版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline_version = models.ForeignKey(
        "ItemVersion",
        verbose_name="三减基准版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="计算减材料、减环节、减时限的对照版本；为空时取第一个发布版本",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务事项"
        verbose_name_plural = "服务事项"
        ordering = ["department__sort_order", "implementation_code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.implementation_code}）"


class CaseKind(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class OnlineDepth(models.IntegerChoices):
    """网上办理深度 Ⅰ–Ⅳ; Ⅳ = 全程网办, zero visits."""

    I = 1, _("Ⅰ级 信息公开与咨询")  # noqa: E741
    II = 2, _("Ⅱ级 表格下载与在线预约")
    III = 3, _("Ⅲ级 在线预审与网上受理")
    IV = 4, _("Ⅳ级 全程网办")


class ItemVersion(models.Model):
    """One version of an item's elements. Drafts are edited; published versions never change."""

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    change_reason = models.TextField("调整原因", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    # -- the national elements (GB/T 39046 表4) ---------------------------------------------------
    name = models.CharField("事项名称", max_length=200)
    item_type = models.ForeignKey(ItemType, verbose_name="事项类型", on_delete=models.PROTECT)
    department = models.ForeignKey(Department, verbose_name="实施部门", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("行使层级", max_length=16, choices=Level.choices, default=Level.DISTRICT)
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    service_objects = models.CharField("服务对象", max_length=100, blank=True, help_text="例如：自然人、企业法人")
    statutory_days = models.PositiveIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveIntegerField("承诺办结时限（工作日）")
    time_limit_note = models.CharField("时限说明", max_length=300, blank=True)
    max_extension_days = models.PositiveIntegerField(
        "最长延期（工作日）", default=10, help_text="行政许可法第四十二条：经本机关负责人批准可延长十日"
    )
    case_kind = models.CharField("办件类型", max_length=10, choices=CaseKind.choices, default=CaseKind.PROMISED)
    visits = models.PositiveSmallIntegerField("到办事现场次数", default=1, choices=[(0, "0次"), (1, "1次"), (2, "2次")])
    mode_immediate = models.BooleanField("马上办", default=False)
    mode_online = models.BooleanField("网上办", default=False)
    mode_nearby = models.BooleanField("就近办", default=False)
    mode_one_visit = models.BooleanField("一次办", default=False)
    online_depth = models.PositiveSmallIntegerField("网上办理深度", choices=OnlineDepth.choices, default=OnlineDepth.II)
    fee_free = models.BooleanField("不收费", default=True)
    fee_amount = models.DecimalField("收费金额（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    fee_basis = models.TextField("收费依据", blank=True)
    handling_place = models.CharField("办理地点", max_length=300, blank=True)
    handling_hours = models.CharField("办理时间", max_length=200, blank=True)
    result_type = models.CharField("审批结果类型", max_length=30, blank=True, help_text="许可证、证书、批准文件、证明……")
    result_name = models.CharField("结果名称", max_length=200, blank=True)
    delivery_pickup = models.BooleanField("窗口领取", default=True)
    delivery_post = models.BooleanField("免费邮寄", default=True)
    delivery_electronic = models.BooleanField("电子送达", default=False)
    central_acceptance = models.BooleanField("进驻中心集中受理", default=True)
    online_platform = models.BooleanField("已上线网上办事平台", default=False)
    supervising_department = models.ForeignKey(
        Department, verbose_name="监管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consult_phone = models.CharField("咨询电话", max_length=40, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_unique_number"),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="draft"), name="itemversion_one_draft_per_item"
            ),
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="itemversion_promised_within_statutory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}（{self.get_status_display()}）"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @cached_property
    def material_list(self) -> list[Material]:
        """The version's materials (申请材料) in order, read once; from the prefetch when the reader made one."""
        return list(self.materials.all())

    @cached_property
    def step_list(self) -> list[Step]:
        """The version's steps (办理环节) in order, read once; from the prefetch when the reader made one."""
        return list(self.steps.all())

    @property
    def modes(self) -> list[str]:
        return [label for flag, label in self.mode_flags() if flag]

    def mode_flags(self) -> list[tuple[bool, str]]:
        return [
            (self.mode_immediate, "马上办"),
            (self.mode_online, "网上办"),
            (self.mode_nearby, "就近办"),
            (self.mode_one_visit, "一次办"),
        ]

    def clean(self) -> None:
        errors = {}
        if (
            self.promised_days is not None
            and self.statutory_days is not None
            and self.promised_days > self.statutory_days
        ):
            errors["promised_days"] = "承诺时限不能超过法定时限"
        if not self.fee_free and self.fee_amount is None:
            errors["fee_amount"] = "收费事项须填写收费金额"
        if self.case_kind == CaseKind.INSTANT and self.promised_days != 0:
            errors["promised_days"] = "即办件的承诺时限应为 0 个工作日（当场办结）"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.pk and ItemVersion.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise ValidationError("已发布的版本不可修改，请新建草稿")
        super().save(*args, **kwargs)


class _VersionPart(models.Model):
    """A row that belongs to a version and freezes with it."""

    cache_namespace = CACHE_NAMESPACE
    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if ItemVersion.objects.filter(pk=self.version_id, status=ItemVersion.Status.PUBLISHED).exists():
            raise ValidationError("已发布的版本不可修改，请新建草稿")
        super().save(*args, **kwargs)


class Material(_VersionPart):
    """申请材料 (要件)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("原件")
        COPY = "copy", _("复印件")
        ELECTRONIC = "electronic", _("电子件")
        ORIGINAL_AND_COPY = "original_copy", _("原件及复印件")

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("必要")
        TOLERATED = "tolerated", _("容缺后补")
        OPTIONAL = "optional", _("非必要")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("申请人自备")
        GOVERNMENT = "government", _("政府部门核发")

    version = models.ForeignKey(ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=16, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    requirement = models.CharField("必要性", max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED)
    source = models.CharField("来源渠道", max_length=12, choices=Source.choices, default=Source.APPLICANT)
    issuer = models.CharField("出具机构", max_length=100, blank=True, help_text="政府部门核发的材料可通过数据共享获取")
    notes = models.TextField("填报须知", blank=True)
    blank_form = models.FileField("空白表格", upload_to="catalog/forms/", blank=True)
    sample = models.FileField("示例样表", upload_to="catalog/samples/", blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def fetchable(self) -> bool:
        """Issued by a government body: fetched by data sharing instead of asked for."""
        return self.source == self.Source.GOVERNMENT


class Step(_VersionPart):
    """办理环节, in order, each with its role and its share of the promised time."""

    class Role(models.TextChoices):
        RECEIVE = "receive", _("收件")
        ACCEPT = "accept", _("受理")
        REVIEW = "review", _("审查")
        DECIDE = "decide", _("决定")
        CERTIFY = "certify", _("制证")
        DELIVER = "deliver", _("送达")

    version = models.ForeignKey(ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("环节名称", max_length=100)
    role = models.CharField("环节类型", max_length=10, choices=Role.choices)
    days = models.DecimalField("环节时限（工作日）", max_digits=5, decimal_places=1, default=0)
    description = models.TextField("审查标准/说明", blank=True)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """一件事: a package of items from several departments, led by one, with its own promised limit."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    name_initials = models.CharField("名称拼音首字母", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="led_themes"
    )
    promised_days = models.PositiveIntegerField("承诺办结时限（工作日）")
    published = models.BooleanField("已发布", default=True)
    items = models.ManyToManyField(ServiceItem, through="ThemeItem", verbose_name="事项", related_name="themes")

    class Meta:
        verbose_name = "一件事主题"
        verbose_name_plural = "一件事主题"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CurrentThemeItems(models.Manager["ThemeItem"]):
    """The entries that are part of their theme today: a retired entry is only seen through `all_entries` and
    from the packages that refer to it."""

    def get_queryset(self) -> models.QuerySet[ThemeItem]:
        return super().get_queryset().filter(retired_at__isnull=True)


class ThemeItem(models.Model):
    """An item inside a theme; `requires` are the items whose results it needs before its review starts.

    Like an item's versions, an entry that packages (一件事办件) were applied for is never deleted: taken out of
    the theme it is retired (`retired_at`), so those packages keep it while new ones no longer see it.
    """

    theme = models.ForeignKey(Theme, verbose_name="主题", on_delete=models.CASCADE, related_name="theme_items")
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="theme_entries")
    order = models.PositiveIntegerField("序号", default=0)
    requires = models.ManyToManyField(
        "self", verbose_name="前置事项", symmetrical=False, blank=True, related_name="required_by"
    )
    retired_at = models.DateTimeField(
        "移出主题时间",
        null=True,
        blank=True,
        help_text="已有一件事办件的事项移出主题时不删除，只标记移出：已申请的办件仍引用它，新的申请不再包含它",
    )

    objects = CurrentThemeItems()
    all_entries = models.Manager()

    class Meta:
        verbose_name = "主题事项"
        verbose_name_plural = "主题事项"
        ordering = ["theme", "order", "id"]
        base_manager_name = "all_entries"
        constraints = [models.UniqueConstraint(fields=["theme", "item"], name="themeitem_unique_item")]

    def __str__(self) -> str:
        return f"{self.theme.name} · {self.item.name}"
