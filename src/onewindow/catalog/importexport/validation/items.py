"""Validating the items section (事项): each item's fields (要素), its references and handling modes, its
materials and steps; implementation codes unique."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from onewindow.catalog.importexport.format import VERSION_KEYS
from onewindow.catalog.importexport.problems import Problems, check_unique
from onewindow.catalog.importexport.rows import build_row, string_list, text
from onewindow.catalog.importexport.validation.materials_and_steps import validate_materials, validate_steps
from onewindow.catalog.models import ItemType, ItemVersion, Material, ServiceItem, Step
from onewindow.catalog.selectors import DELIVERY_FIELDS, MODE_FIELDS

# Keys of an item entry that are not fields of its version: read here, not by build_row.
_NOT_VERSION_FIELDS = [
    "implementation_code",
    "basic_code",
    "department",
    "item_type",
    "supervising_department",
    "modes",
    "delivery",
    "materials",
    "steps",
]


@dataclass
class ParsedItem:
    """A checked item: the item row, its new version (unsaved, published), the codes it names, its parts."""

    item: ServiceItem
    version: ItemVersion
    department: str
    supervising_department: str | None
    item_type: int
    materials: list[Material]
    steps: list[Step]


def validate_items(entries: list, problems: Problems, department_codes: set[str]) -> list[ParsedItem]:
    """The file's items; a bad item is reported and left out, so the others are still checked."""
    item_types: dict[str, int] = {}
    for type_id, type_code, type_name in ItemType.objects.values_list("pk", "code", "name"):
        item_types[type_code] = item_types[type_name] = type_id
    parsed: list[ParsedItem] = []
    codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(entries):
        path = ("items", i)
        item = _validate_item(entry, path, problems, department_codes, item_types)
        if item is not None:
            parsed.append(item)
            codes.append((path, item.item.implementation_code))
    check_unique(codes, "实施编码", problems)
    return parsed


def _validate_item(
    entry: Any, path: tuple, problems: Problems, department_codes: set[str], item_types: dict[str, int]
) -> ParsedItem | None:
    before = len(problems.messages)
    version = build_row(
        ItemVersion,
        entry,
        path,
        problems,
        keys=[*VERSION_KEYS, "change_reason"],
        special=_NOT_VERSION_FIELDS,
        initial={"number": 1, "status": ItemVersion.Status.PUBLISHED},
    )
    if not isinstance(entry, dict):
        return None
    item = build_row(
        ServiceItem, entry, path, problems, keys=["implementation_code", "basic_code"], check_unknown=False
    )
    department, supervising, item_type = _check_references(entry, path, problems, department_codes, item_types)
    flags = _handling_flags(entry, path, problems)
    materials = validate_materials(entry, path, problems)
    steps = validate_steps(entry, path, problems)
    if version is not None and len(problems.messages) == before:
        for attr, value in flags.items():
            setattr(version, attr, value)
        # The version's own rules across fields (promised within statutory time, fee given unless free…).
        try:
            version.clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                problems.add(path, "；".join(messages), key)
    if len(problems.messages) != before or version is None or item is None:
        return None
    version.change_reason = text(version.change_reason)
    return ParsedItem(
        item=item,
        version=version,
        department=department,
        supervising_department=supervising,
        item_type=item_types[item_type],
        materials=materials,
        steps=steps,
    )


def _check_references(
    entry: dict, path: tuple, problems: Problems, department_codes: set[str], item_types: dict[str, int]
) -> tuple[str, str | None, str]:
    """The department (实施部门), supervising department and item type the item names, each checked to exist."""
    department = text(entry.get("department"))
    if department not in department_codes:
        problems.add(path, f"部门“{department}”不存在" if department else "必填", "department")
    supervising = text(entry.get("supervising_department")) or None
    if supervising and supervising not in department_codes:
        problems.add(path, f"部门“{supervising}”不存在", "supervising_department")
    item_type = text(entry.get("item_type"))
    if item_type not in item_types:
        problems.add(
            path,
            f"事项类型“{item_type}”不存在（可用名称或代码，如 行政许可 / 01）" if item_type else "必填",
            "item_type",
        )
    return department, supervising, item_type


def _handling_flags(entry: dict, path: tuple, problems: Problems) -> dict[str, bool]:
    """`modes` (马上办、网上办…) and `delivery` (送达方式) as the version's flags; a list left out changes none."""
    flags = {}
    for key, mapping in (("modes", MODE_FIELDS), ("delivery", DELIVERY_FIELDS)):
        chosen = string_list(entry, key, path, problems)
        if chosen is None:
            continue
        for value in chosen:
            if value not in mapping:
                problems.add(path, f"未知取值“{value}”，可选：{', '.join(mapping)}", key)
        flags.update({attr: name in chosen for name, attr in mapping.items()})
    return flags
