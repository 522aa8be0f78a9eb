"""The catalog as an Excel workbook and back: one sheet per table, a header row of the JSON keys; rows of a
child table (halls, materials, steps, theme items) name their parent in the first column."""

from __future__ import annotations

import io
from typing import Any

from django.db import models
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from onewindow.catalog.importexport.format import (
    DEPARTMENT_KEYS,
    FORMAT,
    HALL_KEYS,
    ITEM_KEYS,
    SECTIONS,
    SERVICE_POINT_KEYS,
    THEME_KEYS,
)
from onewindow.catalog.importexport.problems import CatalogFileInvalid
from onewindow.catalog.importexport.rows import split_list, text
from onewindow.catalog.models import Department, Hall, ItemVersion, Material, ServiceItem, ServicePoint, Step, Theme
from onewindow.catalog.selectors import MATERIAL_FIELDS, STEP_FIELDS

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
# Child sheets: (sheet, column naming the parent, the parent's section, the list in the parent entry, problem).
_CHILD_SHEETS = (
    ("halls", "service_point", "service_points", "halls", "service_point：服务场所不在 service_points 表中"),
    ("materials", "item", "items", "materials", "item：事项“{code}”不在 items 表中"),
    ("steps", "item", "items", "steps", "item：事项“{code}”不在 items 表中"),
    ("theme_items", "theme", "themes", "items", "theme：主题“{code}”不在 themes 表中"),
)
# The column a child row uses to name its parent.
_PARENT_CODE = {"service_points": "code", "items": "implementation_code", "themes": "code"}
LIST_KEYS = {"modes", "delivery", "requires"}
# An empty cell is "" for a text column, null for these, and "not given" (the default) otherwise.
NULL_KEYS = {"parent", "supervising_department", "fee_amount"}
TEXT_KEYS = {
    f.name
    for model in (Department, ServicePoint, Hall, ServiceItem, ItemVersion, Material, Step, Theme)
    for f in model._meta.concrete_fields
    if isinstance(f, models.CharField | models.TextField) and not f.choices
} - {"department", "item_type"}


def catalog_to_xlsx(data: dict) -> bytes:
    """The catalog as a workbook: one sheet per table, header row of the JSON keys."""
    rows: dict[str, list[list]] = {name: [] for name in SHEETS}
    rows["departments"] = [_cells(d, SHEETS["departments"]) for d in data.get("departments", [])]
    for p in data.get("service_points", []):
        rows["service_points"].append(_cells(p, SHEETS["service_points"]))
        rows["halls"] += [[p["code"], *_cells(h, HALL_KEYS)] for h in p.get("halls", [])]
    for item in data.get("items", []):
        rows["items"].append(_cells(item, SHEETS["items"]))
        rows["materials"] += [
            [item["implementation_code"], *_cells(m, MATERIAL_FIELDS)] for m in item.get("materials", [])
        ]
        rows["steps"] += [[item["implementation_code"], *_cells(s, STEP_FIELDS)] for s in item.get("steps", [])]
    for t in data.get("themes", []):
        rows["themes"].append(_cells(t, SHEETS["themes"]))
        rows["theme_items"] += [[t["code"], *_cells(ti, ["item", "requires"])] for ti in t.get("items", [])]
    book = Workbook(write_only=True)
    for name, keys in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(keys)
        for row in rows[name]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(entry: dict, keys: list[str]) -> list:
    """One row of cells; a list (modes, delivery, requires) is written comma-separated."""
    out = []
    for key in keys:
        value = entry.get(key)
        out.append(",".join(value) if isinstance(value, list) else value)
    return out


def xlsx_to_catalog(content: bytes) -> tuple[dict, dict[tuple, str], list[str]]:
    """Read a workbook back into the JSON shape; returns the data, where each entry came from, and sheet problems."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise CatalogFileInvalid([f"无法读取 Excel 文件：{exc}"]) from None
    problems: list[str] = []
    tables: dict[str, list[tuple[int, dict]]] = {name: [] for name in SHEETS}
    for sheet in book.worksheets:
        if sheet.title not in SHEETS:
            problems.append(f"工作表“{sheet.title}”：未知工作表，可用：{', '.join(SHEETS)}")
            continue
        tables[sheet.title] += _read_sheet(sheet, problems)
    book.close()
    data, locations = _assemble(tables, problems)
    return data, locations, problems


def _read_sheet(sheet: Worksheet, problems: list[str]) -> list[tuple[int, dict]]:
    """The sheet's non-empty rows as (row number, entry), keyed by the header row."""
    lines = sheet.iter_rows(values_only=True)
    header = [text(h) for h in next(lines, ())]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in SHEETS[sheet.title]]
    if unknown:
        problems.append(f"{sheet.title} 表第1行：未知列 {', '.join(unknown)}")
    entries = []
    for number, line in enumerate(lines, start=2):
        values = list(line[: len(header)])
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        entry: dict[str, Any] = {}
        for key, value in zip(header, values, strict=False):
            if key in LIST_KEYS:
                entry[key] = split_list(text(value))
            elif isinstance(value, str) and value.strip():
                entry[key] = value.strip()
            elif value is not None and not isinstance(value, str):
                entry[key] = value
            elif key in TEXT_KEYS:
                entry[key] = ""
            elif key in NULL_KEYS:
                entry[key] = None
        entries.append((number, entry))
    return entries


def _where(sheet: str, number: int) -> str:
    return f"{sheet} 表第{number}行"


def _assemble(tables: dict[str, list[tuple[int, dict]]], problems: list[str]) -> tuple[dict, dict[tuple, str]]:
    """The JSON shape from the tables: child rows go into their parent entry, in sheet order."""
    data: dict[str, Any] = {"format": FORMAT, **{section: [] for section in SECTIONS}}
    locations: dict[tuple, str] = {}
    parents: dict[str, dict[str, tuple[int, dict]]] = {section: {} for section in _PARENT_CODE}
    for section in SECTIONS:
        for i, (number, entry) in enumerate(tables[section]):
            for _, _, parent_section, key, _ in _CHILD_SHEETS:
                if parent_section == section:
                    entry[key] = []
            data[section].append(entry)
            if section in _PARENT_CODE:
                parents[section].setdefault(text(entry.get(_PARENT_CODE[section])), (i, entry))
            locations[(section, i)] = _where(section, number)
    for sheet, column, section, key, problem in _CHILD_SHEETS:
        for number, entry in tables[sheet]:
            code = text(entry.pop(column, None))
            if code not in parents[section]:
                problems.append(f"{_where(sheet, number)}：{problem.format(code=code)}")
                continue
            index, owner = parents[section][code]
            locations[(section, index, key, len(owner[key]))] = _where(sheet, number)
            owner[key].append(entry)
    return data, locations
