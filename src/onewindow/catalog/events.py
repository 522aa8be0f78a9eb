"""Declared events of the catalog (事项清单事件): what later apps may learn of an editor's acts on items.

Sent by the act inside its transaction (see `core.events`): a receiver connected plainly runs in that transaction
and keeps its own rows consistent with the act (an item version's application form follows it into the draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from onewindow.core.events import Event

if TYPE_CHECKING:
    from onewindow.catalog.models import ItemVersion


@dataclass(frozen=True)
class VersionDrafted:
    """A new draft of an item was opened from its published version (新建草稿)."""

    draft: ItemVersion
    source: ItemVersion  # the published version the draft copies
    by: Any  # who acted; None is the system


version_drafted = Event(
    "version_drafted", VersionDrafted,
    "A draft was opened as a copy of the item's published version; receivers copy what belongs to a version "
    "(its application form) into the draft.")
