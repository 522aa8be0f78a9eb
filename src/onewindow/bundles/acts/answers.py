"""一表申请: the package's one application form. Its answers are checked whole against the theme's merged form, then
split so that each sub-case is filed under its own item's form with its own answers (a shared data element asked
once, copied to every item that uses it); a correction naming fields is answered once for the whole package."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from onewindow.bundles import selectors
from onewindow.cases.acts.answers import checked_answers
from onewindow.catalog.models import Theme
from onewindow.core.errors import InvalidInput
from onewindow.core.models import User
from onewindow.forms.prefill import prefill, sources_used
from onewindow.forms.spec import split


@dataclass(frozen=True)
class ItemAnswers:
    """What one item's sub-case is filed with: its own answers, and those of them the package's form asked for an
    earlier item already (marked as coming from the package's form: the applicant did not type them again)."""

    answers: dict[str, Any]
    known: dict[str, Any]


def split_package_answers(theme: Theme, answers: Mapping[str, Any] | None, *,
                          applicant_user: User | None) -> dict[str, ItemAnswers]:
    """The package's answers checked against the theme's merged form (FormInvalid, 422, naming every
    `answers.<key>` at once — the form's problems and each change to an authoritative value), then per item
    (实施编码) its own. A theme none of whose items has a form takes no answers (422 `answers`: no_form)."""
    form = selectors.package_form(theme)
    if form is None:
        if answers:
            raise InvalidInput("该一件事没有电子申请表，不接受申请表内容", fields={"answers": "no_form"})
        return {}
    cleaned = checked_answers(form.spec, applicant_user, answers)
    # Values the center filled in keep their own source on every item; the others were typed once, by the item
    # that asks the field first.
    prefilled = set(sources_used(prefill(form.spec, applicant_user), cleaned)) if applicant_user else set()
    asked: set[str] = set()
    out: dict[str, ItemAnswers] = {}
    for code, names in form.keys.items():
        own = split(cleaned, names)
        out[code] = ItemAnswers(own, {key: value for key, value in own.items()
                                      if names[key] in asked and names[key] not in prefilled})
        asked.update(names.values())
    return out
