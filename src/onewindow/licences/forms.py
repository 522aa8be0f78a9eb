"""The forms of the licence pages: a renewal (延续) and a decision (撤销 / 注销) with its reason and legal basis."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.licences.models import LEGAL_BASIS_MAX, REASON_MAX


class RenewalForm(forms.Form):
    item = forms.ChoiceField(label=_("延续事项"))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["item"].choices = [(key, f"{item.name}（{item.implementation_code}）")
                                       for key, item in self.items.items()]


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("法律依据"), max_length=LEGAL_BASIS_MAX)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
