"""Figures other apps keep about the catalog's items, shown beside the 三减 figures (减材料、减环节、减时限).

The catalog is the lowest domain app: what cases know of an item (how many fields of its application form were
prefilled or typed, 减填写) lives above it. An app above registers a `FigureProvider` here, as it subscribes to
events; the department page and `onewindow catalog reductions` show every registered provider's table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from onewindow.catalog.models import ServiceItem

Number = int | float | None


@dataclass(frozen=True)
class Column:
    """One figure: a stable key, its label and unit (lazy translations: Chinese, with their English)."""

    key: str
    label: Any
    unit: Any = ""


@dataclass(frozen=True)
class FigureTable:
    """One provider's figures over a set of items: per item id its values in column order (only the items it has
    figures for), and the totals over the set (a provider says how each column adds up, e.g. a weighted mean)."""

    title: Any
    columns: tuple[Column, ...]
    rows: dict[int, tuple[Number, ...]]
    totals: tuple[Number, ...]
    note: Any = ""  # how the totals are made, shown under them

    def total_cells(self) -> list[tuple[Column, Number]]:
        return list(zip(self.columns, self.totals, strict=True))


class FigureProvider(Protocol):
    def item_figures(self, item_ids: Sequence[int]) -> FigureTable:
        """The figures of the items `item_ids` (ServiceItem ids), in a constant number of queries."""


_providers: list[FigureProvider] = []


def register(provider: FigureProvider) -> None:
    """Add a provider (once: a second ready() registers nothing new)."""
    if not any(type(p) is type(provider) for p in _providers):
        _providers.append(provider)


def item_figures(item_ids: Sequence[int]) -> list[FigureTable]:
    """Every registered provider's figures over `item_ids`."""
    return [provider.item_figures(item_ids) for provider in _providers]


@dataclass(frozen=True)
class ShownRow:
    """An item's row in a table as a page or the command shows it."""

    item: ServiceItem
    cells: list[tuple[Column, Number]]


def shown_rows(table: FigureTable) -> list[ShownRow]:
    """The table's rows with their items (name, 实施编码), in 实施编码 order; one query."""
    items = ServiceItem.objects.filter(pk__in=table.rows).order_by("implementation_code")
    return [ShownRow(item, list(zip(table.columns, table.rows[item.pk], strict=True))) for item in items]
