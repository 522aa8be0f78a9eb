"""Validating the themes section (一件事主题): fields, lead department, the items of each theme and their
prerequisites (前置事项), which must stay inside the theme and form no cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onewindow.catalog.dag import find_cycle
from onewindow.catalog.importexport.format import THEME_KEYS
from onewindow.catalog.importexport.problems import Problems, check_unique
from onewindow.catalog.importexport.rows import build_row, string_list, text
from onewindow.catalog.models import ServiceItem, Theme


@dataclass
class ParsedTheme:
    """A checked theme, its lead department's code, and its items in order as (code, prerequisite codes)."""

    theme: Theme
    lead_department: str
    entries: list[tuple[str, list[str]]]


def validate_themes(
    entries: list, problems: Problems, department_codes: set[str], item_entries: list
) -> list[ParsedTheme]:
    """The file's themes; an item they name must be in the file's items or already in the database."""
    missing = _missing_items(entries, item_entries)
    parsed: list[ParsedTheme] = []
    theme_codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(entries):
        path = ("themes", i)
        theme = build_row(
            Theme,
            entry,
            path,
            problems,
            keys=[k for k in THEME_KEYS if k != "lead_department"],
            special=["lead_department", "items"],
        )
        lead = text(entry.get("lead_department")) if isinstance(entry, dict) else ""
        if isinstance(entry, dict) and lead not in department_codes:
            problems.add(path, f"牵头部门“{lead}”不存在" if lead else "必填", "lead_department")
        theme_entries = _validate_theme_items(entry, path, problems, missing)
        if theme is not None:
            parsed.append(ParsedTheme(theme=theme, lead_department=lead, entries=theme_entries))
            theme_codes.append((path, theme.code))
    check_unique(theme_codes, "主题编码", problems)
    return parsed


def _missing_items(entries: list, item_entries: list) -> set[str]:
    """Item codes the themes name that are neither in the file nor in the database."""
    # Codes of bad items count as known, so a theme naming one does not add a second, misleading problem.
    known = {text(e.get("implementation_code")) for e in item_entries if isinstance(e, dict)}
    named = {
        text(ref.get("item"))
        for theme in entries
        if isinstance(theme, dict) and isinstance(theme.get("items"), list)
        for ref in theme["items"]
        if isinstance(ref, dict)
    }
    unknown = sorted(named - known)
    if not unknown:
        return set()
    found = set(
        ServiceItem.objects.filter(implementation_code__in=unknown).values_list("implementation_code", flat=True)
    )
    return set(unknown) - found


def _validate_theme_items(
    entry: Any, path: tuple, problems: Problems, missing: set[str]
) -> list[tuple[str, list[str]]]:
    refs = entry.get("items", []) if isinstance(entry, dict) else []
    if not isinstance(refs, list):
        problems.add(path, "应为列表 […]", "items")
        refs = []
    entries: list[tuple[str, list[str]]] = []
    in_theme = [text(r.get("item")) for r in refs if isinstance(r, dict)]
    seen_in_theme: set[str] = set()
    for j, ref in enumerate(refs):
        ref_path = (*path, "items", j)
        if not isinstance(ref, dict):
            problems.add(ref_path, '应为对象 {"item": …, "requires": […]}')
            continue
        for key in sorted(set(ref) - {"item", "requires"}):
            problems.add(ref_path, "未知字段", key)
        code = text(ref.get("item"))
        requires = string_list(ref, "requires", ref_path, problems) or []
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
    return entries
