"""The items of a theme (一件事主题事项) and their prerequisites (前置事项)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from onewindow.catalog.acts.common import require_catalog_editor
from onewindow.catalog.dag import find_cycle
from onewindow.catalog.models import ServiceItem, Theme, ThemeItem
from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import composable


def replace_theme_items(theme: Theme, entries: Sequence[tuple[int, Sequence[int]]]) -> None:
    """Make `entries` (item id, prerequisite item ids), in order, the theme's items, in place: an item that stays
    keeps its entry, which the packages applied for (一件事办件) refer to; only items left out are removed.

    A building block of set_theme_items and the catalog import, inside their transaction: no permission check,
    no audit.
    """
    rows = {entry.item_id: entry for entry in ThemeItem.objects.filter(theme=theme)}
    wanted = [item_id for item_id, _ in entries]
    dropped = [entry.pk for item_id, entry in rows.items() if item_id not in wanted]
    try:
        # Django finds the protecting packages before it deletes anything: a refusal leaves the transaction usable.
        ThemeItem.objects.filter(pk__in=dropped).delete()
    except models.ProtectedError:
        raise Conflict(
            f"主题“{theme.name}”中要移出的事项已有一件事办件，不能移出", code=ErrorCode.IN_USE, fields={"items": "已有办件"}
        ) from None
    moved, new = [], []
    for order, item_id in enumerate(wanted, start=1):
        entry = rows.get(item_id)
        if entry is None:
            new.append(ThemeItem(theme=theme, item_id=item_id, order=order))
        elif entry.order != order:
            entry.order = order
            moved.append(entry)
    ThemeItem.objects.bulk_update(moved, ["order"])
    ThemeItem.objects.bulk_create(new)
    by_item = {**rows, **{entry.item_id: entry for entry in new}}
    through = ThemeItem.requires.through
    through.objects.filter(from_themeitem__theme=theme).delete()
    through.objects.bulk_create(
        through(from_themeitem_id=by_item[item_id].pk, to_themeitem_id=by_item[required].pk)
        for item_id, requires in entries
        for required in requires
    )


@composable
def set_theme_items(theme: Theme, entries: Sequence[tuple[ServiceItem, Sequence[ServiceItem]]], *, by: Any) -> Theme:
    """Replace a theme's items (一件事事项) with `(item, prerequisites)` pairs, in order."""
    require_catalog_editor(by)
    items_in_theme = {item.pk for item, _ in entries}
    if len(items_in_theme) != len(entries):
        raise InvalidInput("同一事项在主题中出现了两次", fields={"items": "重复"})
    for item, requires in entries:
        outside = [r.name for r in requires if r.pk not in items_in_theme]
        if outside:
            raise InvalidInput(f"前置事项须在同一主题中：{'、'.join(outside)}", fields={"requires": "不在主题中"})
        if any(r.pk == item.pk for r in requires):
            raise InvalidInput(f"事项“{item.name}”不能以自身为前置事项", fields={"requires": "自身"})
    cycle = find_cycle((r.name, item.name) for item, requires in entries for r in requires)
    if cycle:
        raise InvalidInput("前置事项存在循环：" + " → ".join(cycle), fields={"requires": "存在循环"})
    before = list(theme.theme_items.values_list("item__implementation_code", flat=True))
    replace_theme_items(theme, [(item.pk, [r.pk for r in requires]) for item, requires in entries])
    audit.record(
        "catalog.theme.items",
        obj=theme,
        by=by,
        before={"items": before},
        after={"items": [item.implementation_code for item, _ in entries]},
    )
    return theme
