"""The licence register as a source of prefill (减填写): the applicant's valid licence of the kind the element
names, by the element's key."""

from __future__ import annotations

from typing import Any

from onewindow.forms.models import DataElement
from onewindow.forms.prefill import Prefilled
from onewindow.licences.models import Licence, LicenceState

# What of a licence an element may take (DataElement.source_key "<what>:<licence name>").
LICENCE_KEYS = frozenset({"number", "name", "holder_name", "valid_until"})


def licence_key(source_key: str) -> tuple[str, str]:
    """(what of the licence, the licence's name) of a licence element's `source_key` "number:食品经营许可证"; the
    name is the licence's kind as the register names it (证照名称, the issuing item's 结果名称). ("", "") when the
    key names no licence kind: an element that does not say which licence it reads is never filled, since any
    licence's number would fill it (a 人力资源服务许可证编号 filled with a 食品经营许可证's)."""
    what, _, name = source_key.partition(":")
    what, name = what.strip(), name.strip()
    return (what, name) if what in LICENCE_KEYS and name else ("", "")


def from_licences(user: Any, element: DataElement) -> Prefilled | None:
    """The element's item (证照编号, 名称…) of the applicant's latest valid licence of the kind it names."""
    key, name = licence_key(element.source_key)
    if not key:
        return None
    licence = (Licence.objects.filter(holder_user=user, state=LicenceState.VALID, name=name)
               .order_by("-issued_on", "-id").first())
    if licence is None:
        return None
    value = getattr(licence, key)
    value = value.isoformat() if hasattr(value, "isoformat") else value
    return Prefilled(value, element.source, f"证照 {licence.number}", element.authoritative) if value else None
