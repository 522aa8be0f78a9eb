"""The applicant's earlier cases as a source of prefill (减填写): an organisation's details as it last filed them."""

from __future__ import annotations

from typing import Any

from onewindow.cases.models import Case
from onewindow.forms.models import DataElement
from onewindow.forms.prefill import Prefilled


def from_earlier_cases(user: Any, element: DataElement) -> Prefilled | None:
    """The element's value in the applicant's latest case that answered it."""
    case = (Case.objects.filter(applicant_user=user, answers__has_key=element.code).exclude(state="draft")
            .order_by("-created_at", "-id").only("number", "answers").first())
    if case is None:
        return None
    return Prefilled(case.answers[element.code], element.source, f"办件 {case.number}", element.authoritative)
