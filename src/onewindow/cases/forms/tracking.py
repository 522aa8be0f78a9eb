"""公众查询: the public tracking form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    """公众查询: case number and query code, both needed."""

    number = forms.CharField(label=_("办件编号"), max_length=40)
    code = forms.CharField(label=_("查询码"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
