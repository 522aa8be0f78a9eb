"""收件 at the window: the applicant, the checklist of the item version's materials, and the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from onewindow.cases import limits, services
from onewindow.cases.forms.answers import AnswersMixin
from onewindow.cases.forms.base import (
    MATERIAL_KEY,
    SCAN_HELP,
    ApplicantForm,
    FieldCorrectionsMixin,
    correction_fields_choice,
    scan_of,
)
from onewindow.cases.services import Decision, MaterialStatus
from onewindow.core.language import ChineseData
from onewindow.forms.spec import FormSpec

STATUS_CHOICES = [
    (MaterialStatus.RECEIVED, _("已收取（上传扫描件）")),
    (MaterialStatus.SHARED, _("数据共享获取")),
    (MaterialStatus.MISSING, _("缺少")),
    (MaterialStatus.FAULTY, _("不符合要求")),
]
DECISION_CHOICES = [(Decision.ACCEPT, _("受理")), (Decision.REQUEST_CORRECTION, _("一次性告知补正")),
                    (Decision.REFUSE, _("不予受理"))]


# The window decision's fields as a service's error names them (the API request's `decision.…`) → this form's.
DECISION_FIELDS = {"decision.kind": "decision", "decision.tolerance_due_on": "tolerance_due_on",
                   "decision.reason": "reason", "decision.legal_basis": "legal_basis", "decision.note": "correction_note"}


class IntakeForm(FieldCorrectionsMixin, AnswersMixin, ApplicantForm):
    """收件: the applicant, the application form (电子申请表, `setup_answers`), one line per material (status, scan,
    problem) and the decision at the window — with 一次性告知补正, also the form's fields to correct, each with its
    problem (`answer_fields`, `fp_<key>`, as on the case page's correction).

    The rules that tie the checklist to the decision are the service's (`services.checklist_problems`): the
    form asks it, so the page shows every problem at once, on its field, before anything is written.
    """

    decision = forms.ChoiceField(label=_("处理结果"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    tolerance_due_on = forms.DateField(
        label=_("容缺材料承诺补交日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("“容缺后补”材料缺少时仍可受理，须约定补交日期：晚于受理日，不晚于本办件的法定办结日"),
    )
    reason = forms.CharField(label=_("不予受理理由"), required=False, max_length=limits.CLOSED_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("不予受理依据"), required=False, max_length=limits.LEGAL_BASIS)
    correction_note = forms.CharField(label=_("补正说明"), required=False, max_length=limits.CORRECTION_NOTE,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    answer_fields = correction_fields_choice()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for material in self.materials:
            choices = [c for c in STATUS_CHOICES if material.fetchable or c[0] != MaterialStatus.SHARED]
            self.fields[f"m{material.pk}_status"] = forms.ChoiceField(
                label=ChineseData(material.name), choices=choices, widget=forms.RadioSelect,
                initial=MaterialStatus.SHARED if material.fetchable else None,
                error_messages={"required": _("请核对这份材料：已收取、缺少或不符合要求")},
            )
            self.fields[f"m{material.pk}_file"] = forms.FileField(label=_("扫描件"), required=False,
                                                                   help_text=SCAN_HELP)
            self.fields[f"m{material.pk}_problem"] = forms.CharField(
                label=_("问题及补正要求"), required=False, max_length=limits.CORRECTION_PROBLEM,
                widget=forms.TextInput(attrs={"placeholder": _("例如：复印件未加盖公章")}),
            )
            for part in ("file", "problem"):
                # The error summary at the top names the material, not only "扫描件".
                field = self.fields[f"m{material.pk}_{part}"]
                field.summary_label = format_lazy("{}（{}）", material.name, field.label)  # type: ignore[attr-defined]
        self.lines: list[services.CheckedMaterial] = []

    upload_field = "m{}_file"

    def setup_answers(self, spec: FormSpec | None, **kwargs: Any) -> None:
        super().setup_answers(spec, **kwargs)
        self.add_field_corrections(list(spec.fields) if spec is not None else [])

    def field_for(self, key: str) -> str | None:
        match = MATERIAL_KEY.match(key)
        if match:
            name = f"m{match[1]}_{match[2] or 'status'}"
            return name if name in self.fields else None
        if key.startswith("decision.fields"):
            name = f"fp_{key.removeprefix('decision.fields.')}"
            return name if name in self.fields else "answer_fields"
        return super().field_for(DECISION_FIELDS.get(key, key))

    def checklist(self) -> list[dict]:
        """Rows for the template: the material with its status, scan and problem fields."""
        return [
            {"material": m, "status": self[f"m{m.pk}_status"], "file": self[f"m{m.pk}_file"],
             "problem": self[f"m{m.pk}_problem"]}
            for m in self.materials
        ]

    def clean(self):
        data = super().clean()
        self.clean_field_corrections(data)
        statuses = {m.pk: data.get(f"m{m.pk}_status") for m in self.materials}
        if None in statuses.values() or not data.get("decision"):
            return data  # each unanswered line or decision already has its error
        self.lines = [
            services.CheckedMaterial(
                material_id=pk, status=status, problem=(data.get(f"m{pk}_problem") or "").strip(),
                # A scan counts only for a material marked received; a file left on another line is ignored.
                scan=scan_of(data[f"m{pk}_file"]) if status == MaterialStatus.RECEIVED
                and data.get(f"m{pk}_file") else None,
            )
            for pk, status in statuses.items()
        ]
        for problem in services.checklist_problems(self.materials, self.lines, self.window_decision()):
            self.add_problem(problem)
        return data

    def window_decision(self) -> services.WindowDecision:
        d = self.cleaned_data
        return services.WindowDecision(
            kind=d["decision"], tolerance_due_on=d.get("tolerance_due_on"), note=d.get("correction_note") or "",
            fields=tuple(self.field_corrections()),
            reason=d.get("reason") or "", legal_basis=d.get("legal_basis") or "",
        )

    def intake(self) -> dict[str, Any]:
        """The keyword arguments of `services.take_in_at_window`, after `is_valid()`."""
        return {**self.application(), "materials": self.lines, "decision": self.window_decision(),
                "answers": self.answers_to_file()}
