"""Catalog import and export (事项清单导入导出) in the format of docs/catalog-format.md, as JSON or XLSX.

Import checks the whole file first and reports every bad row; only a clean file is written, in one
transaction, with bulk statements so a district of 560 items loads in a few seconds.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from onewindow.catalog.dag import find_cycle
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemType,
    ItemVersion,
    Level,
    Material,
    ServiceItem,
    ServicePoint,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.selectors import DELIVERY_FIELDS, ELEMENT_FIELDS, MATERIAL_FIELDS, MODE_FIELDS, STEP_FIELDS
from onewindow.catalog.services import MIRRORED_FIELDS, mirror_elements, require_catalog_editor
from onewindow.core import audit
from onewindow.core.errors import InvalidInput

FORMAT = "onewindow-catalog/1"
SUFFIXES = (".json", ".xlsx")

DEPARTMENT_KEYS = [
    "code",
    "name",
    "short_name",
    "credit_code",
    "has_approval_functions",
    "functions_concentrated",
    "unit_stationed",
    "window_authorized",
    "has_approval_seal",
    "phone",
    "sort_order",
]
SERVICE_POINT_KEYS = ["code", "name", "level", "parent", "address", "hours", "phone", "sort_order"]
HALL_KEYS = ["code", "name", "floor", "hours", "self_service", "sort_order"]
_REFERENCE_ELEMENTS = {"department", "item_type", "supervising_department"}
_FLAG_ELEMENTS = set(MODE_FIELDS.values()) | set(DELIVERY_FIELDS.values())
VERSION_KEYS = [f for f in ELEMENT_FIELDS if f not in _REFERENCE_ELEMENTS | _FLAG_ELEMENTS]
ITEM_KEYS = [
    "implementation_code",
    "basic_code",
    "department",
    "name",
    "item_type",
    "level",
    "legal_basis",
    "conditions",
    "service_objects",
    "statutory_days",
    "promised_days",
    "time_limit_note",
    "max_extension_days",
    "case_kind",
    "visits",
    "modes",
    "online_depth",
    "fee_free",
    "fee_amount",
    "fee_basis",
    "handling_place",
    "handling_hours",
    "result_type",
    "result_name",
    "delivery",
    "central_acceptance",
    "online_platform",
    "supervising_department",
    "consult_phone",
    "complaint_phone",
    "change_reason",
]
THEME_KEYS = ["code", "name", "description", "lead_department", "promised_days", "published"]
LIST_KEYS = {"modes", "delivery", "requires"}
# XLSX: one sheet per table, header row = the JSON keys; child rows name their parent in the first column.
SHEETS = {
    "departments": DEPARTMENT_KEYS,
    "service_points": SERVICE_POINT_KEYS,
    "halls": ["service_point", *HALL_KEYS],
    "items": ITEM_KEYS,
    "materials": ["item", *MATERIAL_FIELDS],
    "steps": ["item", *STEP_FIELDS],
    "themes": THEME_KEYS,
    "theme_items": ["theme", "item", "requires"],
}
# XLSX: an empty cell is "" for a text column, null for these, and "not given" (the default) otherwise.
NULL_KEYS = {"parent", "supervising_department", "fee_amount"}
TEXT_KEYS = {
    f.name
    for model in (Department, ServicePoint, Hall, ServiceItem, ItemVersion, Material, Step, Theme)
    for f in model._meta.concrete_fields
    if isinstance(f, models.CharField | models.TextField) and not f.choices
} - {"department", "item_type"}
DEFAULT_NEW_REASON = "首次发布"
DEFAULT_UPDATE_REASON = "导入更新"
_LEVEL_ORDER = [Level.DISTRICT, Level.STREET, Level.COMMUNITY]
_BATCH = 500
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "是": True, "否": False, "yes": True, "no": False}


class CatalogFileInvalid(InvalidInput):
    """A catalog file with problems; lists every one so the user fixes them in one pass (全部或全不)."""

    code = "catalog_file_invalid"

    def __init__(self, problems: list[str]):
        super().__init__(
            f"事项清单文件有误（{len(problems)}处），未作任何更改：\n" + "\n".join(problems),
            fields={"file": "；".join(problems[:50])},
        )
        self.problems = problems


@dataclass
class ImportReport:
    """What an import created and changed (导入结果)."""

    departments_created: int = 0
    departments_updated: int = 0
    service_points_created: int = 0
    service_points_updated: int = 0
    halls_created: int = 0
    halls_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    themes_created: int = 0
    themes_updated: int = 0
    new_versions: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return (
            f"部门 新增{self.departments_created} 更新{self.departments_updated}；"
            f"服务场所 新增{self.service_points_created} 更新{self.service_points_updated}；"
            f"大厅 新增{self.halls_created} 更新{self.halls_updated}；"
            f"事项 新增{self.items_created} 新版本{self.items_updated} 未变{self.items_unchanged}；"
            f"主题 新增{self.themes_created} 更新{self.themes_updated}"
        )

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "new_versions"}


# -- problems and where they are -----------------------------------------------------------------


class _Problems:
    def __init__(self, locations: dict[tuple, str] | None, known: Iterable[str] = ()):
        self.locations = locations or {}
        self.messages: list[str] = list(known)

    def where(self, path: tuple) -> str:
        if path in self.locations:
            return self.locations[path]
        text = ""
        for part in path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text or "文件"

    def add(self, path: tuple, message: str, key: str | None = None) -> None:
        self.messages.append(f"{self.where(path)}：{key + '：' if key else ''}{message}")


def _build(
    model: type[models.Model],
    entry: Any,
    path: tuple,
    problems: _Problems,
    *,
    keys: Iterable[str],
    special: Iterable[str] = (),
    exclude: Iterable[str] = (),
    initial: dict[str, Any] | None = None,
    check_unknown: bool = True,
) -> models.Model | None:
    """An unsaved row from one entry, its fields checked by the model (length, choices, numbers); None if not a dict."""
    if not isinstance(entry, dict):
        problems.add(path, "应为对象 {…}")
        return None
    keys = list(keys)
    if check_unknown:
        for key in sorted(set(entry) - set(keys) - set(special)):
            problems.add(path, "未知字段", key)
    obj = model(**(initial or {}))
    # A key left out keeps an existing row's value, and takes the default on a new row.
    obj._absent = {obj._meta.get_field(k).attname for k in keys if k not in entry}
    for key in keys:
        if key not in entry:
            continue
        value = entry[key]
        model_field = obj._meta.get_field(key)
        if (
            isinstance(model_field, models.BooleanField)
            and isinstance(value, str)
            and value.strip().lower() in _BOOLEANS
        ):
            value = _BOOLEANS[value.strip().lower()]
        elif isinstance(model_field, models.CharField | models.TextField) and value is None:
            value = ""
        elif isinstance(model_field, models.BooleanField) and not isinstance(value, bool | int | str):
            problems.add(path, "应为 true 或 false", key)
            continue
        setattr(obj, model_field.attname, value)
    skip = {f.name for f in obj._meta.concrete_fields if f.is_relation or f.name not in keys} | set(exclude)
    try:
        obj.clean_fields(exclude=list(skip))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            problems.add(path, "；".join(messages), key)
        return None
    return obj


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _list(entry: dict, key: str, path: tuple, problems: _Problems) -> list[str] | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(path, "应为字符串列表", key)
        return None
    return value


# -- validation ----------------------------------------------------------------------------------


@dataclass
class _Parsed:
    departments: list[Department] = field(default_factory=list)
    service_points: list[tuple[ServicePoint, str | None, list[Hall]]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    themes: list[tuple[Theme, str, list[tuple[str, list[str]]]]] = field(default_factory=list)


def _section(data: dict, key: str, problems: _Problems) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        problems.add((key,), "应为列表 […]")
        return []
    return value


def _check_unique(values: list[tuple[tuple, str]], what: str, problems: _Problems) -> None:
    seen: dict[str, tuple] = {}
    for path, value in values:
        if not value:
            continue
        if value in seen:
            problems.add(path, f"{what}“{value}”与 {problems.where(seen[value])} 重复")
        else:
            seen[value] = path


def _validate(data: Any, problems: _Problems) -> _Parsed:
    parsed = _Parsed()
    if not isinstance(data, dict):
        problems.add((), '顶层应为对象 {"format": …, "departments": […], …}')
        return parsed
    if data.get("format", FORMAT) != FORMAT:
        problems.add(("format",), f"不支持的格式“{data.get('format')}”，应为 {FORMAT}")
    for key in sorted(set(data) - {"format", "departments", "service_points", "items", "themes"}):
        problems.add((key,), "未知的顶层字段")

    # Departments
    department_codes = set(Department.objects.values_list("code", flat=True))
    db_department_names = dict(Department.objects.values_list("name", "code"))
    names: list[tuple[tuple, str]] = []
    codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(_section(data, "departments", problems)):
        path = ("departments", i)
        dept = _build(Department, entry, path, problems, keys=DEPARTMENT_KEYS)
        if dept is None:
            continue
        parsed.departments.append(dept)
        codes.append((path, dept.code))
        names.append((path, dept.name))
        owner = db_department_names.get(dept.name)
        if owner and owner != dept.code:
            problems.add(path, f"部门名称“{dept.name}”已被部门 {owner} 使用", "name")
    _check_unique(codes, "部门编码", problems)
    _check_unique(names, "部门名称", problems)
    department_codes |= {d.code for d in parsed.departments}

    # Service points and halls
    db_points = dict(ServicePoint.objects.values_list("code", "level"))
    file_points = {}
    point_codes: list[tuple[tuple, str]] = []
    hall_codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(_section(data, "service_points", problems)):
        path = ("service_points", i)
        point = _build(
            ServicePoint,
            entry,
            path,
            problems,
            keys=[k for k in SERVICE_POINT_KEYS if k != "parent"],
            special=["parent", "halls"],
        )
        halls = []
        raw_halls = entry.get("halls", []) if isinstance(entry, dict) else []
        if not isinstance(raw_halls, list):
            problems.add(path, "应为列表 […]", "halls")
            raw_halls = []
        for j, hall_entry in enumerate(raw_halls):
            hall_path = (*path, "halls", j)
            hall = _build(Hall, hall_entry, hall_path, problems, keys=HALL_KEYS)
            if hall is not None:
                halls.append(hall)
                hall_codes.append((hall_path, hall.code))
        if point is None:
            continue
        parent = _text(entry.get("parent")) or None
        parsed.service_points.append((point, parent, halls))
        file_points[point.code] = (path, point, parent)
        point_codes.append((path, point.code))
    _check_unique(point_codes, "服务场所编码", problems)
    _check_unique(hall_codes, "大厅编码", problems)
    levels = {**db_points, **{code: p.level for code, (_, p, _) in file_points.items()}}
    expected_parent = {Level.DISTRICT: None, Level.STREET: Level.DISTRICT, Level.COMMUNITY: Level.STREET}
    for path, point, parent in file_points.values():
        if parent is not None and parent not in levels:
            problems.add(path, f"上级服务场所“{parent}”不存在", "parent")
        elif (
            point.level in expected_parent and (levels.get(parent) if parent else None) != expected_parent[point.level]
        ):
            problems.add(path, "区中心无上级；街道中心的上级是区中心；社区站的上级是街道中心", "parent")

    # Items
    types = {}
    for type_id, type_code, type_name in ItemType.objects.values_list("pk", "code", "name"):
        types[type_code] = types[type_name] = type_id
    item_codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(_section(data, "items", problems)):
        path = ("items", i)
        parsed_item = _validate_item(entry, path, problems, department_codes, types)
        if parsed_item is not None:
            parsed.items.append(parsed_item)
            item_codes.append((path, parsed_item["item"].implementation_code))
    _check_unique(item_codes, "实施编码", problems)
    # Codes of bad items count as known, so a theme naming one does not add a second, misleading problem.
    known_items = {
        _text(e.get("implementation_code")) for e in _section(data, "items", problems) if isinstance(e, dict)
    }
    missing = set()
    theme_refs = [
        _text(ref.get("item"))
        for theme in _section(data, "themes", problems)
        if isinstance(theme, dict) and isinstance(theme.get("items"), list)
        for ref in theme["items"]
        if isinstance(ref, dict)
    ]
    unknown_refs = sorted(set(theme_refs) - known_items)
    if unknown_refs:
        found = set(
            ServiceItem.objects.filter(implementation_code__in=unknown_refs).values_list(
                "implementation_code", flat=True
            )
        )
        missing = set(unknown_refs) - found
        known_items |= found

    # Themes
    theme_codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(_section(data, "themes", problems)):
        path = ("themes", i)
        theme = _build(
            Theme,
            entry,
            path,
            problems,
            keys=[k for k in THEME_KEYS if k != "lead_department"],
            special=["lead_department", "items"],
        )
        lead = _text(entry.get("lead_department")) if isinstance(entry, dict) else ""
        if isinstance(entry, dict) and lead not in department_codes:
            problems.add(path, f"牵头部门“{lead}”不存在" if lead else "必填", "lead_department")
        refs = entry.get("items", []) if isinstance(entry, dict) else []
        if not isinstance(refs, list):
            problems.add(path, "应为列表 […]", "items")
            refs = []
        entries: list[tuple[str, list[str]]] = []
        in_theme = [_text(r.get("item")) for r in refs if isinstance(r, dict)]
        seen_in_theme: set[str] = set()
        for j, ref in enumerate(refs):
            ref_path = (*path, "items", j)
            if not isinstance(ref, dict):
                problems.add(ref_path, '应为对象 {"item": …, "requires": […]}')
                continue
            for key in sorted(set(ref) - {"item", "requires"}):
                problems.add(ref_path, "未知字段", key)
            code = _text(ref.get("item"))
            requires = _list(ref, "requires", ref_path, problems) or []
            if code in missing or not code:
                problems.add(ref_path, f"事项“{code}”不存在" if code else "必填", "item")
            if code in seen_in_theme:
                problems.add(ref_path, f"事项“{code}”在主题中重复", "item")
            seen_in_theme.add(code)
            for req in requires:
                if req == code:
                    problems.add(ref_path, "事项不能以自身为前置事项", "requires")
                elif req not in in_theme:
                    problems.add(ref_path, f"前置事项“{req}”不在本主题中", "requires")
            entries.append((code, requires))
        cycle = find_cycle((req, code) for code, requires in entries for req in requires if req != code)
        if cycle:
            problems.add(path, "前置事项存在循环：" + " → ".join(cycle), "items")
        if theme is not None:
            parsed.themes.append((theme, lead, entries))
            theme_codes.append((path, theme.code))
    _check_unique(theme_codes, "主题编码", problems)
    return parsed


def _validate_item(
    entry: Any, path: tuple, problems: _Problems, department_codes: set[str], types: dict[str, int]
) -> dict | None:
    before = len(problems.messages)
    version = _build(
        ItemVersion,
        entry,
        path,
        problems,
        keys=[*VERSION_KEYS, "change_reason"],
        special=[
            "implementation_code",
            "basic_code",
            "department",
            "item_type",
            "supervising_department",
            "modes",
            "delivery",
            "materials",
            "steps",
        ],
        initial={"number": 1, "status": ItemVersion.Status.PUBLISHED},
    )
    if not isinstance(entry, dict):
        return None
    item = _build(ServiceItem, entry, path, problems, keys=["implementation_code", "basic_code"], check_unknown=False)
    department = _text(entry.get("department"))
    if department not in department_codes:
        problems.add(path, f"部门“{department}”不存在" if department else "必填", "department")
    supervising = _text(entry.get("supervising_department")) or None
    if supervising and supervising not in department_codes:
        problems.add(path, f"部门“{supervising}”不存在", "supervising_department")
    item_type = _text(entry.get("item_type"))
    if item_type not in types:
        problems.add(
            path,
            f"事项类型“{item_type}”不存在（可用名称或代码，如 行政许可 / 01）" if item_type else "必填",
            "item_type",
        )
    flags = {}
    for key, mapping in (("modes", MODE_FIELDS), ("delivery", DELIVERY_FIELDS)):
        chosen = _list(entry, key, path, problems)
        if chosen is None:
            continue
        for value in chosen:
            if value not in mapping:
                problems.add(path, f"未知取值“{value}”，可选：{', '.join(mapping)}", key)
        flags.update({attr: name in chosen for name, attr in mapping.items()})
    parts = {}
    for key, model, names in (("materials", Material, MATERIAL_FIELDS), ("steps", Step, STEP_FIELDS)):
        rows = entry.get(key, [])
        if not isinstance(rows, list):
            problems.add(path, "应为列表 […]", key)
            rows = []
        built = []
        for j, row in enumerate(rows):
            part = _build(model, row, (*path, key, j), problems, keys=names, initial={"order": j + 1})
            if part is not None:
                built.append(part)
        parts[key] = built
    if version is not None and len(problems.messages) == before:
        for attr, value in flags.items():
            setattr(version, attr, value)
        try:
            version.clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                problems.add(path, "；".join(messages), key)
    if len(problems.messages) != before or version is None or item is None:
        return None
    version.change_reason = _text(version.change_reason)
    return {
        "item": item,
        "version": version,
        "department": department,
        "supervising_department": supervising,
        "item_type": types[item_type],
        "materials": parts["materials"],
        "steps": parts["steps"],
    }


# -- writing -------------------------------------------------------------------------------------


def _fields_of(model: type[models.Model], keys: Iterable[str]) -> list[str]:
    return [model._meta.get_field(k).attname for k in keys]


def _upsert(
    model: type[models.Model], incoming: list[models.Model], keys: list[str], *, match: str = "code"
) -> tuple[dict[str, models.Model], int, int]:
    """Create missing rows and update changed ones by `match`; returns the rows by code and the two counts."""
    attnames = _fields_of(model, keys)
    codes = [getattr(obj, match) for obj in incoming]
    existing = {}
    for start in range(0, len(codes), _BATCH):
        existing.update(
            {getattr(o, match): o for o in model.objects.filter(**{f"{match}__in": codes[start : start + _BATCH]})}
        )
    new, changed = [], []
    for obj in incoming:
        current = existing.get(getattr(obj, match))
        if current is None:
            new.append(obj)
            continue
        differs = False
        absent = getattr(obj, "_absent", set())
        for name in attnames:
            if name not in absent and getattr(current, name) != getattr(obj, name):
                setattr(current, name, getattr(obj, name))
                differs = True
        if differs:
            changed.append(current)
    model.objects.bulk_create(new, batch_size=_BATCH)
    if changed:
        model.objects.bulk_update(changed, attnames, batch_size=_BATCH)
    rows = {**existing, **{getattr(o, match): o for o in new}}
    return rows, len(new), len(changed)


def _version_signature(version: ItemVersion, materials: Iterable[Material], steps: Iterable[Step]) -> tuple:
    element_attnames = _fields_of(ItemVersion, ELEMENT_FIELDS)
    return (
        tuple(getattr(version, name) for name in element_attnames),
        tuple(tuple(getattr(m, n) for n in MATERIAL_FIELDS) for m in materials),
        tuple(tuple(getattr(s, n) for n in STEP_FIELDS) for s in steps),
    )


def _write_items(parsed_items: list[dict], departments: dict[str, int], by: Any, report: ImportReport) -> None:
    codes = [p["item"].implementation_code for p in parsed_items]
    existing: dict[str, ServiceItem] = {}
    for start in range(0, len(codes), _BATCH):
        existing.update(
            {
                i.implementation_code: i
                for i in ServiceItem.objects.filter(implementation_code__in=codes[start : start + _BATCH])
            }
        )
    published_ids = [i.published_version_id for i in existing.values() if i.published_version_id]
    current_versions: dict[int, ItemVersion] = {}
    current_materials: dict[int, list[Material]] = {}
    current_steps: dict[int, list[Step]] = {}
    for start in range(0, len(published_ids), _BATCH):
        chunk = published_ids[start : start + _BATCH]
        current_versions.update({v.pk: v for v in ItemVersion.objects.filter(pk__in=chunk)})
        for m in Material.objects.filter(version_id__in=chunk).order_by("version_id", "order", "id"):
            current_materials.setdefault(m.version_id, []).append(m)
        for s in Step.objects.filter(version_id__in=chunk).order_by("version_id", "order", "id"):
            current_steps.setdefault(s.version_id, []).append(s)
    existing_ids = [i.pk for i in existing.values()]
    max_numbers: dict[int, int] = {}
    for start in range(0, len(existing_ids), _BATCH):
        max_numbers.update(
            ItemVersion.objects.filter(item_id__in=existing_ids[start : start + _BATCH])
            .values("item_id")
            .annotate(n=Max("number"))
            .values_list("item_id", "n")
        )

    now = timezone.now()
    publisher = by if getattr(by, "pk", None) else None
    new_items, revised, to_publish = [], [], []  # to_publish: (item, version, materials, steps)
    basic_code_changed = []
    for p in parsed_items:
        version: ItemVersion = p["version"]
        version.department_id = departments[p["department"]]
        version.supervising_department_id = (
            departments[p["supervising_department"]] if p["supervising_department"] else None
        )
        version.item_type_id = p["item_type"]
        item = existing.get(p["item"].implementation_code)
        if item is None:
            item = p["item"]
            mirror_elements(item, version)
            new_items.append(item)
            version.number = 1
            version.change_reason = version.change_reason or DEFAULT_NEW_REASON
            to_publish.append((item, version, p["materials"], p["steps"]))
            report.items_created += 1
            continue
        if item.basic_code != p["item"].basic_code:
            item.basic_code = p["item"].basic_code
            basic_code_changed.append(item)
        current = current_versions.get(item.published_version_id)
        if current is not None and _version_signature(
            current, current_materials.get(current.pk, []), current_steps.get(current.pk, [])
        ) == _version_signature(version, p["materials"], p["steps"]):
            report.items_unchanged += 1
            continue
        if current is not None:
            # Attachments are not in the file: a material keeps its blank form and sample by name.
            files = {m.name: (m.blank_form, m.sample) for m in current_materials.get(current.pk, [])}
            for m in p["materials"]:
                if m.name in files:
                    m.blank_form, m.sample = files[m.name]
        version.number = max_numbers.get(item.pk, 0) + 1
        version.change_reason = version.change_reason or DEFAULT_UPDATE_REASON
        mirror_elements(item, version)
        revised.append(item)
        to_publish.append((item, version, p["materials"], p["steps"]))
        report.items_updated += 1

    ServiceItem.objects.bulk_create(new_items, batch_size=_BATCH)
    versions = []
    for item, version, _, _ in to_publish:
        version.item_id = item.pk
        version.status = ItemVersion.Status.PUBLISHED
        version.published_at = now
        version.published_by = publisher
        versions.append(version)
    # bulk_create skips ItemVersion.save(), whose freeze check would refuse a row born published.
    ItemVersion.objects.bulk_create(versions, batch_size=_BATCH)
    materials, steps = [], []
    for _, version, item_materials, item_steps in to_publish:
        for m in item_materials:
            m.version_id = version.pk
            materials.append(m)
        for s in item_steps:
            s.version_id = version.pk
            steps.append(s)
    Material.objects.bulk_create(materials, batch_size=_BATCH)
    Step.objects.bulk_create(steps, batch_size=_BATCH)
    if revised:
        ServiceItem.objects.bulk_update(revised, MIRRORED_FIELDS, batch_size=_BATCH)
    # Each item's newest published version is the one just written: one UPDATE per batch, not one per item.
    newest = (
        ItemVersion.objects.filter(item=OuterRef("pk"), status=ItemVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    item_ids = [item.pk for item, _, _, _ in to_publish]
    for start in range(0, len(item_ids), _BATCH):
        ServiceItem.objects.filter(pk__in=item_ids[start : start + _BATCH]).update(published_version=Subquery(newest))
    for item, version, _, _ in to_publish:
        item.published_version = version
        report.new_versions.append(f"{item.implementation_code} v{version.number}")
    if basic_code_changed:
        ServiceItem.objects.bulk_update(basic_code_changed, ["basic_code"], batch_size=_BATCH)


def _default_order(rows: list[models.Model]) -> None:
    """Rows without `sort_order` take their position in the file (only new rows use it)."""
    for index, row in enumerate(rows, start=1):
        if "sort_order" in row._absent:
            row.sort_order = index


def _write(parsed: _Parsed, by: Any, report: ImportReport) -> None:
    _default_order(parsed.departments)
    _default_order([p for p, _, _ in parsed.service_points])
    for _, _, point_halls in parsed.service_points:
        _default_order(point_halls)
    departments, report.departments_created, report.departments_updated = _upsert(
        Department, parsed.departments, DEPARTMENT_KEYS
    )
    department_ids = dict(Department.objects.values_list("code", "pk"))

    point_ids = dict(ServicePoint.objects.values_list("code", "pk"))
    for level in _LEVEL_ORDER:
        batch = [(p, parent) for p, parent, _ in parsed.service_points if p.level == level]
        for point, parent in batch:
            point.parent_id = point_ids[parent] if parent else None
        point_keys = ["code", "name", "level", "address", "hours", "phone", "sort_order", "parent"]
        rows, created, updated = _upsert(ServicePoint, [p for p, _ in batch], point_keys)
        report.service_points_created += created
        report.service_points_updated += updated
        point_ids.update({code: row.pk for code, row in rows.items()})
    halls = []
    for point, _, point_halls in parsed.service_points:
        for hall in point_halls:
            hall.service_point_id = point_ids[point.code]
            halls.append(hall)
    _, report.halls_created, report.halls_updated = _upsert(Hall, halls, [*HALL_KEYS, "service_point"])

    _write_items(parsed.items, department_ids, by, report)

    themes = []
    for theme, lead, _ in parsed.themes:
        theme.lead_department_id = department_ids[lead]
        theme.name_initials = pinyin_keys(theme.name).initials[:100]
        themes.append(theme)
    theme_rows, report.themes_created, report.themes_updated = _upsert(
        Theme, themes, [k for k in THEME_KEYS if k != "lead_department"] + ["lead_department", "name_initials"]
    )
    if parsed.themes:
        theme_ids = [theme_rows[t.code].pk for t, _, _ in parsed.themes]
        ThemeItem.objects.filter(theme_id__in=theme_ids).delete()
        item_codes = {code for _, _, entries in parsed.themes for code, _ in entries}
        item_ids = dict(
            ServiceItem.objects.filter(implementation_code__in=item_codes).values_list("implementation_code", "pk")
        )
        entries_to_create = []
        for theme, _, entries in parsed.themes:
            for order, (code, _) in enumerate(entries, start=1):
                entries_to_create.append(
                    ThemeItem(theme_id=theme_rows[theme.code].pk, item_id=item_ids[code], order=order)
                )
        ThemeItem.objects.bulk_create(entries_to_create, batch_size=_BATCH)
        by_key = {(ti.theme_id, ti.item_id): ti.pk for ti in entries_to_create}
        through = ThemeItem.requires.through
        links = [
            through(
                from_themeitem_id=by_key[(theme_rows[theme.code].pk, item_ids[code])],
                to_themeitem_id=by_key[(theme_rows[theme.code].pk, item_ids[req])],
            )
            for theme, _, entries in parsed.themes
            for code, requires in entries
            for req in requires
        ]
        through.objects.bulk_create(links, batch_size=_BATCH)


def import_catalog(
    data: dict, *, by: Any = None, locations: dict[tuple, str] | None = None, known_problems: Iterable[str] = ()
) -> ImportReport:
    """Import a catalog dict (导入事项清单): everything or nothing; CatalogFileInvalid lists every problem."""
    require_catalog_editor(by)
    problems = _Problems(locations, known_problems)
    parsed = _validate(data, problems)
    if problems.messages:
        raise CatalogFileInvalid(problems.messages)
    report = ImportReport()
    try:
        with transaction.atomic():
            _write(parsed, by, report)
            audit.record(
                "catalog.import",
                object_type="catalog.catalog",
                object_id="import",
                by=by,
                after={**report.counts(), "new_versions": report.new_versions},
                reason="导入事项清单",
            )
    except IntegrityError as exc:
        raise CatalogFileInvalid([f"与数据库中已有数据冲突：{exc}"]) from None
    return report


# -- export --------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def export_catalog() -> dict:
    """The whole published catalog in the import format (导出事项清单)."""
    departments = [
        {key: getattr(d, key) for key in DEPARTMENT_KEYS} for d in Department.objects.order_by("sort_order", "code")
    ]
    points = []
    for p in ServicePoint.objects.select_related("parent").prefetch_related("halls").order_by("sort_order", "code"):
        row = {key: getattr(p, key) for key in SERVICE_POINT_KEYS if key != "parent"}
        row["parent"] = p.parent.code if p.parent else None
        row["halls"] = [
            {key: getattr(h, key) for key in HALL_KEYS}
            for h in sorted(p.halls.all(), key=lambda h: (h.sort_order, h.code))
        ]
        points.append({key: row[key] for key in [*SERVICE_POINT_KEYS, "halls"]})
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
    return {"format": FORMAT, "departments": departments, "service_points": points, "items": items, "themes": themes}


# -- files ---------------------------------------------------------------------------------------


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            f"不支持的文件类型“{path.suffix or '（无后缀）'}”：只支持 .json 和 .xlsx", fields={"file": "后缀"}
        )
    return suffix


def catalog_to_xlsx(data: dict) -> bytes:
    """The catalog as a workbook: one sheet per table, header row of the JSON keys."""
    rows: dict[str, list[list]] = {name: [] for name in SHEETS}

    def cells(entry: dict, keys: list[str]) -> list:
        out = []
        for key in keys:
            value = entry.get(key)
            out.append(",".join(value) if isinstance(value, list) else value)
        return out

    rows["departments"] = [cells(d, SHEETS["departments"]) for d in data.get("departments", [])]
    for p in data.get("service_points", []):
        rows["service_points"].append(cells(p, SHEETS["service_points"]))
        rows["halls"] += [[p["code"], *cells(h, HALL_KEYS)] for h in p.get("halls", [])]
    for item in data.get("items", []):
        rows["items"].append(cells(item, SHEETS["items"]))
        rows["materials"] += [
            [item["implementation_code"], *cells(m, MATERIAL_FIELDS)] for m in item.get("materials", [])
        ]
        rows["steps"] += [[item["implementation_code"], *cells(s, STEP_FIELDS)] for s in item.get("steps", [])]
    for t in data.get("themes", []):
        rows["themes"].append(cells(t, SHEETS["themes"]))
        rows["theme_items"] += [[t["code"], *cells(ti, ["item", "requires"])] for ti in t.get("items", [])]
    book = Workbook(write_only=True)
    for name, keys in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(keys)
        for row in rows[name]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_to_catalog(content: bytes) -> tuple[dict, dict[tuple, str], list[str]]:
    """Read a workbook back into the JSON shape; returns the data, where each entry came from, and sheet problems."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise CatalogFileInvalid([f"无法读取 Excel 文件：{exc}"]) from None
    problems: list[str] = []
    locations: dict[tuple, str] = {}
    tables: dict[str, list[tuple[int, dict]]] = {name: [] for name in SHEETS}
    for sheet in book.worksheets:
        if sheet.title not in SHEETS:
            problems.append(f"工作表“{sheet.title}”：未知工作表，可用：{', '.join(SHEETS)}")
            continue
        lines = sheet.iter_rows(values_only=True)
        header = [_text(h) for h in next(lines, ())]
        while header and not header[-1]:
            header.pop()
        unknown = [h for h in header if h not in SHEETS[sheet.title]]
        if unknown:
            problems.append(f"{sheet.title} 表第1行：未知列 {', '.join(unknown)}")
        for number, line in enumerate(lines, start=2):
            values = list(line[: len(header)])
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            entry: dict[str, Any] = {}
            for key, value in zip(header, values, strict=False):
                if key in LIST_KEYS:
                    entry[key] = [v.strip() for v in _text(value).replace("，", ",").split(",") if v.strip()]
                elif isinstance(value, str) and value.strip():
                    entry[key] = value.strip()
                elif value is not None and not isinstance(value, str):
                    entry[key] = value
                elif key in TEXT_KEYS:
                    entry[key] = ""
                elif key in NULL_KEYS:
                    entry[key] = None
            tables[sheet.title].append((number, entry))
    book.close()

    def where(sheet: str, number: int) -> str:
        return f"{sheet} 表第{number}行"

    data: dict[str, Any] = {"format": FORMAT, "departments": [], "service_points": [], "items": [], "themes": []}
    for i, (number, entry) in enumerate(tables["departments"]):
        data["departments"].append(entry)
        locations[("departments", i)] = where("departments", number)
    points: dict[str, dict] = {}
    for i, (number, entry) in enumerate(tables["service_points"]):
        entry["halls"] = []
        data["service_points"].append(entry)
        points.setdefault(_text(entry.get("code")), entry)
        locations[("service_points", i)] = where("service_points", number)
    point_index = {id(p): i for i, p in enumerate(data["service_points"])}
    for number, entry in tables["halls"]:
        owner = points.get(_text(entry.pop("service_point", None)))
        if owner is None:
            problems.append(f"{where('halls', number)}：service_point：服务场所不在 service_points 表中")
            continue
        locations[("service_points", point_index[id(owner)], "halls", len(owner["halls"]))] = where("halls", number)
        owner["halls"].append(entry)
    items: dict[str, tuple[int, dict]] = {}
    for i, (number, entry) in enumerate(tables["items"]):
        entry["materials"], entry["steps"] = [], []
        data["items"].append(entry)
        items.setdefault(_text(entry.get("implementation_code")), (i, entry))
        locations[("items", i)] = where("items", number)
    for sheet in ("materials", "steps"):
        for number, entry in tables[sheet]:
            code = _text(entry.pop("item", None))
            if code not in items:
                problems.append(f"{where(sheet, number)}：item：事项“{code}”不在 items 表中")
                continue
            index, owner = items[code]
            locations[("items", index, sheet, len(owner[sheet]))] = where(sheet, number)
            owner[sheet].append(entry)
    themes: dict[str, tuple[int, dict]] = {}
    for i, (number, entry) in enumerate(tables["themes"]):
        entry["items"] = []
        data["themes"].append(entry)
        themes.setdefault(_text(entry.get("code")), (i, entry))
        locations[("themes", i)] = where("themes", number)
    for number, entry in tables["theme_items"]:
        code = _text(entry.pop("theme", None))
        if code not in themes:
            problems.append(f"{where('theme_items', number)}：theme：主题“{code}”不在 themes 表中")
            continue
        index, owner = themes[code]
        locations[("themes", index, "items", len(owner["items"]))] = where("theme_items", number)
        owner["items"].append(entry)
    return data, locations, problems


def import_file(path: Path, *, by: Any = None) -> ImportReport:
    """Import a .json or .xlsx catalog file from disk."""
    suffix = check_suffix(path)
    if not path.is_file():
        raise InvalidInput(f"文件不存在：{path}", fields={"file": "不存在"})
    content = path.read_bytes()
    if suffix == ".json":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise CatalogFileInvalid(["文件不是 UTF-8 编码的文本"]) from None
        except json.JSONDecodeError as exc:
            raise CatalogFileInvalid([f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列 {exc.msg}"]) from None
        return import_catalog(data, by=by)
    data, locations, problems = xlsx_to_catalog(content)
    return import_catalog(data, by=by, locations=locations, known_problems=problems)


def export_file(path: Path) -> dict:
    """Write the catalog to a .json or .xlsx file; returns the exported data."""
    suffix = check_suffix(path)
    if not path.parent.is_dir():
        raise InvalidInput(f"目录不存在：{path.parent}", fields={"file": "目录不存在"})
    data = export_catalog()
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        path.write_bytes(catalog_to_xlsx(data))
    return data
