"""The licence register as a source of prefill (减填写): the applicant's valid licence, by the element's key."""

from __future__ import annotations

from typing import Any

from onewindow.forms.models import DataElement
from onewindow.forms.prefill import Prefilled
from onewindow.licences.models import Licence, LicenceState

# What of a licence an element may take (DataElement.source_key).
LICENCE_KEYS = frozenset({"number", "name", "holder_name", "valid_until"})


def from_licences(user: Any, element: DataElement) -> Prefilled | None:
    """The element's `source_key` of the applicant's latest valid licence (证照编号, 名称…)."""
    key = element.source_key or "number"
    if key not in LICENCE_KEYS:
        return None
    licence = (Licence.objects.filter(holder_user=user, state=LicenceState.VALID)
               .order_by("-issued_on", "-id").first())
    if licence is None:
        return None
    value = getattr(licence, key)
    value = value.isoformat() if hasattr(value, "isoformat") else value
    return Prefilled(value, element.source, f"证照 {licence.number}", element.authoritative) if value else None
