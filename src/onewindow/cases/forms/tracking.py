"""公众查询: the public tracking form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.core.identity_fields import NumberField


class TrackForm(forms.Form):
    """公众查询: case number and query code, both needed; each canonical (full-width, spaces, lower case allowed)."""

    number = NumberField(label=_("办件编号"), max_length=40)
    code = NumberField(label=_("查询码"), max_length=6, min_length=6,
                       widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
