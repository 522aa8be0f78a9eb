"""Checking a whole catalog file before anything is written, one module per section: every problem is found
and reported at once, with where it is (全部或全不)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onewindow.catalog.importexport.format import FORMAT, SECTIONS
from onewindow.catalog.importexport.problems import Problems
from onewindow.catalog.importexport.rows import normalise_keys
from onewindow.catalog.importexport.sections import registered
from onewindow.catalog.importexport.validation.departments import validate_departments
from onewindow.catalog.importexport.validation.items import ParsedItem, validate_items
from onewindow.catalog.importexport.validation.service_points import ParsedServicePoint, validate_service_points
from onewindow.catalog.importexport.validation.themes import ParsedTheme, validate_themes
from onewindow.catalog.models import Department


@dataclass
class ParsedCatalog:
    """The checked file, as unsaved rows ready to be written."""

    departments: list[Department] = field(default_factory=list)
    service_points: list[ParsedServicePoint] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    themes: list[ParsedTheme] = field(default_factory=list)
    # What each registered section (sections.py) parsed, by its key, and the file's item entries as given.
    extra: dict[str, Any] = field(default_factory=dict)
    item_entries: list = field(default_factory=list)


def validate(data: Any, problems: Problems) -> ParsedCatalog:
    """Check `data` section by section, adding to `problems`; what is parsed is only written if none are found.

    Codes and references are normalised first (rows.key_text), so a code with a trailing or a full-width space
    names the same row as the code without.
    """
    data = normalise_keys(data)
    if not isinstance(data, dict):
        problems.add((), '顶层应为对象 {"format": …, "departments": […], …}')
        return ParsedCatalog()
    if data.get("format", FORMAT) != FORMAT:
        problems.add(("format",), f"不支持的格式“{data.get('format')}”，应为 {FORMAT}")
    extra_sections = registered()
    for key in sorted(set(data) - {"format", *SECTIONS, *(s.key for s in extra_sections)}):
        problems.add((key,), "未知的顶层字段")
    # Each section is read once, in file order, so a section that is not a list is reported once, in place.
    departments, department_codes = validate_departments(_section(data, "departments", problems), problems)
    service_points = validate_service_points(_section(data, "service_points", problems), problems)
    item_entries = _section(data, "items", problems)
    items = validate_items(item_entries, problems, department_codes)
    themes = validate_themes(_section(data, "themes", problems), problems, department_codes, item_entries)
    parsed = ParsedCatalog(
        departments=departments, service_points=service_points, items=items, themes=themes, item_entries=item_entries
    )
    # The sections of the apps above the catalog, checked with the rest before anything is written.
    for section in extra_sections:
        parsed.extra[section.key] = section.validate(_section(data, section.key, problems), problems, parsed)
    return parsed


def _section(data: dict, key: str, problems: Problems) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        problems.add((key,), "应为列表 […]")
        return []
    return value
