"""减填写: fields that mean a shared data element are prefilled from what the center already holds, each value
marked with where it came from. A source is a declared lookup: the forms ask, the app that holds the data
answers — the applicant's account here; their earlier cases (registered by `cases`) and the licence register
(registered by `licences`) from above, so that no lower app imports a higher one.

A value from an authoritative source (the element says so) is shown read-only with its source, and a citizen's
submission may not change it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from onewindow.forms.models import DataElement
from onewindow.forms.spec import FormSpec, answered


@dataclass(frozen=True)
class Prefilled:
    """A value the center already holds for a field, and where it came from."""

    value: Any
    source: str  # DataElement.Source
    origin: str  # what a person reads: 实名账号, 办件 SC20250901000001, 证照 JY15001030000001
    authoritative: bool = False


Lookup = Callable[[Any, DataElement], "Prefilled | None"]
_LOOKUPS: dict[str, Lookup] = {}


def register(source: str, lookup: Lookup) -> None:
    """Declare where the values of a source come from (`lookup(user, element)` → Prefilled or None)."""
    _LOOKUPS[source] = lookup


def _account(user: Any, element: DataElement) -> Prefilled | None:
    value = getattr(user, element.source_key or element.code, "") if element.source_key else ""
    return Prefilled(value, element.source, "实名账号", element.authoritative) if value else None


register(DataElement.Source.ACCOUNT, _account)


def prefill(spec: FormSpec, user: Any, *, known: Mapping[str, Any] | None = None) -> dict[str, Prefilled]:
    """What the center can fill in on `spec` for `user`: per field key, the value and its source. `known` are the
    values a package already asked (一表申请: a shared element typed once serves every item)."""
    out: dict[str, Prefilled] = {}
    for key, value in (known or {}).items():
        if spec.field(key) is not None:
            out[key] = Prefilled(value, "package", "一件事申请表")
    if not getattr(user, "is_authenticated", False):
        return out
    codes = [f.element for f in spec.fields if f.element and f.key not in out]
    elements = DataElement.objects.in_bulk(codes, field_name="code")
    for field in spec.fields:
        element = elements.get(field.element)
        lookup = _LOOKUPS.get(element.source) if element is not None else None
        if element is None or lookup is None or field.key in out:
            continue
        found = lookup(user, element)
        if found is not None:
            out[field.key] = found
    return out


def sources_used(prefilled: Mapping[str, Prefilled], answers: Mapping[str, Any]) -> dict[str, str]:
    """The fields whose answer is the value prefilled (the applicant did not type it): key → source."""
    return {key: p.origin for key, p in prefilled.items() if key in answers and answers[key] == p.value}


def authoritative_changes(prefilled: Mapping[str, Prefilled], answers: Mapping[str, Any]) -> dict[str, str]:
    """Fields whose answer differs from an authoritative value: key → its source (refused)."""
    return {key: p.origin for key, p in prefilled.items()
            if p.authoritative and key in answers and answers[key] != p.value}


def with_authoritative(spec: FormSpec, prefilled: Mapping[str, Prefilled], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every authoritative value the center holds put where the answer is missing or empty: a
    value from an authoritative record is the applicant's whatever the page posted (deleting the read-only input
    does not drop it). A different answer is kept, for `authoritative_changes` to refuse."""
    out = dict(answers)
    for key, known in prefilled.items():
        field = spec.field(key)
        if known.authoritative and field is not None and not answered(field, out.get(key)):
            out[key] = known.value
    return out
