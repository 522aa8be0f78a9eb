"""Re-importing the catalog changes a theme's items in place: an item that stays keeps its entry, which the
packages applied for (一件事办件) refer to."""

import pytest

from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.models import ThemeItem
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db


def entries():
    return {
        ti.item.implementation_code: (ti.pk, ti.order, sorted(r.item.implementation_code for r in ti.requires.all()))
        for ti in ThemeItem.objects.select_related("item").prefetch_related("requires__item")
    }


def test_renaming_a_theme_by_import_keeps_its_entries():
    data = catalog_data(4)
    import_catalog(data)
    before = entries()
    data["themes"][0]["name"] = "开办餐饮店"

    import_catalog(data)

    assert entries() == before


def test_reordering_and_dropping_theme_items_by_import_keeps_the_entries_that_stay():
    data = catalog_data(4)
    import_catalog(data)
    first, second = (ref["item"] for ref in data["themes"][0]["items"])
    kept_pk = entries()[second][0]
    third = data["items"][2]["implementation_code"]
    data["themes"][0]["items"] = [{"item": second, "requires": []}, {"item": third, "requires": [second]}]

    import_catalog(data)

    after = entries()
    assert set(after) == {second, third}
    assert after[second] == (kept_pk, 1, [])
    assert after[third][1:] == (2, [second])
    first_entry = ThemeItem.all_entries.filter(item__implementation_code=first)
    assert not first_entry.exists(), "an entry no package refers to is deleted, not kept as retired"
