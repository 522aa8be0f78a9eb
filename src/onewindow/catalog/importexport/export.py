"""Exporting the published catalog (导出事项清单) in the import format, so an export is always a valid example."""

from __future__ import annotations

from decimal import Decimal

from onewindow.catalog.importexport.format import (
    DEPARTMENT_KEYS,
    FORMAT,
    HALL_KEYS,
    ITEM_KEYS,
    SERVICE_POINT_KEYS,
    THEME_KEYS,
    VERSION_KEYS,
)
from onewindow.catalog.importexport.sections import registered
from onewindow.catalog.models import Department, ServiceItem, ServicePoint, Theme
from onewindow.catalog.selectors import DELIVERY_FIELDS, MATERIAL_FIELDS, MODE_FIELDS, STEP_FIELDS


def export_catalog() -> dict:
    """The whole published catalog in the import format (导出事项清单), with the registered sections after it."""
    data = {
        "format": FORMAT,
        "departments": _departments(),
        "service_points": _service_points(),
        "items": _items(),
        "themes": _themes(),
    }
    for section in registered():
        data[section.key] = section.export()
    return data


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _departments() -> list[dict]:
    return [
        {key: getattr(d, key) for key in DEPARTMENT_KEYS} for d in Department.objects.order_by("sort_order", "code")
    ]


def _service_points() -> list[dict]:
    points = []
    for p in ServicePoint.objects.select_related("parent").prefetch_related("halls").order_by("sort_order", "code"):
        row = {key: getattr(p, key) for key in SERVICE_POINT_KEYS if key != "parent"}
        row["parent"] = p.parent.code if p.parent else None
        row["halls"] = [
            {key: getattr(h, key) for key in HALL_KEYS}
            for h in sorted(p.halls.all(), key=lambda h: (h.sort_order, h.code))
        ]
        points.append({key: row[key] for key in [*SERVICE_POINT_KEYS, "halls"]})
    return points


def _items() -> list[dict]:
    items = []
    queryset = (
        ServiceItem.objects.filter(published_version__isnull=False)
        .select_related(
            "published_version__item_type", "published_version__department", "published_version__supervising_department"
        )
        .prefetch_related("published_version__materials", "published_version__steps")
        .order_by("department__sort_order", "implementation_code")
    )
    for item in queryset:
        v = item.published_version
        row = {key: getattr(v, key) for key in VERSION_KEYS}
        row.update(
            implementation_code=item.implementation_code,
            basic_code=item.basic_code,
            department=v.department.code,
            item_type=v.item_type.name,
            supervising_department=v.supervising_department.code if v.supervising_department else None,
            modes=[name for name, attr in MODE_FIELDS.items() if getattr(v, attr)],
            delivery=[name for name, attr in DELIVERY_FIELDS.items() if getattr(v, attr)],
            fee_amount=_number(v.fee_amount),
            change_reason=v.change_reason,
        )
        row = {key: row[key] for key in ITEM_KEYS}
        row["materials"] = [{n: getattr(m, n) for n in MATERIAL_FIELDS} for m in v.materials.all()]
        row["steps"] = [{**{n: getattr(s, n) for n in STEP_FIELDS}, "days": _number(s.days)} for s in v.steps.all()]
        items.append(row)
    return items


def _themes() -> list[dict]:
    themes = []
    for t in (
        Theme.objects.select_related("lead_department")
        .prefetch_related("theme_items__item", "theme_items__requires__item")
        .order_by("code")
    ):
        row = {key: getattr(t, key) for key in THEME_KEYS if key != "lead_department"}
        row["lead_department"] = t.lead_department.code
        row = {key: row[key] for key in THEME_KEYS}
        row["items"] = [
            {"item": ti.item.implementation_code, "requires": [r.item.implementation_code for r in ti.requires.all()]}
            for ti in t.theme_items.all()
        ]
        themes.append(row)
    return themes
