import pytest

from onewindow.catalog import services
from onewindow.catalog.importexport import CatalogFileInvalid, import_catalog
from onewindow.catalog.models import Theme
from onewindow.catalog.tests.factories import ServiceItemFactory, ThemeFactory, catalog_data
from onewindow.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_a_theme_whose_prerequisites_loop_is_refused_on_import():
    data = catalog_data(3)
    a, b = (i["implementation_code"] for i in data["items"][:2])
    data["themes"][0]["items"] = [{"item": a, "requires": [b]}, {"item": b, "requires": [a]}]

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert raised.value.problems == [f"themes[0]：items：前置事项存在循环：{b} → {a} → {b}"]
    assert not Theme.objects.exists()


def test_a_theme_whose_prerequisites_loop_is_refused_by_the_service(editor):
    theme = ThemeFactory()
    a = ServiceItemFactory(name="甲事项")
    b = ServiceItemFactory(name="乙事项")

    with pytest.raises(InvalidInput, match="前置事项存在循环"):
        services.set_theme_items(theme, [(a, [b]), (b, [a])], by=editor)

    assert not theme.theme_items.exists()


def test_a_theme_keeps_its_items_in_order_with_their_prerequisites(editor):
    theme = ThemeFactory()
    a, b, c = ServiceItemFactory.create_batch(3)

    services.set_theme_items(theme, [(a, []), (b, [a]), (c, [a, b])], by=editor)

    entries = list(theme.theme_items.order_by("order"))
    assert [e.item for e in entries] == [a, b, c]
    assert sorted(r.item.pk for r in entries[2].requires.all()) == sorted([a.pk, b.pk])
