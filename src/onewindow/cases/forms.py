"""Forms of the case pages: intake at the window, online application, the actions on a case, tracking.

Forms only validate and shape input; every change goes through `cases.services`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases.documents import NoticeKind
from onewindow.core.errors import InvalidCreditCode, InvalidIdentityNumber
from onewindow.core.identity import normalize_credit_code, normalize_identity_number

PERSON, ORGANIZATION = "person", "organization"
MOBILE_RE = r"^1[3-9]\d{9}$"


def _normalize_id(kind: str, value: str) -> str:
    """The identity number or credit code upper-cased, else a ValidationError with the check's own message."""
    try:
        if kind == ORGANIZATION:
            return normalize_credit_code(value)
        return normalize_identity_number(value)
    except (InvalidIdentityNumber, InvalidCreditCode) as error:
        raise forms.ValidationError(error.message, code=error.code) from None


class ApplicantForm(forms.Form):
    """申请人: a natural person by resident ID, or a legal person by unified social credit code."""

    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=[(PERSON, _("自然人")), (ORGANIZATION, _("法人或其他组织"))], initial=PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("申请人名称"), max_length=200,
                                     help_text=_("自然人填写姓名，法人或其他组织填写单位全称"))
    applicant_id_number = forms.CharField(
        label=_("证件号码"), max_length=18, help_text=_("自然人为18位居民身份证号码，法人为18位统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    applicant_mobile = forms.RegexField(
        label=_("手机号码"), regex=MOBILE_RE, required=False, help_text=_("自然人必填，用于接收办理进度通知"),
        error_messages={"invalid": _("手机号码应为11位，以1开头")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    agent_name = forms.CharField(label=_("代办人姓名"), max_length=64, required=False)
    agent_id_number = forms.CharField(
        label=_("代办人身份证号码"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agent_mobile = forms.RegexField(
        label=_("代办人手机号码"), regex=MOBILE_RE, required=False,
        error_messages={"invalid": _("手机号码应为11位，以1开头")},
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind and data.get("applicant_id_number"):
            try:
                data["applicant_id_number"] = _normalize_id(kind, data["applicant_id_number"])
            except forms.ValidationError as error:
                self.add_error("applicant_id_number", error)
        if kind == PERSON and not data.get("applicant_mobile") and "applicant_mobile" not in self.errors:
            self.add_error("applicant_mobile", _("自然人申请须填写手机号码"))
        if kind == ORGANIZATION and not data.get("legal_representative"):
            self.add_error("legal_representative", _("法人或其他组织须填写法定代表人"))
        if data.get("agent_id_number"):
            try:
                data["agent_id_number"] = _normalize_id(PERSON, data["agent_id_number"])
            except forms.ValidationError as error:
                self.add_error("agent_id_number", error)
        if data.get("agent_id_number") and not data.get("agent_name"):
            self.add_error("agent_name", _("填写了代办人身份证号码，请同时填写代办人姓名"))
        return data

    def applicant_fields(self) -> dict:
        keys = ["applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile",
                "legal_representative", "agent_name", "agent_id_number", "agent_mobile"]
        return {k: self.cleaned_data.get(k) or "" for k in keys}


DELIVERY_CHOICES = [("pickup", _("窗口领取")), ("post", _("免费邮寄")), ("electronic", _("电子送达"))]


def add_delivery_fields(form: forms.Form, version) -> None:
    """送达方式 offered by the item version, and the postal address for free post (免费邮寄)."""
    offered = {"pickup": version.delivery_pickup, "post": version.delivery_post,
               "electronic": version.delivery_electronic}
    choices = [(value, label) for value, label in DELIVERY_CHOICES if offered[value]] or DELIVERY_CHOICES[:1]
    form.fields["delivery_method"] = forms.ChoiceField(label=_("结果送达方式"), choices=choices, initial=choices[0][0],
                                                       widget=forms.RadioSelect, required=False)
    form.fields["postal_address"] = forms.CharField(label=_("邮寄地址"), required=False, max_length=300,
                                                    help_text=_("选择免费邮寄时必填"))


def check_delivery(form: forms.Form, data: dict) -> None:
    if "delivery_method" in form.fields and not data.get("delivery_method"):
        data["delivery_method"] = form.fields["delivery_method"].choices[0][0]
    if data.get("delivery_method") == "post" and not (data.get("postal_address") or "").strip():
        form.add_error("postal_address", _("选择免费邮寄，请填写邮寄地址"))


class MaterialStatus:
    RECEIVED = "received"
    SHARED = "shared"
    MISSING = "missing"
    FAULTY = "faulty"
    CHOICES = [
        (RECEIVED, _("已收取（上传扫描件）")),
        (SHARED, _("数据共享获取")),
        (MISSING, _("缺少")),
        (FAULTY, _("不符合要求")),
    ]
    ABSENT = {MISSING, FAULTY}


class Decision:
    ACCEPT = "accept"
    CORRECT = "request_correction"
    REFUSE = "refuse"
    CHOICES = [(ACCEPT, _("受理")), (CORRECT, _("一次性告知补正")), (REFUSE, _("不予受理"))]


REQUIRED, TOLERATED, OPTIONAL = "required", "tolerated", "optional"


class IntakeForm(ApplicantForm):
    """收件: the applicant, the checklist of the item version's materials, and the decision at the window."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)
    decision = forms.ChoiceField(label=_("处理结果"), choices=Decision.CHOICES, widget=forms.RadioSelect)
    tolerance_due_on = forms.DateField(
        label=_("容缺材料承诺补交日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("“容缺后补”材料缺少时仍可受理，须约定补交日期"),
    )
    reason = forms.CharField(label=_("不予受理理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("不予受理依据"), required=False, max_length=500)
    correction_note = forms.CharField(label=_("补正说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, materials=(), version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        if version is not None:
            add_delivery_fields(self, version)
        for material in self.materials:
            choices = [c for c in MaterialStatus.CHOICES if material.fetchable or c[0] != MaterialStatus.SHARED]
            self.fields[f"m{material.pk}_status"] = forms.ChoiceField(
                label=material.name, choices=choices, widget=forms.RadioSelect,
                initial=MaterialStatus.SHARED if material.fetchable else None,
                error_messages={"required": _("请核对这份材料：已收取、缺少或不符合要求")},
            )
            self.fields[f"m{material.pk}_file"] = forms.FileField(
                label=_("扫描件"), required=False, help_text=_("PDF、JPEG、PNG 或 OFD"),
            )
            self.fields[f"m{material.pk}_problem"] = forms.CharField(
                label=_("问题及补正要求"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"placeholder": _("例如：复印件未加盖公章")}),
            )

    def checklist(self) -> list[dict]:
        """Rows for the template: the material with its status, scan and problem fields."""
        return [
            {"material": m, "status": self[f"m{m.pk}_status"], "file": self[f"m{m.pk}_file"],
             "problem": self[f"m{m.pk}_problem"]}
            for m in self.materials
        ]

    def material_statuses(self) -> list[tuple]:
        """(material, status, problem, uploaded file or None) for every material, after `is_valid()`."""
        return [
            (m, self.cleaned_data.get(f"m{m.pk}_status"), (self.cleaned_data.get(f"m{m.pk}_problem") or "").strip(),
             self.cleaned_data.get(f"m{m.pk}_file"))
            for m in self.materials
        ]

    def clean(self):
        data = super().clean()
        check_delivery(self, data)
        decision = data.get("decision")
        absent = []
        for material, status, problem, upload in self.material_statuses():
            if status == MaterialStatus.RECEIVED and upload is None:
                self.add_error(f"m{material.pk}_file", _("已收取的材料请上传扫描件"))
            if status == MaterialStatus.FAULTY and not problem:
                self.add_error(f"m{material.pk}_problem", _("请写明这份材料存在的问题"))
            if status in MaterialStatus.ABSENT:
                absent.append(material)
        if decision == Decision.ACCEPT:
            blocking = [m.name for m in absent if m.requirement == REQUIRED]
            if blocking:
                self.add_error("decision", _("必要材料不齐，不能受理，请一次性告知补正：%(names)s")
                               % {"names": "、".join(blocking)})
            if any(m.requirement == TOLERATED for m in absent) and not data.get("tolerance_due_on"):
                self.add_error("tolerance_due_on", _("有容缺材料，请填写承诺补交日期"))
        if decision == Decision.CORRECT and not [m for m in absent if m.requirement != OPTIONAL]:
            self.add_error("decision", _("没有标记为缺少或不符合要求的材料，无需补正"))
        if decision == Decision.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予受理须说明理由"))
        return data


class OnlineApplicationForm(ApplicantForm):
    """网上申报: the applicant and one upload per material; government-issued ones are fetched by data sharing."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args, materials=(), version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        if version is not None:
            add_delivery_fields(self, version)
        for material in self.materials:
            if material.fetchable:
                continue
            self.fields[f"file{material.pk}"] = forms.FileField(
                label=material.name, required=material.requirement == REQUIRED,
                help_text=material.notes or _("PDF、JPEG、PNG 或 OFD"),
                error_messages={"required": _("请上传这份必要材料")},
            )

    def clean(self):
        data = super().clean()
        check_delivery(self, data)
        return data

    def uploads(self) -> list[tuple]:
        """(material, uploaded file) for each material given, after `is_valid()`."""
        return [
            (m, self.cleaned_data[f"file{m.pk}"]) for m in self.materials
            if not m.fetchable and self.cleaned_data.get(f"file{m.pk}")
        ]

    def upload_rows(self) -> list[dict]:
        return [{"material": m, "field": None if m.fetchable else self[f"file{m.pk}"]} for m in self.materials]


class TrackForm(forms.Form):
    """公众查询: case number and query code, both needed."""

    number = forms.CharField(label=_("办件编号"), max_length=40)
    code = forms.CharField(label=_("查询码"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


# -- actions on a case (each posts to one service) -------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the forms on the case page: the version the clerk saw, so a stale page cannot act (409)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", case.version)
        super().__init__(*args, **kwargs)
        self.case = case


def _text(label, *, required=True, rows=2, max_length=2000, initial=None):
    return forms.CharField(label=label, required=required, max_length=max_length, initial=initial,
                           widget=forms.Textarea(attrs={"rows": rows}))


class PlainActionForm(ActionForm):
    """Submit, resume: nothing to fill in."""


class AcceptForm(ActionForm):
    tolerated = forms.MultipleChoiceField(label=_("容缺受理的材料"), required=False, widget=forms.CheckboxSelectMultiple)
    tolerance_due_on = forms.DateField(label=_("承诺补交日期"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        tolerable = [m for m in missing if m.requirement == TOLERATED]
        self.fields["tolerated"].choices = [(str(m.pk), m.name) for m in tolerable]
        self.fields["tolerated"].initial = [str(m.pk) for m in tolerable]
        if not tolerable:
            del self.fields["tolerated"]
            del self.fields["tolerance_due_on"]


class CorrectionForm(ActionForm):
    """一次性告知: one problem line per missing material (all listed), plus one free line and a note."""

    extra_name = forms.CharField(label=_("其他需补正的材料"), required=False, max_length=200)
    extra_problem = forms.CharField(label=_("存在的问题"), required=False, max_length=300)
    note = _text(_("补正说明"), required=False)

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = list(missing)
        for material in self.missing:
            self.fields[f"p{material.pk}"] = forms.CharField(
                label=material.name, max_length=300, initial=_("未提交，请补交"),
                error_messages={"required": _("请写明这份材料需要补正的内容")},
            )
        self.order_fields([*(f"p{m.pk}" for m in self.missing), "extra_name", "extra_problem", "note"])

    def clean(self):
        data = super().clean()
        if bool(data.get("extra_name")) != bool(data.get("extra_problem")):
            self.add_error("extra_problem", _("其他材料请同时填写名称和存在的问题"))
        if not self.missing and not data.get("extra_name"):
            self.add_error("extra_name", _("没有缺少的材料；如材料不符合要求，请写明材料名称和问题"))
        return data

    def items(self) -> list[tuple]:
        """(material_id, name, problem) lines, after `is_valid()`."""
        lines = [(m.pk, m.name, self.cleaned_data[f"p{m.pk}"]) for m in self.missing]
        if self.cleaned_data.get("extra_name"):
            lines.append((None, self.cleaned_data["extra_name"], self.cleaned_data["extra_problem"]))
        return lines


class ReasonForm(ActionForm):
    """Refuse, withdraw: a reason (and, for a refusal, its basis)."""

    reason = _text(_("理由"))
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=500)


class WithdrawForm(ActionForm):
    reason = _text(_("撤回原因"), required=False)


class ReasonAndBasisForm(ActionForm):
    """Deny, terminate: a reason and the legal basis, both required."""

    reason = _text(_("理由"))
    legal_basis = forms.CharField(label=_("法律依据"), max_length=500)


class ApproveForm(ActionForm):
    reason = _text(_("审查意见"), required=False)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=500,
                                  help_text=_("写入准予行政许可决定书"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].initial = self.case.item_version.legal_basis


class AssignForm(ActionForm):
    reviewer = forms.ModelChoiceField(label=_("承办人"), queryset=None, empty_label=None)

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class SuspendForm(ActionForm):
    kind = forms.ChoiceField(label=_("特别程序"), choices=())
    reason = _text(_("事由"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1)
    reason = _text(_("延期理由"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = self.case.item_version.max_extension_days
        self.fields["days"].max_value = maximum
        self.fields["days"].widget.attrs["max"] = maximum
        self.fields["days"].help_text = _("最多 %(n)d 个工作日，须经部门负责人批准，只能延期一次") % {"n": maximum}


class IssueForm(ActionForm):
    licence_number = forms.CharField(label=_("证照编号"), required=False, max_length=64)
    document = forms.FileField(label=_("结果文书（可选）"), required=False)


class DeliverForm(ActionForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=())
    pickup_code = forms.CharField(label=_("取件码"), required=False, max_length=8,
                                  help_text=_("窗口领取时核对申请人出示的取件码"))
    tracking_number = forms.CharField(label=_("快递单号"), required=False, max_length=40)
    postal_address = forms.CharField(label=_("邮寄地址"), required=False, max_length=300)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods
        self.fields["method"].initial = self.case.delivery_method
        self.fields["postal_address"].initial = self.case.postal_address


class ResubmitForm(ActionForm):
    """补正后重新提交 (citizen): one upload per material the correction notice asks for."""

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = [m for m in materials if not m.fetchable]
        for material in self.materials:
            self.fields[f"file{material.pk}"] = forms.FileField(
                label=material.name, required=material.requirement == REQUIRED,
                help_text=_("PDF、JPEG、PNG 或 OFD"), error_messages={"required": _("请上传这份补正材料")},
            )

    def uploads(self) -> list[tuple]:
        return [(m, self.cleaned_data[f"file{m.pk}"]) for m in self.materials if self.cleaned_data.get(f"file{m.pk}")]


class MaterialForm(ActionForm):
    """Provide one material to a running case: upload a scan, or fetch it by data sharing."""

    material = forms.TypedChoiceField(label=_("材料"), coerce=int, choices=())
    file = forms.FileField(label=_("文件"), required=False, help_text=_("PDF、JPEG、PNG 或 OFD"))
    shared = forms.BooleanField(label=_("通过数据共享获取（政府部门核发的材料）"), required=False)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {m.pk: m for m in materials}
        self.fields["material"].choices = [(m.pk, m.name) for m in materials]

    def clean(self):
        data = super().clean()
        material = self.materials.get(data.get("material"))
        if data.get("shared"):
            if material is not None and not material.fetchable:
                self.add_error("shared", _("这份材料由申请人自备，不能通过数据共享获取"))
        elif not data.get("file"):
            self.add_error("file", _("请选择要上传的文件"))
        return data


NOTICE_KINDS = [k.value for k in NoticeKind]
