"""Sections an app above the catalog adds to the catalog file (扩展节): the seam through which, e.g., the application
forms (电子申请表) travel with the catalog's import and export without the catalog importing them.

An app registers a `Section` from its AppConfig.ready. The catalog then, for JSON and XLSX alike:

- accepts the section's top-level key (after `themes`, in the order sections were registered) and its sheets;
- validates it with every other section before anything is written (全部或全不): `validate(entries, problems,
  parsed)` adds every problem to `problems` (named by JSON path, or by the sheet row it was read from) and returns
  what it parsed, which later sections read from `parsed.extra[key]`;
- asks `changed_items(parsed_section)`, before the items are written, which items (实施编码) the section changes
  although their own elements did not change: each of them gets a new published version like a changed item;
- calls `write(parsed_section, written)` in the import's transaction after the catalog's own rows, and adds the
  counts it returns (name → number) to the ImportReport;
- calls `export()` for the section's entries, and `to_rows(entries)` / `from_rows(tables, problems)` to turn them
  into the rows of its sheets and back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onewindow.catalog.importexport.problems import Problems
    from onewindow.catalog.importexport.validation import ParsedCatalog
    from onewindow.catalog.models import ItemVersion


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: its name and header (the JSON keys), how an empty cell reads (`text` keys as "",
    `null` keys as null, any other as left out), and `lists` read from comma-separated text."""

    name: str
    columns: tuple[str, ...]
    text: frozenset[str] = frozenset()
    null: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Written:
    """What the catalog wrote before the sections write: per item (实施编码) of the file, its published version
    after the import, and — for the items that got a new version — the version it replaced (None for a new item)."""

    by: Any
    published: dict[str, ItemVersion] = field(default_factory=dict)
    replaced: dict[str, ItemVersion | None] = field(default_factory=dict)


# The rows of a sheet as read: (row number, the entry keyed by the header).
Rows = list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Section:
    """An extra top-level section of the catalog file (see the module's docstring for when each callback runs).

    `from_rows(tables, problems)` gets the rows of the section's sheets by sheet name, adds sheet problems (each
    a whole message naming sheet and row) and returns the section's entries and, for each JSON path below the
    section (`(key, 0, "fields", 2)`), where it was read (`form_fields 表第4行`).
    """

    key: str
    validate: Callable[[list, Problems, ParsedCatalog], Any]
    write: Callable[[Any, Written], dict[str, int]]
    export: Callable[[], list]
    sheets: tuple[Sheet, ...] = ()
    to_rows: Callable[[list], dict[str, list[list]]] = lambda entries: {}
    from_rows: Callable[[dict[str, Rows], list[str]], tuple[list, dict[tuple, str]]] = lambda tables, problems: ([], {})
    changed_items: Callable[[Any], set[str]] = lambda parsed: set()
    # How the import's summary names each count `write` returns (`{"forms_written": "申请表 写入"}`).
    labels: Mapping[str, str] = field(default_factory=dict)


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or, from a second ready(), replace) a section; its key and sheet names must not be the catalog's."""
    from onewindow.catalog.importexport.format import SECTIONS
    from onewindow.catalog.importexport.xlsx import SHEETS

    if section.key in SECTIONS or any(sheet.name in SHEETS for sheet in section.sheets):
        raise ValueError(f"section {section.key!r} clashes with the catalog's own sections or sheets")
    _sections[section.key] = section


def registered() -> list[Section]:
    """The registered sections, in the order they were first registered."""
    return list(_sections.values())
