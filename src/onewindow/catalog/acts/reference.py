"""Reference data (基础数据): service points, halls, departments, item types and themes, saved and deleted one
row at a time, each audited with what went with it."""

from __future__ import annotations

from typing import Any

from django.db import models

from onewindow.catalog.acts.common import full_clean, plain_row, require_catalog_editor
from onewindow.catalog.models import Department, Hall, ItemType, ServicePoint, Theme
from onewindow.catalog.search import pinyin_keys
from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.identity import canonical_number, normalize_credit_code
from onewindow.core.kit import composable, each

REFERENCE_MODELS = (ServicePoint, Hall, Department, ItemType, Theme)
Reference = ServicePoint | Hall | Department | ItemType | Theme


@composable
def save_reference(obj: Reference, *, by: Any) -> models.Model:
    """Create or change a service point, hall, department, item type or theme (基础数据维护)."""
    require_catalog_editor(by)
    if not isinstance(obj, REFERENCE_MODELS):
        raise InvalidInput(f"{obj._meta.verbose_name}不通过此功能维护")
    before = plain_row(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
    if isinstance(obj, Theme):
        obj.name_initials = pinyin_keys(obj.name).initials[:100]
    if isinstance(obj, Department) and canonical_number(obj.credit_code or ""):
        obj.credit_code = normalize_credit_code(obj.credit_code)  # GB 32100; InvalidCreditCode names credit_code
    full_clean(obj)
    obj.save()
    action = "update" if before else "create"
    audit.record(f"catalog.{obj._meta.model_name}.{action}", obj=obj, by=by, before=before, after=plain_row(obj))
    return obj


def _deleted_with(obj: models.Model) -> dict[str, Any]:
    """What goes with a deleted row (CASCADE), so the audit shows it too: a service point's halls, a theme's items."""
    if isinstance(obj, ServicePoint):
        return {"halls": [plain_row(hall) for hall in obj.halls.all()]}
    if isinstance(obj, Theme):
        return {"items": list(obj.theme_items.values_list("item__implementation_code", flat=True))}
    return {}


@composable
def delete_reference(obj: Reference, *, by: Any) -> None:
    """Delete a reference row; rows still in use are protected (PROTECT) and raise Conflict (409 in_use)."""
    require_catalog_editor(by)
    if not isinstance(obj, REFERENCE_MODELS):
        raise InvalidInput(f"{obj._meta.verbose_name}不通过此功能删除")
    before, label, pk = {**plain_row(obj), **_deleted_with(obj)}, obj._meta.label_lower, str(obj.pk)
    try:
        # Django finds the protected rows before it deletes anything: a refusal leaves the transaction usable.
        obj.delete()
    except models.ProtectedError:
        raise Conflict(f"“{obj}”仍在使用，不能删除", code=ErrorCode.IN_USE) from None
    audit.record(f"catalog.{obj._meta.model_name}.delete", object_type=label, object_id=pk, by=by, before=before)


# Several reference rows deleted together (批量删除), all or none: `delete_references(objs, by=…)`.
delete_references = each(delete_reference)
