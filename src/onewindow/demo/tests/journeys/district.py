"""Small things the journeys' worlds share: an item published under the name people search for."""

from __future__ import annotations


def publish_as(item, name: str, **fields) -> None:
    """Give the item's published version `name` (and `fields`), and mirror it onto the item with its pinyin."""
    from onewindow.catalog.acts.items import mirror_published
    from onewindow.catalog.models import ItemVersion

    ItemVersion.objects.filter(pk=item.published_version_id).update(name=name, **fields)
    item.published_version.refresh_from_db()
    item.save(update_fields=mirror_published(item, item.published_version))
