"""The merged application form of a theme (一表申请): the single-item form's applicant fields, the result's
delivery, the package's one application form (电子申请表, its items' forms merged) and one upload per merged
material."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.bundles.selectors import MergedMaterial
from onewindow.cases.forms.answers import AnswersMixin
from onewindow.cases.forms.base import DELIVERY_CHOICES, SCAN_HELP, ApplicantForm
from onewindow.cases.models import DeliveryMethod
from onewindow.catalog.models import Material
from onewindow.core.language import ChineseData


class PackageApplicationForm(AnswersMixin, ApplicantForm):
    """申请人 once for every item, as on the single-item form (a package has no 代办人); the result picked up at the
    window or posted free of charge; each material the applicant brings uploaded once. A missing material is not an
    error here: the window lists everything missing in one notice (一次性告知). The package's form is set up with
    `setup_answers` (the theme's merged form; a shared data element asked once)."""

    def __init__(self, *args: Any, materials: list[MergedMaterial] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("agent_name", "agent_id_number", "agent_mobile"):
            del self.fields[name]
        offered = (DeliveryMethod.PICKUP, DeliveryMethod.POST)
        choices = [(value, label) for value, label in DELIVERY_CHOICES if value in offered]
        self.fields["delivery_method"] = forms.ChoiceField(label=_("结果送达方式"), choices=choices,
                                                           initial=choices[0][0], widget=forms.RadioSelect)
        self.fields["postal_address"] = forms.CharField(label=_("邮寄地址"), required=False, max_length=300,
                                                        help_text=_("选择免费邮寄时必填"))
        self.material_fields: list[tuple[str, MergedMaterial]] = []
        for index, line in enumerate(m for m in materials if m.source == Material.Source.APPLICANT):
            name = f"material_{index}"
            self.fields[name] = forms.FileField(label=ChineseData(line.name), required=False, help_text=SCAN_HELP)
            self.material_fields.append((name, line))

    def uploaded_names(self) -> dict[int, str]:
        """Material id → the file chosen for it: a merged material's upload stands for each item's material."""
        data = getattr(self, "cleaned_data", None) or {}
        names = {}
        for name, line in self.material_fields:
            upload = data.get(name) or self.files.get(name)
            if upload:
                names.update({material.pk: upload.name for _entry, material in line.entries})
        return names

    def upload_rows(self) -> list[dict[str, Any]]:
        """Each merged material with its upload field, its requirement and the items that use it."""
        return [{"material": line, "field": self[name],
                 "requirement": Material.Requirement(line.requirement).label} for name, line in self.material_fields]

