"""The data element dictionary and the items' forms travel with the catalog's JSON and XLSX import and export: all
or nothing, every problem named where it is (JSON path, or sheet, row and column) in Chinese and English; what an
export writes, an empty database imports back to the same export; a published form is never changed — a form that
differs gives its item a new published version."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from onewindow.catalog.importexport import (
    CatalogFileInvalid,
    catalog_to_xlsx,
    export_catalog,
    import_catalog,
    import_file,
    write_catalog,
    xlsx_to_catalog,
)
from onewindow.catalog.management.commands.catalog import Command
from onewindow.catalog.models import ItemVersion, ServiceItem
from onewindow.catalog.tests.factories import catalog_data
from onewindow.core.models import AuditEvent
from onewindow.forms import selectors
from onewindow.forms.models import DataElement, FormField, FormRule, FormVersion
from onewindow.forms.tests.factories import ELEMENTS, RESTAURANT_RULES, restaurant_fields

pytestmark = pytest.mark.django_db

FIRST = "11500103MB1234567X4500001000000"
SECOND = "11500103MB1234567X4500001000001"


def catalog_with_forms(n_items: int = 3) -> dict[str, Any]:
    """A catalog file with the dictionary and two forms: the restaurant's on the first item (its floor plan a file
    field for the item's 申请书) and a short one with a table on the second."""
    data = catalog_data(n_items)
    data["data_elements"] = [
        {"code": code, "name_zh": zh, "name_en": en, "standard": standard, "kind": kind, "source": "",
         "source_key": "", "authoritative": False}
        for code, zh, en, standard, kind in ELEMENTS
    ]
    data["data_elements"][0].update(source="account", source_key="display_name", authoritative=True)
    data["forms"] = [
        {"item": FIRST, "title": "食品经营许可申请表", "replaces": "申请书", "fields": restaurant_fields(material="申请书"),
         "rules": copy.deepcopy(RESTAURANT_RULES)},
        {"item": SECOND, "title": "", "fields": [
            {"key": "applicant_name", "kind": "text", "label_zh": "申请人名称", "label_en": "Applicant name",
             "required": True, "element": "applicant_name"},
            {"key": "shareholders", "kind": "table", "label_zh": "股东", "label_en": "Shareholders", "min_length": 1,
             "columns": [{"key": "name", "kind": "text", "label_zh": "姓名", "label_en": "Name", "required": True},
                         {"key": "share", "kind": "number", "label_zh": "出资比例", "label_en": "Share",
                          "unit": "%", "min_value": 0.01, "max_value": 100}]},
            {"key": "code", "kind": "text", "label_zh": "编号", "label_en": "Number", "pattern": "^[A-Z]{2}[0-9]{4}$",
             "help_zh": "两个大写字母加四位数字", "help_en": "Two capitals and four digits"},
        ], "rules": []},
    ]
    return data


def _rows() -> tuple[int, ...]:
    return (DataElement.objects.count(), FormVersion.objects.count(), FormField.objects.count(),
            FormRule.objects.count(), ServiceItem.objects.count(), ItemVersion.objects.count(),
            AuditEvent.objects.count())


def _field(data: dict, form: int, key: str) -> dict[str, Any]:
    return next(f for f in data["forms"][form]["fields"] if f["key"] == key)


class _Rollback(Exception):
    pass


def _exported_then_forgotten(data: dict) -> dict:
    """What an export of `data` writes, with the database left empty again."""
    try:
        with transaction.atomic():
            write_catalog(data, by=None)
            exported = export_catalog()
            raise _Rollback
    except _Rollback:
        pass
    assert _rows() == (0,) * 7
    return exported


# -- what goes in comes out --------------------------------------------------------------------------------------
def test_an_import_writes_the_dictionary_and_each_items_form_on_its_published_version():
    report = import_catalog(catalog_with_forms())

    assert (report.extra["data_elements_created"], report.extra["forms_written"]) == (len(ELEMENTS), 2)
    assert report.summary().endswith("；数据元 新增6；更新0；申请表 写入2；随新版本沿用0")
    applicant = DataElement.objects.get(code="applicant_name")
    assert (applicant.standard, applicant.source, applicant.authoritative) == ("GB/T 39046 申请人名称", "account", True)
    item = ServiceItem.objects.get(implementation_code=FIRST)
    form, spec = selectors.item_form(FIRST)
    assert form.item_version == item.published_version and form.title == "食品经营许可申请表"
    assert form.replaces.name == "申请书" and form.replaces.version == item.published_version
    assert [f.key for f in spec.fields][-1] == "floor_plan"
    plan = FormField.objects.get(form=form, key="floor_plan")
    assert plan.material.name == "申请书" and plan.material.version == item.published_version
    staff = spec.field("staff")
    assert [c.key for c in staff.columns] == ["name", "id_number", "hours"]
    assert spec.field("kitchen_area").shown_when.equals == "catering"
    assert [r.kind for r in spec.rules] == ["lte", "sum_lte", "required_if"]
    _, second = selectors.item_form(SECOND)
    assert second.field("code").pattern == "^[A-Z]{2}[0-9]{4}$"
    assert str(second.field("shareholders").columns[1].min_value) == "0.01"


def test_an_export_imported_into_an_empty_database_exports_the_same_document():
    exported = _exported_then_forgotten(catalog_with_forms())
    assert [f["item"] for f in exported["forms"]] == [FIRST, SECOND]
    assert _field(exported, 0, "floor_plan")["material"] == "申请书"

    import_catalog(exported)

    assert export_catalog() == exported


def test_an_exported_workbook_reads_back_to_the_same_document_and_imports_into_an_empty_database():
    exported = _exported_then_forgotten(catalog_with_forms())

    data, _, problems = xlsx_to_catalog(catalog_to_xlsx(exported))

    assert problems == []
    assert data == exported
    import_catalog(data)
    assert export_catalog() == exported


def test_the_workbook_has_a_sheet_per_table_and_a_tables_columns_name_their_table():
    book = load_workbook(io.BytesIO(catalog_to_xlsx(catalog_with_forms())), read_only=True)

    assert {"data_elements", "forms", "form_fields", "form_rules"} <= set(book.sheetnames)
    rows = list(book["form_fields"].iter_rows(values_only=True))
    assert rows[0][:4] == ("item", "table", "key", "kind")
    assert (FIRST, "staff", "id_number") in {r[:3] for r in rows}
    rule = next(r for r in book["form_rules"].iter_rows(values_only=True) if r[1] == "required_if")
    assert rule[5] == "retail"  # a text value is written as typed, not as JSON


def test_importing_the_export_again_changes_nothing():
    import_catalog(catalog_with_forms())
    before = _rows()

    report = import_catalog(export_catalog())

    assert (report.items_unchanged, report.items_updated, report.extra["forms_written"]) == (3, 0, 0)
    assert report.extra["data_elements_updated"] == 0
    assert _rows()[:6] == before[:6]


# -- a published form is frozen -------------------------------------------------------------------------------
def test_a_changed_form_for_a_published_version_gives_the_item_a_new_version_and_leaves_the_old_form_alone():
    data = catalog_with_forms()
    import_catalog(data)
    old_form, _ = selectors.item_form(FIRST)
    _field(data, 0, "floor_area")["max_value"] = 5000
    data["items"][0]["change_reason"] = "申请表：经营面积上限改为5000平方米"

    report = import_catalog(data)

    assert (report.items_updated, report.items_unchanged, report.extra["forms_written"]) == (1, 2, 1)
    item = ServiceItem.objects.get(implementation_code=FIRST)
    assert (item.published_version.number, item.published_version.change_reason) == (2, "申请表：经营面积上限改为5000平方米")
    _, spec = selectors.item_form(FIRST)
    assert spec.field("floor_area").max_value == 5000
    old_form.refresh_from_db()
    assert selectors.spec_of(old_form).field("floor_area").max_value == 100000
    assert old_form.item_version.number == 1


def test_a_form_the_file_leaves_out_follows_its_item_into_the_new_version():
    data = catalog_with_forms()
    import_catalog(data)
    data["items"][0]["promised_days"] = 3
    data.pop("forms")

    report = import_catalog(data)

    assert (report.items_updated, report.extra["forms_carried"]) == (1, 1)
    form, spec = selectors.item_form(FIRST)
    assert form.item_version.number == 2 and spec.field("floor_plan").material_name == "申请书"
    assert form.replaces.name == "申请书" and form.replaces.version == form.item_version
    assert FormField.objects.get(form=form, key="floor_plan").material.version == form.item_version


def test_a_left_out_form_whose_material_the_file_drops_is_refused_naming_the_item():
    data = catalog_with_forms()
    import_catalog(data)
    data.pop("forms")
    data["items"][0]["materials"] = [m for m in data["items"][0]["materials"] if m["name"] != "申请书"]
    before = _rows()

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    problems = raised.value.problems
    assert any(p.startswith("items[0]：materials：现行申请表的文件字段“平面图”对应材料“申请书”")
               and "/ file field “平面图” of the current form" in p for p in problems), problems
    assert any(p.startswith("items[0]：materials：现行申请表替代的材料“申请书”")
               and "/ the current form stands for material “申请书”" in p for p in problems), problems
    assert _rows() == before


def test_the_kind_of_an_element_that_fields_use_does_not_change():
    data = catalog_with_forms()
    import_catalog(data)
    data["data_elements"][4]["kind"] = "text"  # floor_area, a number on the restaurant's form
    before = _rows()

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert any(p.startswith("data_elements[4]：kind：数据元“floor_area”已被申请表字段使用") for p in raised.value.problems)
    assert _rows() == before


# -- every bad input is named, and nothing is written ---------------------------------------------------------
def _set(form: int, field_key: str, **changes: Any):
    def spoil(data: dict) -> None:
        _field(data, form, field_key).update(changes)
    return spoil


def _append_field(form: int, field: dict):
    def spoil(data: dict) -> None:
        data["forms"][form]["fields"].append(field)
    return spoil


def _rule(index: int, **changes: Any):
    def spoil(data: dict) -> None:
        data["forms"][0]["rules"][index].update(changes)
    return spoil


def _form(index: int, **changes: Any):
    def spoil(data: dict) -> None:
        data["forms"][index].update(changes)
    return spoil


def _element(index: int, **changes: Any):
    def spoil(data: dict) -> None:
        data["data_elements"][index].update(changes)
    return spoil


BAD = {
    "bad kind": (_set(0, "opening_date", kind="datetime"),
                 "forms[0].fields[6]：kind：未知的字段类型“datetime” / unknown field kind “datetime”"),
    "bad element kind": (_element(1, kind="identity"), "data_elements[1]：kind："),
    "unknown element": (_set(0, "contact_mobile", element="phone_number"),
                        "forms[0].fields[9]：element：数据元“phone_number”不在数据元字典中 / data element"),
    "element kind mismatch": (_set(0, "floor_area", kind="text"),
                              "forms[0].fields[4]：element：映射数据元“经营面积”的字段，标识应为“floor_area”，类型应为“数字”"),
    "unknown material": (_set(0, "floor_plan", material="房屋平面图"),
                         "forms[0].fields[10]：material：文件字段须对应本事项版本的一份申请材料 / a file field"),
    "unknown material of a column": (
        _append_field(1, {"key": "files", "kind": "table", "label_zh": "附件", "columns": [
            {"key": "scan", "kind": "file", "label_zh": "扫描件", "material": "不存在的材料"}]}),
        "forms[1].fields[3].columns[0]：material：材料“不存在的材料”不在本文件该事项的 materials 中 / "),
    "bad regex": (_set(1, "code", pattern="^[A-Z"),
                  "forms[1].fields[2]：pattern：格式不是有效的正则表达式 / the pattern is not a valid regular expression"),
    "condition on a later field": (_set(0, "kitchen_area", shown_when={"field": "opening_date", "equals": "x"}),
                                   "forms[0].fields[5]：shown_when：显示条件引用的字段“opening_date”不在本字段之前"),
    "condition on an unknown field": (_set(0, "kitchen_area", shown_when={"field": "nope", "equals": "x"}),
                                      "forms[0].fields[5]：shown_when：显示条件引用的字段“nope”不在本字段之前 / "),
    "condition on a value not in the code list": (
        _set(0, "kitchen_area", shown_when={"field": "business_type", "in": ["hotel"]}),
        "forms[0].fields[5]：shown_when：显示条件的值不在“经营类型”的代码表中"),
    "rule on a missing field": (_rule(0, b="shop_area"),
                                "forms[0].rules[0]：规则引用的字段“shop_area”不存在 / the rule names field(s) “shop_area”"),
    "unknown rule": (_rule(1, kind="sum_gte"), "forms[0].rules[1]：未知的规则“sum_gte”"),
    "duplicate key": (_set(0, "weekly_hours", key="floor_area", element=""),
                      "forms[0].fields[8]：key：字段标识“floor_area”重复 / the key “floor_area” is repeated"),
    "duplicate column key": (lambda d: _field(d, 1, "shareholders")["columns"][1].update(key="name"),
                             "forms[1].fields[1]：columns：表格的列标识不能重复"),
    "table column outside a table": (_set(1, "code", columns=[{"key": "x", "kind": "text", "label_zh": "X"}]),
                                     "forms[1].fields[2]：columns：只有表格字段才有列 / only a table field has columns"),
    "a table without columns": (_set(1, "shareholders", columns=[]), "forms[1].fields[1]：columns：表格至少要有一列"),
    "required not a boolean": (_set(1, "code", required="maybe"),
                               "forms[1].fields[2]：required：应为 true 或 false / must be true or false"),
    "a limit not a whole number": (_set(1, "code", max_length=2.5),
                                   "forms[1].fields[2]：max_length：应为非负整数，不是“2.5” / must be a whole number"),
    "a value not a number": (_set(1, "code", min_value="lots"), "forms[1].fields[2]：min_value：应为数字，不是“lots”"),
    "choices not a list": (_set(0, "business_type", choices="catering,retail"),
                           "forms[0].fields[3]：choices：应为代码表"),
    "condition not an object": (_set(0, "kitchen_area", shown_when="business_type=catering"),
                                "forms[0].fields[5]：shown_when：应为显示条件"),
    "fields not a list": (_form(1, fields={"key": "x"}), "forms[1]：fields：应为列表 […] / must be a list"),
    "a field not an object": (_form(1, fields=["applicant_name"]), "forms[1].fields[0]：应为对象 {…} / must be an object"),
    "a label too long": (_set(1, "code", label_zh="长" * 101), "forms[1].fields[2]：label_zh："),
    "an unknown key": (_set(1, "code", placeholder="AB1234"), "forms[1].fields[2]：placeholder：未知字段 / unknown key"),
    "a form for an item not in the file": (_form(1, item="11500103MB1234567X4500009999999"),
                                           "forms[1]：item：事项“11500103MB1234567X4500009999999”不在本文件的 items 中"),
    "two forms for one item": (_form(1, item=FIRST), "forms[1]：事项“" + FIRST + "”的申请表与 forms[0] 重复"),
    "replaces an unknown material": (_form(0, replaces="纸质申请表"),
                                     "forms[0]：replaces：材料“纸质申请表”不在本文件该事项的 materials 中 / material"),
    "forms not a list": (lambda d: d.update(forms={"item": FIRST}), "forms：应为列表 […]"),
}


@pytest.mark.parametrize("spoil, expected", BAD.values(), ids=BAD.keys())
def test_a_bad_form_or_element_is_refused_by_where_it_is_and_nothing_is_written(spoil, expected):
    data = catalog_with_forms()
    spoil(data)
    before = _rows()

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert any(p.startswith(expected) or expected in p for p in raised.value.problems), raised.value.problems
    assert _rows() == before


def test_problems_in_the_catalog_and_in_the_forms_are_all_named_at_once():
    data = catalog_with_forms()
    data["items"][2]["promised_days"] = 30
    _set(1, "code", pattern="(")(data)
    _rule(0, a="nothing")(data)

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    problems = raised.value.problems
    assert any(p.startswith("items[2]：promised_days：") for p in problems)
    assert any(p.startswith("forms[1].fields[2]：pattern：") for p in problems)
    assert any(p.startswith("forms[0].rules[0]：") for p in problems)
    assert _rows() == (0,) * 7


# -- the workbook names sheet, row and column -------------------------------------------------------------------
def _workbook(tmp_path: Path, change) -> Path:
    book = load_workbook(io.BytesIO(catalog_to_xlsx(catalog_with_forms())))
    change(book)
    path = tmp_path / "catalog.xlsx"
    book.save(path)
    return path


def _row_of(sheet, **cells: Any) -> int:
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if all(row[header.index(k)].value == v for k, v in cells.items()):
            return row[0].row
    raise AssertionError(cells)


def _cell(sheet, row: int, column: str):
    header = [c.value for c in sheet[1]]
    return sheet.cell(row=row, column=header.index(column) + 1)


def test_an_edited_workbook_imports_with_its_forms(tmp_path):
    def edit(book):
        sheet = book["form_fields"]
        _cell(sheet, _row_of(sheet, item=SECOND, key="code"), "label_zh").value = "登记编号"

    report = import_file(_workbook(tmp_path, edit))

    assert report.extra["forms_written"] == 2
    assert selectors.item_form(SECOND)[1].field("code").label_zh == "登记编号"


def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(tmp_path):
    rows: dict[str, int] = {}

    def edit(book):
        fields = book["form_fields"]
        rows["code"] = _row_of(fields, item=SECOND, key="code")
        _cell(fields, rows["code"], "pattern").value = "[unclosed"
        rows["type"] = _row_of(fields, item=FIRST, key="business_type")
        _cell(fields, rows["type"], "choices").value = "餐饮、零售"
        rows["column"] = _row_of(fields, item=FIRST, table="staff", key="hours")
        _cell(fields, rows["column"], "table").value = "employees"
        rules = book["form_rules"]
        rows["rule"] = _row_of(rules, item=FIRST, kind="lte")
        _cell(rules, rows["rule"], "b").value = "shop_area"
        elements = book["data_elements"]
        rows["element"] = _row_of(elements, code="credit_code")
        _cell(elements, rows["element"], "source").value = "hearsay"

    with pytest.raises(CatalogFileInvalid) as raised:
        import_file(_workbook(tmp_path, edit))

    problems = raised.value.problems
    expected = [
        f"form_fields 表第{rows['code']}行：pattern：格式不是有效的正则表达式 / the pattern is not a valid regular expression",
        f"form_fields 表第{rows['type']}行：choices：应为代码表",
        f"form_fields 表第{rows['column']}行：table：表格字段“employees”不在该申请表中 / ",
        f"form_rules 表第{rows['rule']}行：规则引用的字段“shop_area”不存在",
        f"data_elements 表第{rows['element']}行：source：",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert _rows() == (0,) * 7


def test_a_column_row_whose_table_field_is_no_table_is_refused_naming_the_row(tmp_path):
    rows: dict[str, int] = {}

    def move_column(book):
        sheet = book["form_fields"]
        rows["column"] = _row_of(sheet, item=SECOND, table="shareholders", key="share")
        _cell(sheet, rows["column"], "table").value = "code"

    with pytest.raises(CatalogFileInvalid) as raised:
        import_file(_workbook(tmp_path, move_column))

    assert (f"form_fields 表第{rows['column']}行：table：字段“code”不是表格，不能有列 / field “code” is not a table and "
            "has no columns") in raised.value.problems
    assert _rows() == (0,) * 7


def test_a_sheet_missing_its_header_is_refused_naming_its_first_row(tmp_path):
    def drop_header(book):
        book["form_rules"].delete_rows(1)

    with pytest.raises(CatalogFileInvalid) as raised:
        import_file(_workbook(tmp_path, drop_header))

    assert any(p.startswith("form_rules 表第1行：未知列") for p in raised.value.problems), raised.value.problems
    assert _rows() == (0,) * 7


def test_a_field_row_for_a_form_not_in_the_forms_sheet_is_refused(tmp_path):
    def orphan(book):
        sheet = book["forms"]
        sheet.delete_rows(_row_of(sheet, item=SECOND))

    with pytest.raises(CatalogFileInvalid) as raised:
        import_file(_workbook(tmp_path, orphan))

    assert any(p.startswith("form_fields 表第") and f"item：申请表“{SECOND}”不在 forms 表中" in p
               for p in raised.value.problems), raised.value.problems
    assert _rows() == (0,) * 7


# -- the command line ---------------------------------------------------------------------------------------------
@pytest.fixture
def keep_connection(monkeypatch):
    """The command closes connections when it ends; inside a test transaction that would drop the test's data."""
    monkeypatch.setattr("onewindow.core.commands.connections.close_all", lambda: None)


def test_the_command_exports_and_imports_forms_through_json_and_xlsx_files(tmp_path, capsys):
    import_catalog(catalog_with_forms())
    exported = export_catalog()

    for name in ("out.json", "out.xlsx"):
        call_command("catalog", "export", str(tmp_path / name))
        call_command("catalog", "import", str(tmp_path / name))
        out = capsys.readouterr().out
        assert "事项 新增0 新版本0 未变3" in out and "申请表 写入0" in out
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == exported
    assert export_catalog() == exported


def test_the_command_refuses_a_bad_form_with_exit_2_naming_it_and_writes_nothing(tmp_path, capsys, keep_connection):
    data = catalog_with_forms()
    _set(1, "code", pattern="(")(data)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(SystemExit) as raised:
        Command().run_from_argv(["onewindow", "catalog", "import", str(path)])

    err = capsys.readouterr().err.splitlines()
    assert raised.value.code == 2
    assert err[0] == "onewindow: 事项清单文件有误（1处），未作任何更改："
    assert err[1] == "forms[1].fields[2]：pattern：格式不是有效的正则表达式 / the pattern is not a valid regular expression"
    assert _rows() == (0,) * 7
