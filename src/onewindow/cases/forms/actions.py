"""The forms of the actions on a case page, one per kind of input; `cases.actions` says which action uses which.

Each form is built for one case and the person acting (its choices come from them), carries the version of the
case the page showed (a stale page cannot act: 409), and gives the service's keyword arguments (`arguments()`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases import limits, services
from onewindow.cases.acts.base import MATERIAL_STATES
from onewindow.cases.forms.base import (
    SCAN_HELP,
    FieldCorrectionsMixin,
    ServiceForm,
    correction_fields_choice,
    scan_of,
)
from onewindow.cases.models import Case, DeliveryMethod, SuspensionKind
from onewindow.cases.selectors import missing_materials, reviewers_for
from onewindow.catalog.models import Material
from onewindow.core.language import ChineseData, DataCheckboxes, DataSelect
from onewindow.core.models import Role, User
from onewindow.forms.selectors import spec_of


class ActionForm(ServiceForm):
    """Base of the forms on the case page: the version the person saw, so a stale page cannot act (409)."""

    expected_version = forms.IntegerField(
        label=_("页面版本"), widget=forms.HiddenInput,
        error_messages={"required": _("页面已过期，请刷新后重试"), "invalid": _("页面已过期，请刷新后重试")})

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", case.version)
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments besides the case, `by` and `expected_version`, after `is_valid()`."""
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


def _text(label, *, max_length: int, required=True, rows=2, initial=None):
    """A free text of an action, limited as its column is (`cases.limits`)."""
    return forms.CharField(label=label, required=required, max_length=max_length, initial=initial,
                           widget=forms.Textarea(attrs={"rows": rows}))


class PlainActionForm(ActionForm):
    """Submit, resume: nothing to fill in."""


class AcceptForm(ActionForm):
    """受理, and 容缺受理 of the tolerated materials still missing, by a promised date."""

    tolerated = forms.TypedMultipleChoiceField(label=_("容缺受理的材料"), coerce=int, required=False,
                                               widget=DataCheckboxes)
    tolerance_due_on = forms.DateField(label=_("承诺补交日期"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}),
                                       help_text=_("晚于受理日，不晚于本办件的法定办结日"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        tolerable = [m for m in missing_materials(self.case) if m.requirement == Material.Requirement.TOLERATED]
        self.fields["tolerated"].choices = [(m.pk, ChineseData(m.name)) for m in tolerable]
        self.fields["tolerated"].initial = [m.pk for m in tolerable]
        if not tolerable:
            del self.fields["tolerated"]
            del self.fields["tolerance_due_on"]


class CorrectionForm(FieldCorrectionsMixin, ActionForm):
    """一次性告知: one problem line per missing material (all listed), the fields of the case's application form
    to correct (`answer_fields`, each with its own problem `fp_<key>`), plus one free line and a note."""

    answer_fields = correction_fields_choice()

    extra_name = forms.CharField(label=_("其他需补正的材料"), required=False, max_length=limits.MATERIAL_NAME)
    extra_problem = forms.CharField(label=_("存在的问题"), required=False, max_length=limits.CORRECTION_PROBLEM)
    note = _text(_("补正说明"), required=False, max_length=limits.CORRECTION_NOTE)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.missing = missing_materials(self.case)
        for material in self.missing:
            self.fields[f"p{material.pk}"] = forms.CharField(
                label=ChineseData(material.name), max_length=limits.CORRECTION_PROBLEM, initial=_("未提交，请补交"),
                error_messages={"required": _("请写明这份材料需要补正的内容")},
            )
        self.add_field_corrections(list(spec_of(self.case.form_version).fields) if self.case.form_version else [])
        self.order_fields([*(f"p{m.pk}" for m in self.missing), *self.correction_field_names(),
                           "extra_name", "extra_problem", "note"])

    def clean(self):
        data = super().clean()
        if bool(data.get("extra_name")) != bool(data.get("extra_problem")):
            self.add_error("extra_problem", _("其他材料请同时填写名称和存在的问题"))
        self.clean_field_corrections(data)
        if not self.missing and not data.get("extra_name") and not data.get("answer_fields") \
                and "answer_fields" not in self.errors:
            self.add_error("extra_name", _("没有缺少的材料；如材料或申请表内容不符合要求，请写明材料名称或勾选字段并写明问题"))
        return data

    def arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        items = [services.CorrectionItem(problem=d[f"p{m.pk}"], material_id=m.pk) for m in self.missing]
        items += [services.CorrectionItem(problem=problem, field=key) for key, problem in self.field_corrections()]
        if d.get("extra_name"):
            items.append(services.CorrectionItem(problem=d["extra_problem"], name=d["extra_name"]))
        return {"items": items, "note": d.get("note") or ""}


class RefuseForm(ActionForm):
    """不予受理: the reason and its basis."""

    reason = _text(_("理由"), max_length=limits.CLOSED_REASON)
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=limits.LEGAL_BASIS)


class WithdrawForm(ActionForm):
    reason = _text(_("撤回原因"), required=False, max_length=limits.CLOSED_REASON)


class DenyForm(ActionForm):
    """不予许可: the reason and the legal basis, both required."""

    reason = _text(_("理由"), max_length=limits.DECISION_REASON)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=limits.LEGAL_BASIS)


class TerminateForm(ActionForm):
    """终止办理: the reason and the legal basis, both required."""

    reason = _text(_("理由"), max_length=limits.CLOSED_REASON)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=limits.LEGAL_BASIS)


class ApproveForm(ActionForm):
    reason = _text(_("审查意见"), required=False, max_length=limits.DECISION_REASON)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=limits.LEGAL_BASIS,
                                  help_text=_("写入准予行政许可决定书"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].initial = self.case.item_version.legal_basis


class AssignForm(ActionForm):
    """分派承办人: a leader picks any reviewer of the department; a reviewer takes the case for themself."""

    reviewer = forms.ModelChoiceField(label=_("承办人"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        reviewers = reviewers_for(self.case)
        if self.user.role == Role.REVIEWER:
            reviewers = reviewers.filter(pk=self.user.pk)
        self.fields["reviewer"].queryset = reviewers


class SuspendForm(ActionForm):
    """特别程序 other than a hearing (which has its own acts), with the time it needs, told in writing (第四十五条)."""

    kind = forms.ChoiceField(label=_("特别程序"), choices=[(k, v) for k, v in SuspensionKind.choices
                                                         if k != SuspensionKind.HEARING])
    reason = _text(_("事由"), max_length=limits.SUSPENSION_REASON)
    expected_days = forms.IntegerField(label=_("预计所需工作日"), required=False, min_value=1, max_value=250)
    expected_end_on = forms.DateField(label=_("或预计结束日期"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}),
                                      help_text=_("二者填一项；将书面告知申请人，逾期未结束时产生监察预警"))


class HearingRightForm(ActionForm):
    """告知听证权利 (第四十七条): the major interests at stake and the interested parties to tell."""

    matter = _text(_("涉及的重大利益"), max_length=limits.HEARING_MATTER)
    interested_parties = _text(_("利害关系人（每行一个）"), required=False, rows=3, max_length=limits.HEARING_PARTIES)


class RequestHearingForm(ActionForm):
    """申请听证: staff record a party's written request; the applicant asks for themself."""

    party = forms.CharField(label=_("听证申请人（申请人或利害关系人）"), max_length=limits.HEARING_PARTY)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.user.role == Role.CITIZEN:
            del self.fields["party"]


class ScheduleHearingForm(ActionForm):
    """通知听证时间地点 (第四十八条): at least 7 working days ahead, presided over by someone other than the reviewer."""

    hearing_at = forms.DateTimeField(label=_("听证时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("听证地点"), max_length=limits.HEARING_PLACE)
    presiding_officer = forms.ModelChoiceField(label=_("听证主持人"), queryset=None, empty_label=None,
                                               help_text=_("审查该申请的工作人员以外的人员"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["presiding_officer"].queryset = reviewers_for(self.case).exclude(pk=self.case.assigned_to_id)


class RecordHearingForm(ActionForm):
    record = _text(_("听证笔录（摘要）"), rows=4, max_length=limits.HEARING_RECORD)
    signed_by = forms.CharField(label=_("签字确认的听证参加人"), max_length=limits.HEARING_SIGNED_BY)


class WaiveHearingForm(ActionForm):
    reason = _text(_("放弃听证说明"), required=False, max_length=limits.HEARING_MATTER)


class IssueDenialForm(ActionForm):
    """出具不予许可决定书: the decision is generated with its reasons and the rights of review and litigation; a signed
    scan may replace it."""

    document = forms.FileField(label=_("签章后的决定书扫描件（可选）"), required=False,
                               help_text=_("不上传时，以系统生成的不予行政许可决定书（PDF）作为结果文书"))

    def arguments(self) -> dict[str, Any]:
        document = self.cleaned_data.get("document")
        scan = scan_of(document) if document else None
        return {"document": scan.content if scan else None, "document_name": scan.filename if scan else ""}


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1)
    reason = _text(_("延期理由"), max_length=limits.EXTENSION_REASON)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        maximum = self.case.item_version.max_extension_days
        self.fields["days"].max_value = maximum
        self.fields["days"].widget.attrs["max"] = maximum
        self.fields["days"].help_text = _("最多 %(n)d 个工作日，须经部门负责人批准，只能延期一次") % {"n": maximum}


class IssueForm(ActionForm):
    """出具结果 of an approval: the licence number (required) and the result document. A denial's result is the
    written decision (`IssueDenialForm`)."""

    licence_number = forms.CharField(label=_("证照编号"), max_length=limits.LICENCE_NUMBER)
    document = forms.FileField(label=_("结果文书（可选）"), required=False)

    def arguments(self) -> dict[str, Any]:
        document = self.cleaned_data.get("document")
        scan = scan_of(document) if document else None
        return {"licence_number": self.cleaned_data.get("licence_number") or "",
                "document": scan.content if scan else None, "document_name": scan.filename if scan else ""}


class DeliverForm(ActionForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=())
    pickup_code = forms.CharField(label=_("取件码"), required=False, max_length=limits.PICKUP_CODE,
                                  help_text=_("窗口领取时核对申请人出示的取件码"))
    tracking_number = forms.CharField(label=_("快递单号"), required=False, max_length=limits.TRACKING_NUMBER)
    postal_address = forms.CharField(label=_("邮寄地址"), required=False, max_length=limits.POSTAL_ADDRESS)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        version = self.case.item_version
        offered = {DeliveryMethod.PICKUP: version.delivery_pickup, DeliveryMethod.POST: version.delivery_post,
                   DeliveryMethod.ELECTRONIC: version.delivery_electronic}
        self.fields["method"].choices = [(m.value, m.label) for m, ok in offered.items()
                                         if ok or m == self.case.delivery_method]
        self.fields["method"].initial = self.case.delivery_method
        self.fields["postal_address"].initial = self.case.postal_address


class MaterialForm(ActionForm):
    """补充材料: one material of the item, its scan uploaded or, if government-issued, fetched by data sharing."""

    material = forms.TypedChoiceField(label=_("材料"), coerce=int, choices=(), widget=DataSelect)
    file = forms.FileField(label=_("文件"), required=False, help_text=SCAN_HELP)
    shared = forms.BooleanField(label=_("通过数据共享获取（政府部门核发的材料）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.materials = {m.pk: m for m in self.case.item_version.materials.all()}
        if self.case.state not in MATERIAL_STATES:  # approved: only the tolerated materials still owed
            owed = {entry["id"] for entry in self.case.tolerated_materials}
            self.materials = {pk: m for pk, m in self.materials.items() if pk in owed}
        self.fields["material"].choices = [(pk, ChineseData(m.name)) for pk, m in self.materials.items()]

    def clean(self):
        data = super().clean()
        material = self.materials.get(data.get("material"))
        if data.get("shared"):
            if material is not None and not material.fetchable:
                self.add_error("shared", _("这份材料由申请人自备，不能通过数据共享获取"))
        elif not data.get("file"):
            self.add_error("file", _("请选择要上传的文件"))
        return data

    def arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"material_id": d["material"], "scan": None if d.get("shared") else scan_of(d["file"])}
