"""The citizen's forms: the online application (网上申报) and the corrections before resubmitting (补正)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases import services
from onewindow.cases.forms.actions import ActionForm
from onewindow.cases.forms.base import MATERIAL_KEY, SCAN_HELP, ApplicantForm, scan_of
from onewindow.cases.selectors import materials_to_correct
from onewindow.catalog.models import Material


def _file_fields(form: forms.Form, materials, *, required_message) -> None:
    """One upload per material the applicant keeps; government-issued ones are fetched by data sharing."""
    for material in materials:
        if not material.fetchable:
            form.fields[f"file{material.pk}"] = forms.FileField(
                label=material.name, required=material.requirement == Material.Requirement.REQUIRED,
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


class OnlineApplicationForm(UploadsMixin, ApplicantForm):
    """网上申报: the applicant and one upload per material; government-issued ones are fetched by data sharing."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _file_fields(self, self.materials, required_message=_("请上传这份必要材料"))

    def upload_rows(self) -> list[dict]:
        return [{"material": m, "field": None if m.fetchable else self[f"file{m.pk}"]} for m in self.materials]

    def application(self) -> dict[str, Any]:
        """The keyword arguments of `services.apply_online`, after `is_valid()`."""
        return {**super().application(), "materials": self.supplied()}


class ResubmitForm(UploadsMixin, ActionForm):
    """补正后重新提交: one upload per material the correction notice asks for."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.materials = [m for m in materials_to_correct(self.case) if not m.fetchable]
        _file_fields(self, self.materials, required_message=_("请上传这份补正材料"))

    def arguments(self) -> dict[str, Any]:
        return {"materials": self.supplied()}
