"""The catalog as an Excel workbook and back: one sheet per table, a header row of the JSON keys; rows of a
child table (halls, materials, steps, theme items) name their parent in the first column. The sheets of the
registered sections (sections.py) follow the catalog's own."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
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
from onewindow.catalog.importexport.rows import key_text, split_list, text
from onewindow.catalog.importexport.sections import Sheet, registered
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
    headers: dict[str, list[str]] = dict(SHEETS)
    for section in registered():
        section_rows = section.to_rows(data.get(section.key, []))
        for extra in section.sheets:
            headers[extra.name] = list(extra.columns)
            rows[extra.name] = section_rows.get(extra.name, [])
    book = Workbook(write_only=True)
    for name, keys in headers.items():
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
    """Read a workbook back into the JSON shape; returns the data, where each entry came from, and sheet problems.

    Cells are read as a catalog editor means them: a cell merged down over several rows gives its value to each
    of them; a formula gives the value the spreadsheet computed (one without a stored value is refused, naming the
    cell); a date cell is a date in a text column and the serial number it stores in a number column. Empty rows
    are skipped wherever they are.
    """
    formulas_or_merges = _has_formulas_or_merges(content)
    try:
        # A workbook with formulas or merged cells is read twice: the values (each formula's stored result, the
        # merges) and the formulas (to name those without a result). Any other is read once, streamed.
        book = load_workbook(io.BytesIO(content), read_only=not formulas_or_merges, data_only=True)
        formulas = load_workbook(io.BytesIO(content), read_only=True) if formulas_or_merges else None
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CatalogFileInvalid([f"无法读取 Excel 文件：{exc}"]) from None
    problems: list[str] = []
    sheets = _sheets()
    tables: dict[str, list[tuple[int, dict]]] = {name: [] for name in sheets}
    for sheet in book.worksheets:
        if sheet.title not in sheets:
            problems.append(f"工作表“{sheet.title}”：未知工作表，可用：{', '.join(sheets)}")
            continue
        if formulas is not None:
            _check_formulas(sheet, formulas[sheet.title], problems)
        tables[sheet.title] += _read_sheet(sheet, sheets[sheet.title], problems, book.epoch)
    book.close()
    if formulas is not None:
        formulas.close()
    data, locations = _assemble(tables, problems)
    for section in registered():
        entries, section_locations = section.from_rows({s.name: tables[s.name] for s in section.sheets}, problems)
        data[section.key] = entries
        locations.update(section_locations)
    return data, locations, problems


def _sheets() -> dict[str, Sheet]:
    """Every sheet a workbook may hold: the catalog's, then the registered sections'."""
    own = {
        name: Sheet(name, tuple(keys), text=frozenset(TEXT_KEYS), null=frozenset(NULL_KEYS), lists=frozenset(LIST_KEYS))
        for name, keys in SHEETS.items()
    }
    return own | {sheet.name: sheet for section in registered() for sheet in section.sheets}


_FORMULA_OR_MERGE = re.compile(rb"<(?:\w+:)?(?:f|mergeCell)[\s>/]")


def _has_formulas_or_merges(content: bytes) -> bool:
    """Whether any sheet holds a formula or a merged cell: a quick look at the sheets' XML, so that a plain
    workbook (what `export` writes) is read in one streamed pass."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return any(
                _FORMULA_OR_MERGE.search(archive.read(name))
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError, KeyError):
        return False  # load_workbook reports what is wrong with the file


def _check_formulas(sheet: Worksheet, formulas: Any, problems: list[str]) -> None:
    """A formula cell without a stored result (a workbook written by a program, never opened in a spreadsheet
    application) is refused, naming the cell: read as empty it would silently become the default."""
    for line in formulas.iter_rows():
        for cell in line:
            if getattr(cell, "data_type", None) != "f":
                continue
            if sheet.cell(row=cell.row, column=cell.column).value is None:
                formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
                problems.append(
                    gettext_noop("%(sheet)s 表 %(cell)s 单元格：公式“%(formula)s”没有计算结果，"
                                 "请在电子表格软件中打开并保存后再导入，或填入数值")
                    % {"sheet": sheet.title, "cell": cell.coordinate, "formula": formula}
                )


def _merged_values(sheet: Worksheet | ReadOnlyWorksheet, problems: list[str]) -> dict[tuple[int, int], Any]:
    """The value each cell covered by a merge takes: a merge down one column gives its value to every row of it;
    a merge across columns (or over the header) has no one meaning and is refused, naming its cells."""
    filled: dict[tuple[int, int], Any] = {}
    # A streamed sheet (read only, not a Worksheet) is one of a workbook without merges.
    for merged in sheet.merged_cells.ranges if isinstance(sheet, Worksheet) else ():
        if merged.min_col != merged.max_col or merged.min_row == 1:
            problems.append(
                gettext_noop("%(sheet)s 表 %(cells)s：合并单元格跨越多列或包含表头，无法确定各行的值，请取消合并")
                % {"sheet": sheet.title, "cells": merged.coord}
            )
            continue
        value = sheet.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(merged.min_row + 1, merged.max_row + 1):
            filled[(row, merged.min_col)] = value
    return filled


def _cell_value(value: Any, key: str, epoch: dt.datetime, text_keys: frozenset[str]) -> Any:
    """A date or time cell as a person reads it: text (2026-01-05, 09:00) in a text column, the serial number the
    cell stores in any other column (a number typed into a column formatted as a date)."""
    if not isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return value
    if key in text_keys:
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        if isinstance(value, dt.time):
            return value.strftime("%H:%M") if not value.second else value.isoformat()
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    return to_excel(value, epoch=epoch)


def _read_sheet(
    sheet: Worksheet | ReadOnlyWorksheet, spec: Sheet, problems: list[str], epoch: dt.datetime
) -> list[tuple[int, dict]]:
    """The sheet's non-empty rows as (row number, entry), keyed by the header row."""
    lines = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
    header = [text(h) for h in next(lines, ())]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in spec.columns]
    if unknown:
        problems.append(f"{sheet.title} 表第1行：未知列 {', '.join(unknown)}")
    filled = _merged_values(sheet, problems)
    entries = []
    for number, line in enumerate(lines, start=2):
        own = list(line[: len(header)])
        # A row is empty by its own cells: one that only a merge from above reaches is still an empty row.
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in own):
            continue
        values = [filled.get((number, column), v) for column, v in enumerate(own, start=1)]
        entry: dict[str, Any] = {}
        for key, value in zip(header, values, strict=False):
            value = _cell_value(value, key, epoch, spec.text)
            if key in spec.lists:
                entry[key] = split_list(text(value))
            elif isinstance(value, str) and value.strip():
                entry[key] = value.strip()
            elif value is not None and not isinstance(value, str):
                entry[key] = value
            elif key in spec.text:
                entry[key] = ""
            elif key in spec.null:
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
                parents[section].setdefault(key_text(entry.get(_PARENT_CODE[section])), (i, entry))
            locations[(section, i)] = _where(section, number)
    for sheet, column, section, key, problem in _CHILD_SHEETS:
        for number, entry in tables[sheet]:
            code = key_text(entry.pop(column, None))
            if code not in parents[section]:
                problems.append(f"{_where(sheet, number)}：{problem.format(code=code)}")
                continue
            index, owner = parents[section][code]
            locations[(section, index, key, len(owner[key]))] = _where(sheet, number)
            owner[key].append(entry)
    return data, locations
