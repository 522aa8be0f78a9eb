"""The items of a theme (一件事主题事项) and their prerequisites (前置事项)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import ForeignObjectRel

from onewindow.catalog.acts.common import require_catalog_editor
from onewindow.catalog.dag import find_cycle
from onewindow.catalog.models import ServiceItem, Theme, ThemeItem
from onewindow.core import audit
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable, moment


def replace_theme_items(
    theme: Theme, entries: Sequence[tuple[int, Sequence[int]]], *, at: dt.datetime | None = None
) -> None:
    """Make `entries` (item id, prerequisite item ids), in order, the theme's items, in place: an item that stays
    keeps its entry, which the packages applied for (一件事办件) refer to. An item left out is deleted from the
    theme if nothing refers to its entry, and retired (`retired_at`, like an item's superseded version) if a
    package does: never deleted under the packages. An item taken back in gets its retired entry back.

    A building block of set_theme_items and the catalog import, inside their transaction: no permission check,
    no audit.
    """
    when, _ = moment(at)
    rows = {entry.item_id: entry for entry in ThemeItem.all_entries.filter(theme=theme)}
    wanted = [item_id for item_id, _ in entries]
    dropped = [entry.pk for item_id, entry in rows.items() if item_id not in wanted and entry.retired_at is None]
    in_use = _entries_in_use(dropped)
    ThemeItem.all_entries.filter(pk__in=in_use).update(retired_at=when)
    ThemeItem.all_entries.filter(pk__in=set(dropped) - in_use).delete()
    moved, new = [], []
    for order, item_id in enumerate(wanted, start=1):
        entry = rows.get(item_id)
        if entry is None:
            new.append(ThemeItem(theme=theme, item_id=item_id, order=order))
        elif entry.order != order or entry.retired_at is not None:
            entry.order, entry.retired_at = order, None
            moved.append(entry)
    ThemeItem.all_entries.bulk_update(moved, ["order", "retired_at"])
    ThemeItem.all_entries.bulk_create(new)
    by_item = {**rows, **{entry.item_id: entry for entry in new}}
    through = ThemeItem.requires.through
    # A retired entry takes no part in the theme's prerequisites; a package keeps its own copy of them.
    through.objects.filter(from_themeitem__theme=theme).delete()
    through.objects.bulk_create(
        through(from_themeitem_id=by_item[item_id].pk, to_themeitem_id=by_item[required].pk)
        for item_id, requires in entries
        for required in requires
    )


def _entries_in_use(entry_ids: Sequence[int]) -> set[int]:
    """The entries among `entry_ids` that a row of another app protects (a package's sub-case): found through the
    model's relations, as the catalog knows nothing of the apps above it."""
    used: set[int] = set()
    if not entry_ids:
        return used
    # Hidden relations too: a package's sub-case points at its entry without a reverse name (related_name="+").
    for relation in ThemeItem._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many or relation.related_model is None:
            continue
        if relation.on_delete is not models.PROTECT:
            continue
        column = relation.field.name
        used.update(
            relation.related_model._base_manager.filter(**{f"{column}__in": entry_ids})
            .values_list(column, flat=True)
            .distinct()
        )
    return used


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
