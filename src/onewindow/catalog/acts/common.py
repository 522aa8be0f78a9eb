"""What every catalog act shares: who may edit the catalog, model validation as one InvalidInput, row snapshots
for the audit chain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onewindow.core.errors import InvalidInput, PermissionDenied
from onewindow.core.models import Role


def require_catalog_editor(by: Any) -> None:
    """Only the center's administrators maintain the catalog; `by=None` is the system (import, demo, migrations)."""
    if by is None:
        return
    if not (getattr(by, "is_superuser", False) or getattr(by, "role", None) == Role.ADMIN):
        raise PermissionDenied("只有中心管理员可以维护事项清单")


def invalid(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """A Django ValidationError as one InvalidInput naming every field."""
    if hasattr(exc, "error_dict"):
        fields = {f"{prefix}{k}": "；".join(v) for k, v in exc.message_dict.items()}
    else:
        fields = {prefix.rstrip(".") or "version": "；".join(exc.messages)}
    return InvalidInput("；".join(f"{k}：{v}" for k, v in fields.items()), fields=fields)


def full_clean(obj: models.Model, *, exclude: Sequence[str] = (), prefix: str = "") -> None:
    """The model's own checks (field types, choices, lengths) as InvalidInput (422); constraints are the act's."""
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        raise invalid(exc, prefix) from None


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row as the audit chain keeps them (relations by their key)."""
    return {name: getattr(obj, f"{name}_id" if obj._meta.get_field(name).is_relation else name) for name in names}


def plain_row(obj: models.Model) -> dict[str, Any]:
    """Every stored column of a row, for the before → after of reference data."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
