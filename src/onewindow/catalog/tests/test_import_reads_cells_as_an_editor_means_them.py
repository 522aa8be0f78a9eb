"""An XLSX catalog is read as the catalog editor who filled it in means it (issue 10 §1): merged cells, formulas,
numbers stored as text or after arithmetic, date cells and empty rows never fall back to a default silently."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from onewindow.catalog.importexport import CatalogFileInvalid, catalog_to_xlsx, import_catalog, xlsx_to_catalog
from onewindow.catalog.importexport.format import ITEM_KEYS
from onewindow.catalog.models import ItemVersion, ServiceItem
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db


def column(key):
    return get_column_letter(ITEM_KEYS.index(key) + 1)


def workbook(n_items=3):
    return load_workbook(io.BytesIO(catalog_to_xlsx(catalog_data(n_items))))


def import_book(book):
    out = io.BytesIO()
    book.save(out)
    data, locations, problems = xlsx_to_catalog(out.getvalue())
    return import_catalog(data, locations=locations, known_problems=problems)


def refused(book):
    with pytest.raises(CatalogFileInvalid) as raised:
        import_book(book)
    assert not ServiceItem.objects.exists(), "a refused file must write nothing"
    return raised.value.problems


def version(row):
    """The published version of the item on `row` of the items sheet (row 2 is catalog_data's item 0)."""
    code = catalog_data(1)["items"][0]["implementation_code"][:-5] + f"{row - 2:05d}"
    return ServiceItem.objects.get(implementation_code=code).published_version


def test_a_merged_max_extension_days_applies_to_every_row_of_the_merge():
    book = workbook()
    sheet = book["items"]
    sheet[f"{column('max_extension_days')}2"] = 5
    sheet.merge_cells(f"{column('max_extension_days')}2:{column('max_extension_days')}4")

    import_book(book)

    assert [version(row).max_extension_days for row in (2, 3, 4)] == [5, 5, 5]


def test_a_merged_fee_free_false_applies_to_every_row_that_carries_a_fee():
    book = workbook()
    sheet = book["items"]
    for row in (2, 3, 4):
        sheet[f"{column('fee_amount')}{row}"] = 20
    sheet[f"{column('fee_free')}2"] = False
    sheet.merge_cells(f"{column('fee_free')}2:{column('fee_free')}4")

    import_book(book)

    assert [(version(row).fee_free, version(row).fee_amount) for row in (2, 3, 4)] == [(False, 20)] * 3


def test_a_merge_across_columns_is_refused_naming_its_cells():
    book = workbook()
    first, second = column("handling_place"), column("handling_hours")
    book["items"].merge_cells(f"{first}3:{second}3")

    problems = refused(book)

    assert any(p.startswith(f"items 表 {first}3:{second}3：合并单元格跨越多列") for p in problems), problems


def test_a_row_that_only_a_merge_reaches_is_an_empty_row():
    book = workbook(2)
    sheet = book["items"]
    letter = column("max_extension_days")
    sheet[f"{letter}3"] = 7
    sheet.merge_cells(f"{letter}3:{letter}5")  # rows 4 and 5 are otherwise empty

    report = import_book(book)

    assert report.items_created == 2
    assert version(3).max_extension_days == 7


def test_a_formula_without_a_stored_value_is_refused_naming_the_cell():
    book = workbook()
    cell = f"{column('online_depth')}3"
    book["items"][cell] = "=2+2"  # openpyxl, like any program, writes the formula without computing it

    problems = refused(book)

    assert f"items 表 {cell} 单元格：公式“=2+2”没有计算结果，请在电子表格软件中打开并保存后再导入，或填入数值" in problems


def test_promised_days_of_2_5_is_refused_with_sheet_row_and_column():
    book = workbook()
    book["items"][f"{column('promised_days')}3"] = 2.5

    problems = refused(book)

    assert "items 表第3行：promised_days：应为整数，不是“2.5”" in problems


def test_a_number_a_spreadsheet_computed_as_9_999999999999998_is_10():
    book = workbook()
    book["items"][f"{column('promised_days')}2"] = 9.999999999999998
    book["items"][f"{column('max_extension_days')}2"] = 4.000000000000001

    import_book(book)

    assert (version(2).promised_days, version(2).max_extension_days) == (10, 4)


def test_numbers_stored_as_text_are_read_as_numbers():
    book = workbook()
    sheet = book["items"]
    sheet[f"{column('promised_days')}2"] = " 12 "
    sheet[f"{column('statutory_days')}2"] = "２０"  # full-width digits
    sheet[f"{column('visits')}2"] = "0"
    sheet[f"{column('fee_free')}2"] = "FALSE"
    sheet[f"{column('fee_amount')}2"] = "35.50"

    import_book(book)

    v = version(2)
    assert (v.promised_days, v.statutory_days, v.visits, v.fee_free, str(v.fee_amount)) == (12, 20, 0, False, "35.50")


def test_a_number_in_a_column_formatted_as_a_date_is_the_number_it_stores():
    book = workbook()
    cell = book["items"][f"{column('promised_days')}2"]
    cell.value = 8
    cell.number_format = "yyyy-mm-dd"  # shows 1900-01-08; openpyxl reads it back as a date

    import_book(book)

    assert version(2).promised_days == 8


def test_a_date_in_a_text_column_is_the_date_as_written():
    book = workbook()
    cell = book["items"][f"{column('time_limit_note')}2"]
    cell.value = dt.datetime(2026, 3, 1)
    cell.number_format = "yyyy-mm-dd"

    import_book(book)

    assert version(2).time_limit_note == "2026-03-01"


def test_empty_rows_in_the_middle_are_skipped_and_rows_keep_their_sheet_numbers():
    book = workbook(3)
    sheet = book["items"]
    sheet.insert_rows(3, amount=2)  # rows 3 and 4 empty between item 0 and item 1
    sheet[f"{column('promised_days')}6"] = 2.5  # item 2, now on row 6

    problems = refused(book)
    assert problems == ["items 表第6行：promised_days：应为整数，不是“2.5”"]

    sheet[f"{column('promised_days')}6"] = 6
    report = import_book(book)
    assert report.items_created == 3 and ItemVersion.objects.count() == 3


def test_every_problem_of_a_bad_workbook_is_listed_at_once_and_nothing_is_written():
    book = workbook()
    sheet = book["items"]
    sheet[f"{column('online_depth')}2"] = "=2+2"
    sheet[f"{column('promised_days')}3"] = 2.5
    sheet.merge_cells(f"{column('handling_place')}4:{column('handling_hours')}4")
    sheet[f"{column('department')}4"] = "NOPE"
    book["materials"]["D2"] = "two"  # copies

    problems = refused(book)

    assert len(problems) == 5, problems
    assert any(p.startswith(f"items 表 {column('online_depth')}2 单元格：公式") for p in problems)
    assert "items 表第3行：promised_days：应为整数，不是“2.5”" in problems
    assert any(p.startswith("items 表 ") and "合并单元格" in p for p in problems)
    assert "items 表第4行：department：部门“NOPE”不存在" in problems
    assert "materials 表第2行：copies：应为整数，不是“two”" in problems
