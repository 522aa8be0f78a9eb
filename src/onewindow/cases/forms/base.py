"""What the case forms share: showing a service's refusal on the field it names, the applicant (申请人) and the
agent (代办人), the delivery of the result (送达方式), and uploaded files as the services take them."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from onewindow.cases import limits, selectors, services
from onewindow.cases.models import StagedUpload
from onewindow.cases.uploads import InvalidUpload
from onewindow.core.errors import DomainError, InvalidCreditCode, InvalidIdentityNumber
from onewindow.core.identity import is_valid_credit_code, normalize_credit_code, normalize_identity_number
from onewindow.core.identity_fields import MobileField, NumberField
from onewindow.core.language import ChineseData, DataCheckboxes
from onewindow.core.models import Role, User
from onewindow.forms.spec import FieldSpec

PERSON, ORGANIZATION = "person", "organization"
SCAN_HELP = _("PDF、JPEG、PNG 或 OFD")
# The fields a service's error names (`InvalidInput.fields`: the API request's names) → the form field that shows it.
FIELD_MAP = {
    "applicant.name": "applicant_name", "applicant.mobile": "applicant_mobile",
    "applicant.id_number": "applicant_id_number", "applicant.legal_representative": "legal_representative",
    "applicant.kind": "applicant_kind", "agent.name": "agent_name", "agent.mobile": "agent_mobile",
    "agent.id_number": "agent_id_number", "material_id": "material", "reviewer_id": "reviewer",
}
MATERIAL_KEY = re.compile(r"^materials\.(\d+)(?:\.(\w+))?$")


STAGED, REMOVE = "__staged", "__remove"  # suffixes of a file field's kept-file token and its "remove" box


class StagedFileInput(forms.FileInput):
    """A file input that shows the file kept from a refused submit (暂存上传) as attached — its name and size, a
    hidden token that brings it back, a box to remove it — and still takes a new file to replace it."""

    template_name = "cases/widgets/staged_file.html"
    staged: StagedUpload | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["staged"] = self.staged
        return context

    def value_from_datadict(self, data, files, name):
        upload = files.get(name)
        if upload:
            return upload
        return False if data.get(f"{name}{REMOVE}") else None


class StagedFile:
    """A kept file standing for the upload the person does not choose again: what `scan_of` reads."""

    def __init__(self, row: StagedUpload):
        self.row = row
        self.name = row.original_name
        self.size = row.size

    def read(self) -> bytes:
        with default_storage.open(self.row.file.name, "rb") as handle:
            return handle.read()


class ServiceForm(forms.Form):
    """A form whose input a service judges last: its refusals and problems are shown on the fields they name.

    Files chosen on a form whose submit is refused are kept (`keep_chosen_files`) and come back attached with the
    form (`attach_kept_files`), until a successful submit consumes them (`consume_kept_files`): `views.base.post`
    does all three for the forms that ask it to."""

    def file_fields(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]

    def kept_tokens(self) -> list[str]:
        """The kept files' tokens this bound form sent back."""
        return [self.data.get(f"{name}{STAGED}") or "" for name in self.file_fields()]

    def attach_kept_files(self, *, by) -> None:
        """Before validation: each file field with a kept file (by its token, `by`'s own, not expired) and no new
        file takes the kept one; one the person removed is dropped."""
        kept = selectors.staged_uploads_for(by, self.kept_tokens())
        removed = []
        for name in self.file_fields():
            field = self.fields[name]
            field.widget = StagedFileInput(attrs=field.widget.attrs)
            field.widget.is_required = field.required
            row = kept.get(self.data.get(f"{name}{STAGED}") or "")
            if row is None:
                continue
            if self.data.get(f"{name}{REMOVE}") and not self.files.get(name):
                removed.append(row.token)
                continue
            field.widget.staged = row
            if not self.files.get(name):
                self.initial[name] = StagedFile(row)
        if removed:
            services.discard_staged(by=by, tokens=removed)

    def keep_chosen_files(self, *, by) -> None:
        """After a refused submit: keep each newly chosen file (checked as a material is; a bad one is refused on
        its field) for the form shown again, in place of the file it replaces."""
        replaced = []
        for name in self.file_fields():
            upload = self.files.get(name)
            if not upload:
                continue
            upload.seek(0)
            try:
                row = services.stage_upload(by=by, content=upload.read(), filename=upload.name or "")
            except InvalidUpload as error:
                if not self.has_error(name):
                    self.add_error(name, gettext(error.message))
                continue
            widget = self.fields[name].widget
            if isinstance(widget, StagedFileInput):
                if widget.staged is not None:
                    replaced.append(widget.staged.token)
                widget.staged = row
        if replaced:
            services.discard_staged(by=by, tokens=replaced)

    def consume_kept_files(self, *, by) -> None:
        """After a successful submit: the kept files it sent back have gone to the case; drop them."""
        tokens = [t for t in self.kept_tokens() if t]
        if tokens:
            services.discard_staged(by=by, tokens=tokens)

    def field_for(self, key: str) -> str | None:
        """The form field that shows an error about the service's field `key`, if this form has a visible one (an
        error about a hidden field — the page's version, its idempotency key — is shown at the top)."""
        name = FIELD_MAP.get(key, key)
        return name if name in self.fields and not self.fields[name].widget.is_hidden else None

    def add_service_error(self, error: DomainError) -> None:
        """Show a service's error on the first field it names that this form has, else at the top of the form."""
        name = next((self.field_for(key) for key in error.fields if self.field_for(key)), None)
        self.add_error(name, gettext(error.message))

    def add_problem(self, problem: services.Problem) -> None:
        """Show one problem of a use-case's input (`services.Problem`) on its field, in the reader's language."""
        text = gettext(problem.text)
        self.add_error(self.field_for(problem.field), text % problem.values if problem.values else text)


def scan_of(upload: UploadedFile) -> services.Scan:
    """An uploaded file as the services take it (its bytes and its name)."""
    return services.Scan(content=upload.read(), filename=upload.name or "")


def _normalize_id(kind: str, value: str) -> str:
    """The identity number or credit code upper-cased, else a ValidationError with the check's own message."""
    try:
        if kind == ORGANIZATION:
            return normalize_credit_code(value)
        return normalize_identity_number(value)
    except (InvalidIdentityNumber, InvalidCreditCode) as error:
        raise forms.ValidationError(error.message, code=error.code) from None


def applicant_initial(user: User) -> dict[str, str]:
    """The applicant as the signed-in account holds it (实名): a person's account applies as a natural person, a
    legal person's account (its verified number a credit code) as an organisation; staff start from a blank form."""
    if user.role != Role.CITIZEN:
        return {"applicant_kind": PERSON}
    number = user.identity_number or ""
    return {"applicant_kind": ORGANIZATION if number and is_valid_credit_code(number) else PERSON,
            "applicant_name": user.display_name, "applicant_id_number": number, "applicant_mobile": user.mobile}


class ApplicantForm(ServiceForm):
    """申请人: a natural person by resident ID, or a legal person by unified social credit code; the agent; and
    how the result is delivered, among the ways the item version offers."""

    idempotency_key = forms.CharField(label=_("幂等键"), widget=forms.HiddenInput, max_length=limits.IDEMPOTENCY_KEY,
                                      required=False)
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=[(PERSON, _("自然人")), (ORGANIZATION, _("法人或其他组织"))], initial=PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("申请人名称"), max_length=limits.APPLICANT_NAME,
                                     help_text=_("自然人填写姓名，法人或其他组织填写单位全称"))
    applicant_id_number = NumberField(
        label=_("证件号码"), max_length=18, help_text=_("自然人为18位居民身份证号码，法人为18位统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    applicant_mobile = MobileField(
        label=_("手机号码"), required=False, help_text=_("自然人必填，用于接收办理进度通知"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=limits.LEGAL_REPRESENTATIVE,
                                           required=False)
    agent_name = forms.CharField(label=_("代办人姓名"), max_length=limits.AGENT_NAME, required=False)
    agent_id_number = NumberField(
        label=_("代办人身份证号码"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agent_mobile = MobileField(
        label=_("代办人手机号码"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args: Any, materials=(), version=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        if version is not None:
            _add_delivery_fields(self, version)

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
        if "delivery_method" in self.fields and not data.get("delivery_method"):
            data["delivery_method"] = self.fields["delivery_method"].choices[0][0]
        if data.get("delivery_method") == "post" and not (data.get("postal_address") or "").strip():
            self.add_error("postal_address", _("选择免费邮寄，请填写邮寄地址"))
        return data

    def application(self) -> dict[str, Any]:
        """The applicant, the agent, the delivery and the idempotency key, as the intake services take them."""
        d = self.cleaned_data
        agent = None
        if d.get("agent_name"):
            agent = services.Agent(name=d["agent_name"], id_number=d.get("agent_id_number") or "",
                                   mobile=d.get("agent_mobile") or "")
        return {
            "applicant": services.Applicant(
                kind=d["applicant_kind"], name=d["applicant_name"], id_number=d["applicant_id_number"],
                mobile=d.get("applicant_mobile") or "", legal_representative=d.get("legal_representative") or "",
            ),
            "agent": agent,
            "delivery": services.Delivery(method=d.get("delivery_method") or "pickup",
                                          postal_address=d.get("postal_address") or ""),
            "idempotency_key": d.get("idempotency_key") or "",
        }


DELIVERY_CHOICES = [("pickup", _("窗口领取")), ("post", _("免费邮寄")), ("electronic", _("电子送达"))]


def _add_delivery_fields(form: forms.Form, version) -> None:
    """送达方式 offered by the item version, and the postal address for free post (免费邮寄)."""
    offered = {"pickup": version.delivery_pickup, "post": version.delivery_post,
               "electronic": version.delivery_electronic}
    choices = [(value, label) for value, label in DELIVERY_CHOICES if offered[value]] or DELIVERY_CHOICES[:1]
    form.fields["delivery_method"] = forms.ChoiceField(label=_("结果送达方式"), choices=choices, initial=choices[0][0],
                                                       widget=forms.RadioSelect, required=False)
    form.fields["postal_address"] = forms.CharField(label=_("邮寄地址"), required=False,
                                                    max_length=limits.POSTAL_ADDRESS,
                                                    help_text=_("选择免费邮寄时必填"))


def field_label(spec: FieldSpec) -> str:
    """A form field's label in the page's language; its Chinese, marked as Chinese data, when it has no English."""
    if get_language() == "en" and spec.label_en:
        return spec.label_en
    return ChineseData(spec.label_zh)


class FieldCorrectionsMixin:
    """一次性告知 naming fields of the application form (the case page's correction, the window's intake): a
    checkbox list `answer_fields` of the form's fields (posted as field keys) and one problem text box `fp_<key>`
    per field. A ticked field needs its problem, a problem needs its tick, an unknown key is refused — each error
    on its field, naming it. Declare `answer_fields = correction_fields_choice()` and call
    `add_field_corrections(specs)` once the form's fields are known."""

    fields: dict[str, forms.Field]
    correction_specs: list[FieldSpec]

    def add_field_corrections(self, specs: list[FieldSpec]) -> None:
        """The problem boxes of `specs` (the form's fields, in order); without any, the checkbox list goes."""
        self.correction_specs = list(specs)
        if not specs:
            self.fields.pop("answer_fields", None)
            return
        self.fields["answer_fields"].choices = [(f.key, field_label(f)) for f in specs]  # type: ignore[attr-defined]
        for spec in specs:
            self.fields[f"fp_{spec.key}"] = forms.CharField(
                label=_("“%(name)s”存在的问题") % {"name": field_label(spec)}, required=False,
                max_length=limits.CORRECTION_PROBLEM)

    def correction_field_names(self) -> list[str]:
        """The names of the checkbox list and its problem boxes, in order (for `order_fields` or a template)."""
        if not getattr(self, "correction_specs", None):
            return []
        return ["answer_fields", *(f"fp_{f.key}" for f in self.correction_specs)]

    def correction_bound_fields(self) -> list[forms.BoundField]:
        """The checkbox list and its problem boxes, bound, for a template."""
        return [self[name] for name in self.correction_field_names()]  # type: ignore[index]

    def clean_field_corrections(self, data: dict[str, Any]) -> None:
        """Each ticked field has its problem, each problem its tick (errors added on `fp_<key>`)."""
        for spec in getattr(self, "correction_specs", ()):
            named, problem = spec.key in (data.get("answer_fields") or ()), data.get(f"fp_{spec.key}")
            if named and not problem:
                self.add_error(f"fp_{spec.key}",  # type: ignore[attr-defined]
                               _("请写明“%(name)s”存在的问题") % {"name": field_label(spec)})
            elif problem and not named:
                self.add_error(f"fp_{spec.key}",  # type: ignore[attr-defined]
                               _("写了问题的字段“%(name)s”请同时勾选") % {"name": field_label(spec)})

    def field_corrections(self) -> list[tuple[str, str]]:
        """(field key, problem) of every ticked field, after `is_valid()`."""
        data = self.cleaned_data  # type: ignore[attr-defined]
        return [(key, data.get(f"fp_{key}") or "") for key in data.get("answer_fields") or ()]


def correction_fields_choice() -> forms.MultipleChoiceField:
    """The checkbox list of `FieldCorrectionsMixin` (its choices set by `add_field_corrections`)."""
    return forms.MultipleChoiceField(
        label=_("需补正的申请表字段"), required=False, widget=DataCheckboxes,
        help_text=_("勾选后在下方写明该字段存在的问题；申请人补正时只能修改勾选的字段"),
        error_messages={"invalid_choice": _("申请表中没有字段“%(value)s”")})
