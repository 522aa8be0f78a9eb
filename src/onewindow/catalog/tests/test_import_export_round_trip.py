import pytest

from onewindow.catalog import selectors
from onewindow.catalog.importexport import catalog_to_xlsx, export_catalog, import_catalog, xlsx_to_catalog
from onewindow.catalog.models import ItemVersion, ServiceItem, ThemeItem
from onewindow.catalog.tests.factories import catalog_data
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_import_creates_published_items_departments_points_halls_and_themes(editor):
    report = import_catalog(catalog_data(4), by=editor)

    assert (report.departments_created, report.service_points_created, report.halls_created) == (2, 2, 1)
    assert (report.items_created, report.themes_created) == (4, 1)
    item = selectors.get_published_item("11500103MB1234567X4500001000000")
    assert item.name == "营业执照核发" and item.name_initials == "yyzzhf"
    version = item.published_version
    assert (version.number, version.change_reason, version.published_by) == (1, "首次发布", editor)
    assert [m.name for m in version.material_list] == ["申请书", "营业执照副本"]
    assert [str(s.days) for s in version.step_list] == ["1.0", "2.5"]
    entry = ThemeItem.objects.get(item__implementation_code="11500103MB1234567X4500001000001")
    assert [r.item.implementation_code for r in entry.requires.all()] == ["11500103MB1234567X4500001000000"]
    assert AuditEvent.objects.filter(action="catalog.import").count() == 1


def test_exported_json_imports_back_unchanged():
    import_catalog(catalog_data(5))
    exported = export_catalog()

    report = import_catalog(exported)

    assert (report.items_created, report.items_updated, report.items_unchanged) == (0, 0, 5)
    assert report.departments_updated == report.service_points_updated == report.halls_updated == 0
    assert export_catalog() == exported
    assert ItemVersion.objects.count() == 5


def test_the_export_carries_what_was_imported():
    original = catalog_data(3)
    import_catalog(original)

    exported = export_catalog()

    by_code = {i["implementation_code"]: i for i in exported["items"]}
    for item in original["items"]:
        out = by_code[item["implementation_code"]]
        for key, value in item.items():
            if key == "item_type":
                continue  # exported by name; "01" and "行政许可" name the same type
            assert out[key] == value, key
        assert out["item_type"] == "行政许可"
    assert exported["themes"][0]["items"] == original["themes"][0]["items"]
    assert exported["service_points"][0]["halls"][0]["code"] == "YZ-1F-ZH"


def test_xlsx_round_trips_to_the_same_catalog():
    import_catalog(catalog_data(5))
    exported = export_catalog()

    data, _, problems = xlsx_to_catalog(catalog_to_xlsx(exported))

    assert problems == []
    assert data == exported
    report = import_catalog(data)
    assert report.items_unchanged == 5 and report.items_created == report.items_updated == 0


def test_a_changed_item_gets_a_new_published_version_with_its_reason():
    data = catalog_data(2)
    import_catalog(data)
    data["items"][0]["promised_days"] = 3
    data["items"][0]["materials"].pop()
    data["items"][0]["change_reason"] = "压缩时限、减少材料"

    report = import_catalog(data)

    assert (report.items_updated, report.items_unchanged) == (1, 1)
    item = ServiceItem.objects.get(implementation_code=data["items"][0]["implementation_code"])
    current = item.published_version
    assert (current.number, current.promised_days, current.change_reason) == (2, 3, "压缩时限、减少材料")
    assert current.materials.count() == 1
    r = selectors.item_reduction(item)
    assert (r.materials_cut, r.days_cut) == (1, 2)


def test_importing_560_items_takes_bulk_statements_not_a_query_per_item(django_assert_max_num_queries):
    data = catalog_data(560)

    # Batches only: SQLite's bound-parameter limit splits the 40-column version rows into ~25 inserts.
    with django_assert_max_num_queries(140):
        report = import_catalog(data)

    assert report.items_created == 560
    assert ServiceItem.objects.filter(published_version__isnull=False).count() == 560
