"""Forms to test with: the data elements a restaurant's and a hotel's forms share, and their forms."""

from __future__ import annotations

from typing import Any

from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import ItemVersion, ServiceItem
from onewindow.catalog.tests.factories import ServiceItemFactory
from onewindow.forms import services
from onewindow.forms.models import DataElement, FormVersion

ELEMENTS = [
    ("applicant_name", "申请人名称", "Applicant name", "GB/T 39046 申请人名称", "text"),
    ("credit_code", "统一社会信用代码", "Unified social credit code", "GB 32100", "credit_code"),
    ("legal_representative", "法定代表人", "Legal representative", "", "text"),
    ("business_address", "经营场所", "Business address", "", "address"),
    ("floor_area", "经营面积", "Floor area", "", "number"),
    ("contact_mobile", "联系电话", "Contact mobile", "", "mobile"),
]


def elements() -> dict[str, DataElement]:
    """The shared data elements, created once."""
    out = {}
    for code, zh, en, standard, kind in ELEMENTS:
        out[code], _ = DataElement.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "standard": standard, "kind": kind})
    return out


BUSINESS_TYPES = [{"value": "catering", "zh": "餐饮", "en": "Catering"},
                  {"value": "retail", "zh": "零售", "en": "Retail"}]


def restaurant_fields(material: str = "") -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [
        {"key": "applicant_name", "kind": "text", "label_zh": "申请人名称", "label_en": "Applicant name",
         "required": True, "element": "applicant_name", "max_length": 100},
        {"key": "credit_code", "kind": "credit_code", "label_zh": "统一社会信用代码", "label_en": "Credit code",
         "required": True, "element": "credit_code"},
        {"key": "business_address", "kind": "address", "label_zh": "经营场所", "label_en": "Business address",
         "required": True, "element": "business_address"},
        {"key": "business_type", "kind": "choice", "label_zh": "经营类型", "label_en": "Business type",
         "required": True, "choices": BUSINESS_TYPES},
        {"key": "floor_area", "kind": "number", "label_zh": "经营面积", "label_en": "Floor area", "unit": "平方米",
         "required": True, "element": "floor_area", "min_value": 1, "max_value": 100000},
        {"key": "kitchen_area", "kind": "number", "label_zh": "厨房面积", "label_en": "Kitchen area", "unit": "平方米",
         "required": True, "shown_when": {"field": "business_type", "equals": "catering"}},
        {"key": "opening_date", "kind": "date", "label_zh": "拟开业日期", "label_en": "Opening date"},
        {"key": "staff", "kind": "table", "label_zh": "从业人员", "label_en": "Staff", "columns": [
            {"key": "name", "kind": "text", "label_zh": "姓名", "label_en": "Name", "required": True},
            {"key": "id_number", "kind": "id_number", "label_zh": "身份证号码", "label_en": "ID number",
             "required": True},
            {"key": "hours", "kind": "number", "label_zh": "每周工时", "label_en": "Hours a week"},
        ]},
        {"key": "weekly_hours", "kind": "number", "label_zh": "每周总工时上限", "label_en": "Weekly hours cap"},
        {"key": "contact_mobile", "kind": "mobile", "label_zh": "联系电话", "label_en": "Contact mobile",
         "element": "contact_mobile"},
    ]
    if material:
        fields.append({"key": "floor_plan", "kind": "file", "label_zh": "平面图", "label_en": "Floor plan",
                       "material": material})
    return fields


RESTAURANT_RULES = [
    {"kind": "lte", "a": "kitchen_area", "b": "floor_area", "message_zh": "厨房面积不能大于经营面积",
     "message_en": "The kitchen cannot be larger than the floor area"},
    {"kind": "sum_lte", "a": "staff", "column": "hours", "b": "weekly_hours",
     "message_zh": "从业人员工时之和超过上限", "message_en": "The staff's hours exceed the cap"},
    {"kind": "required_if", "a": "business_type", "value": "retail", "b": "opening_date",
     "message_zh": "零售须填写拟开业日期", "message_en": "Retail needs an opening date"},
]


def draft_version(item: ServiceItem) -> ItemVersion:
    """A new draft of a published item."""
    return catalog_services.start_draft(item, by=None)


def item_with_form(fields: list[dict[str, Any]] | None = None, rules: list[dict[str, Any]] | None = None,
                   **item: Any) -> tuple[ServiceItem, FormVersion]:
    """A published item whose current version carries a form (the restaurant's unless told)."""
    elements()
    item_row = ServiceItemFactory(**item)
    draft = draft_version(item_row)
    services.save_form(draft, by=None, fields=fields if fields is not None else restaurant_fields(),
                       rules=RESTAURANT_RULES if rules is None else rules)
    catalog_services.publish_version(draft, by=None, reason="增加电子申请表")
    item_row.refresh_from_db()
    return item_row, FormVersion.objects.get(item_version=item_row.published_version)


def good_answers(**changes: Any) -> dict[str, Any]:
    answers = {
        "applicant_name": "渝中区好味餐饮有限公司",
        "credit_code": "91500103MA0000001U",
        "business_address": {"province": "重庆市", "city": "重庆市", "district": "渝中区", "street": "解放碑街道",
                             "community": "民权路社区", "detail": "民权路 28 号"},
        "business_type": "catering",
        "floor_area": 120,
        "kitchen_area": 30,
        "staff": [{"name": "李四", "id_number": "11010519491231002X", "hours": 40}],
        "weekly_hours": 60,
        "contact_mobile": "13800138000",
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}
