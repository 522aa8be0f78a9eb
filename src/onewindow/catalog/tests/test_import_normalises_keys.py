"""One key normaliser for JSON and XLSX (issue 10 §1): a code with a trailing, a full-width or an invisible space,
or with full-width letters and digits, names the row that already has the code, never a second one."""

import io

import pytest
from openpyxl import load_workbook

from onewindow.catalog.importexport import catalog_to_xlsx, import_catalog, xlsx_to_catalog
from onewindow.catalog.importexport.rows import key_text
from onewindow.catalog.models import Department, ItemVersion, ServiceItem, Theme, ThemeItem
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db

CODE = "11500103MB1234567X4500001000001"


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    "spelling",
    [CODE + " ", CODE + "\u3000", "\u3000" + CODE, CODE + "\u200b", full_width(CODE), " " + full_width(CODE) + "\t"],
    ids=["trailing space", "trailing full-width space", "leading full-width space", "zero-width space",
         "full-width characters", "full-width with spaces"],
)
def test_a_json_import_with_a_spaced_code_updates_the_existing_item(spelling):
    data = catalog_data(3)
    import_catalog(data)
    data["items"][1]["implementation_code"] = spelling
    data["items"][1]["promised_days"] = 3
    data["items"][1]["change_reason"] = "压缩时限"

    report = import_catalog(data)

    assert (report.items_created, report.items_updated) == (0, 1)
    assert list(ServiceItem.objects.filter(implementation_code__contains="45000010").values_list(
        "implementation_code", flat=True).order_by("implementation_code")) == [
        "11500103MB1234567X4500001000000", CODE, "11500103MB1234567X4500001000002"]
    item = ServiceItem.objects.get(implementation_code=CODE)
    assert (item.published_version.number, item.published_version.promised_days) == (2, 3)


def test_references_to_departments_themes_and_items_are_normalised_the_same_way():
    data = catalog_data(3)
    import_catalog(data)
    data["departments"][0]["code"] = "ＳＣＪ "
    data["items"][0]["department"] = "SCJ\u3000"
    data["items"][0]["supervising_department"] = " ｓｃｊ".upper()
    data["themes"][0]["code"] = "restaurant\u3000"
    data["themes"][0]["lead_department"] = "ＳＣＪ"
    data["themes"][0]["items"][1] = {"item": full_width(CODE), "requires": ["11500103MB1234567X4500001000000 "]}

    report = import_catalog(data)

    assert report.departments_created == report.themes_created == report.items_created == 0
    assert Department.objects.count() == 2 and Theme.objects.get().code == "restaurant"
    assert ItemVersion.objects.count() == 3
    entry = ThemeItem.objects.get(item__implementation_code=CODE)
    assert [r.item.implementation_code for r in entry.requires.all()] == ["11500103MB1234567X4500001000000"]


def test_an_xlsx_import_with_spaced_codes_updates_the_existing_item_and_finds_its_children():
    data = catalog_data(3)
    import_catalog(data)
    book = load_workbook(io.BytesIO(catalog_to_xlsx(data)))
    book["items"]["A3"] = CODE + "\u3000"
    book["materials"]["A4"] = full_width(CODE)  # item 1's first material names its item in full width
    book["theme_items"]["B3"] = " " + CODE
    out = io.BytesIO()
    book.save(out)
    parsed, locations, problems = xlsx_to_catalog(out.getvalue())

    report = import_catalog(parsed, locations=locations, known_problems=problems)

    assert problems == []
    assert (report.items_created, report.items_updated, report.items_unchanged) == (0, 0, 3)
    assert ServiceItem.objects.count() == 3


def test_the_normaliser_keeps_what_is_inside_a_code():
    assert key_text("  ＳＣＪ-０１\u3000") == "SCJ-01"
    assert key_text("A B") == "A B"
    assert key_text(None) == ""
    assert key_text(12) == "12"
