"""The citizen's forms: the online application (网上申报), the corrections before resubmitting (补正), and a material
supplied on its own (补充材料: one still owed, a 容缺 material by its promised date, or any other)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases import services
from onewindow.cases.forms.actions import ActionForm, MaterialForm
from onewindow.cases.forms.answers import AnswersMixin
from onewindow.cases.forms.base import MATERIAL_KEY, SCAN_HELP, ApplicantForm, scan_of
from onewindow.cases.selectors import OwedMaterial, fields_to_correct, materials_to_correct, owed_materials
from onewindow.catalog.models import Material
from onewindow.core.language import ChineseData
from onewindow.forms.selectors import spec_of


def _file_fields(form: forms.Form, materials, *, required_message) -> None:
    """One upload per material the applicant keeps; government-issued ones are fetched by data sharing."""
    for material in materials:
        if not material.fetchable:
            form.fields[f"file{material.pk}"] = forms.FileField(
                label=ChineseData(material.name), required=material.requirement == Material.Requirement.REQUIRED,
                help_text=getattr(material, "notes", "") or SCAN_HELP, error_messages={"required": required_message},
            )


class UploadsMixin:
    """The files of a citizen's form as `services.SuppliedMaterial`, and service errors about them on their field."""

    materials: list

    def field_for(self, key: str) -> str | None:
        match = MATERIAL_KEY.match(key)
        if match:
            name = f"file{match[1]}"
            return name if name in self.fields else None
        return super().field_for(key)

    def supplied(self) -> list[services.SuppliedMaterial]:
        """(material, file) for each file given, after `is_valid()`."""
        return [
            services.SuppliedMaterial(material_id=m.pk, scan=scan_of(self.cleaned_data[f"file{m.pk}"]))
            for m in self.materials if self.cleaned_data.get(f"file{m.pk}")
        ]


class OnlineApplicationForm(AnswersMixin, UploadsMixin, ApplicantForm):
    """网上申报: the applicant, the application form (电子申请表, `setup_answers`) and one upload per material;
    government-issued ones are fetched by data sharing."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _file_fields(self, self.materials, required_message=_("请上传这份必要材料"))

    def upload_rows(self) -> list[dict]:
        return [{"material": m, "field": None if m.fetchable else self[f"file{m.pk}"]} for m in self.materials]

    def application(self) -> dict[str, Any]:
        """The keyword arguments of `services.apply_online`, after `is_valid()`."""
        return {**super().application(), "materials": self.supplied(), "answers": self.answers_to_file()}


class ResubmitForm(AnswersMixin, UploadsMixin, ActionForm):
    """补正后重新提交: one upload per material the correction notice asks for, and the application form's fields it
    names (the others shown, not changed)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.materials = [m for m in materials_to_correct(self.case) if not m.fetchable]
        _file_fields(self, self.materials, required_message=_("请上传这份补正材料"))
        spec = spec_of(self.case.form_version) if self.case.form_version_id else None
        asked = [key for key in fields_to_correct(self.case) if spec is not None and spec.field(key) is not None]
        if asked:
            self.setup_answers(spec, start=self.case.answers, editable=asked)

    def arguments(self) -> dict[str, Any]:
        answers = self.answers_to_file()
        return {"materials": self.supplied(), **({"answers": answers} if answers is not None else {})}


class MyMaterialForm(MaterialForm):
    """补充材料 on the applicant's page: the materials still owed come first, each with what is owed — a 容缺
    material with the date it was promised by — then the item's other materials; a government-issued one may be
    fetched by data sharing instead of uploaded."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owed: list[OwedMaterial] = owed_materials(self.case)
        self.owed = [line for line in self.owed if line.material.pk in self.materials]  # approved: 容缺 only
        owed_ids = [line.material.pk for line in self.owed]
        labels = [(line.material.pk, ChineseData(_owed_label(line))) for line in self.owed]
        labels += [(pk, ChineseData(material.name)) for pk, material in self.materials.items() if pk not in owed_ids]
        self.fields["material"].choices = labels
        if owed_ids:
            self.fields["material"].initial = owed_ids[0]
        if not any(material.fetchable for material in self.materials.values()):
            del self.fields["shared"]


def _owed_label(line: OwedMaterial) -> str:
    if line.due_on is not None:
        return str(_("%(name)s（容缺后补，请于 %(day)s 前补交）") % {"name": line.material.name,
                                                             "day": f"{line.due_on:%Y-%m-%d}"})
    return str(_("%(name)s（尚缺）") % {"name": line.material.name})
