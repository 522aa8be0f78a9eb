"""Where people type identity numbers, credit codes and mobiles: the page form field and the API schema type.

Both hand on the canonical form of `core.identity.canonical_number` (full-width → ASCII, spaces and zero-width
characters removed, upper-cased); the services then check it (GB 11643 / GB 32100 check digits, the mobile
pattern) and refuse it with their own error code. The pages' forms and the API take the same values.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BeforeValidator

from onewindow.core.identity import canonical_number, is_mobile

# An API schema's string holding a number a person typed: canonical before the service sees it.
NumberText = Annotated[str, BeforeValidator(canonical_number)]


class NumberField(forms.CharField):
    """A form field for a typed number (证件号码、手机号码): canonical before `max_length` and the form's checks.

    `max_length` bounds the canonical value; the browser is let take more, so that spaces and full-width
    characters can be typed (they are removed or mapped before the length is checked)."""

    def to_python(self, value: Any) -> str:
        return canonical_number(super().to_python(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.max_length is not None:
            attrs["maxlength"] = str(self.max_length * 2)
        return attrs


class MobileField(NumberField):
    """A mainland mobile number (手机号码), 11 ASCII digits once canonical; empty when not required."""

    default_error_messages = {"invalid": _("手机号码应为11位，以1开头")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 11)
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not is_mobile(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
