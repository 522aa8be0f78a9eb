import io

import pytest
from openpyxl import load_workbook

from onewindow.catalog.importexport import CatalogFileInvalid, catalog_to_xlsx, import_catalog, xlsx_to_catalog
from onewindow.catalog.models import Department, ItemVersion, ServiceItem, ServicePoint, Theme
from onewindow.catalog.tests.factories import catalog_data
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _nothing_written():
    return (
        Department.objects.count(),
        ServicePoint.objects.count(),
        ServiceItem.objects.count(),
        ItemVersion.objects.count(),
        Theme.objects.count(),
        AuditEvent.objects.count(),
    ) == (0, 0, 0, 0, 0, 0)


def _spoil(data):
    data["items"][1]["promised_days"] = 30  # beyond the statutory 20
    data["items"][2]["materials"][1]["requirement"] = "sometimes"
    data["items"][3]["department"] = "NOPE"
    data["items"][4]["modes"] = ["online", "teleport"]
    data["items"][5]["implementation_code"] = data["items"][0]["implementation_code"]
    data["service_points"][1]["parent"] = "NOWHERE"
    data["themes"][0]["items"][1]["requires"] = ["not-in-theme"]
    return data


def test_a_bad_json_catalog_writes_nothing_and_names_every_bad_row():
    data = _spoil(catalog_data(6))

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    problems = raised.value.problems
    assert len(problems) == 7, problems
    assert any(p.startswith("items[1]：promised_days：承诺时限不能超过法定时限") for p in problems)
    assert any(p.startswith("items[2].materials[1]：requirement：") for p in problems)
    assert "items[3]：department：部门“NOPE”不存在" in problems
    assert any(p.startswith("items[4]：modes：未知取值“teleport”") for p in problems)
    assert any(p.startswith("items[5]：实施编码") and "items[0]" in p for p in problems)
    assert "service_points[1]：parent：上级服务场所“NOWHERE”不存在" in problems
    assert "themes[0].items[1]：requires：前置事项“not-in-theme”不在本主题中" in problems
    assert _nothing_written()


def test_a_bad_xlsx_catalog_names_the_sheet_and_row_of_every_problem():
    good = catalog_data(6)
    data, locations, sheet_problems = xlsx_to_catalog(catalog_to_xlsx(_spoil(catalog_data(6))))

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data, locations=locations, known_problems=sheet_problems)

    problems = raised.value.problems
    # Row 1 is the header; items[1] is on row 3, its materials follow two per item.
    assert any(p.startswith("items 表第3行：promised_days：") for p in problems), problems
    assert any(p.startswith("materials 表第7行：requirement：") for p in problems), problems
    assert "items 表第5行：department：部门“NOPE”不存在" in problems
    assert "service_points 表第3行：parent：上级服务场所“NOWHERE”不存在" in problems
    assert "theme_items 表第3行：requires：前置事项“not-in-theme”不在本主题中" in problems
    assert _nothing_written()
    assert good  # the untouched sample still imports
    import_catalog(good)
    assert ServiceItem.objects.count() == 6


def test_rows_of_child_sheets_that_name_an_unknown_parent_are_reported():
    data = catalog_data(2)
    content = catalog_to_xlsx(data)
    book = load_workbook(io.BytesIO(content))
    book["materials"].append(["no-such-item", "多出来的材料", "original", 1, "required", "applicant", "", ""])
    out = io.BytesIO()
    book.save(out)

    parsed, locations, sheet_problems = xlsx_to_catalog(out.getvalue())
    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(parsed, locations=locations, known_problems=sheet_problems)

    assert raised.value.problems == ["materials 表第6行：item：事项“no-such-item”不在 items 表中"]
    assert _nothing_written()


def test_a_file_that_is_not_a_catalog_object_is_refused():
    with pytest.raises(CatalogFileInvalid, match="顶层应为对象"):
        import_catalog([1, 2, 3])
    with pytest.raises(CatalogFileInvalid, match="不支持的格式"):
        import_catalog({"format": "something-else/9"})
    assert _nothing_written()


def test_unknown_fields_are_reported_rather_than_silently_dropped():
    data = catalog_data(1)
    data["items"][0]["promise_days"] = 3

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert raised.value.problems == ["items[0]：promise_days：未知字段"]
