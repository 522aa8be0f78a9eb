"""Each item's form, and each package's one form, is published as JSON Schema; the pre-check (智能预审) answers
every problem field by field in Chinese and English, and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from onewindow.catalog.tests.factories import ServiceItemFactory, ThemeFactory, ThemeItemFactory
from onewindow.core.audit import AuditEvent
from onewindow.forms.tests.factories import good_answers, item_with_form

pytestmark = pytest.mark.django_db

HOTEL_FIELDS = [
    {"key": "applicant_name", "kind": "text", "label_zh": "申请人名称", "required": True, "element": "applicant_name"},
    {"key": "floor_area", "kind": "number", "label_zh": "经营面积", "unit": "平方米", "required": True,
     "element": "floor_area"},
    {"key": "rooms", "kind": "number", "label_zh": "客房数", "unit": "间", "required": True, "min_value": 1},
    {"key": "weekly_hours", "kind": "number", "label_zh": "前台值守小时数"},
]


def test_an_items_form_is_a_valid_draft_2020_12_schema():
    item, _form = item_with_form()
    response = Client().get(f"/api/v1/items/{item.implementation_code}/form")
    assert response.status_code == 200
    schema = response.json()
    Draft202012Validator.check_schema(schema)
    assert schema["x-form"] == {"code": item.implementation_code, "version": 2}
    assert schema["$id"].endswith(f"/api/v1/items/{item.implementation_code}/form")
    assert [r["kind"] for r in schema["x-rules"]] == ["lte", "sum_lte", "required_if"]


def test_an_item_without_a_form_answers_not_found():
    item = ServiceItemFactory()
    response = Client().get(f"/api/v1/items/{item.implementation_code}/form")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_package_asks_each_shared_element_once_and_keeps_each_items_own_fields():
    restaurant, _ = item_with_form()
    hotel, _ = item_with_form(fields=HOTEL_FIELDS, rules=[])
    theme = ThemeFactory(code="open_inn")
    ThemeItemFactory(theme=theme, item=restaurant)
    ThemeItemFactory(theme=theme, item=hotel)
    schema = Client().get("/api/v1/themes/open_inn/form").json()
    keys = list(schema["properties"])
    assert keys.count("applicant_name") == 1 and keys.count("floor_area") == 1
    assert "rooms" in keys and schema["properties"]["rooms"]["x-item"] == hotel.implementation_code
    # both items have a field of their own called weekly_hours: each is asked, under its item's code
    assert f"{restaurant.implementation_code}.weekly_hours" in keys
    assert f"{hotel.implementation_code}.weekly_hours" in keys


def test_the_pre_check_names_each_field_in_both_languages_and_writes_nothing():
    item, _form = item_with_form()
    events = AuditEvent.objects.count()
    response = Client().post(f"/api/v1/items/{item.implementation_code}/form/check",
                             {"answers": good_answers(floor_area=0, credit_code="123")},
                             content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    errors = {e["path"]: e for e in body["errors"]}
    assert errors["floor_area"]["code"] == "too_small"
    assert errors["credit_code"]["code"] == "invalid_credit_code"
    assert errors["floor_area"]["message_en"].startswith("Floor area")
    assert AuditEvent.objects.count() == events


def test_the_pre_check_passes_good_answers_cleaned():
    item, _form = item_with_form()
    response = Client().post(f"/api/v1/items/{item.implementation_code}/form/check",
                             {"answers": good_answers(applicant_name="  好味餐饮  ")},
                             content_type="application/json")
    body = response.json()
    assert body["valid"] is True and body["errors"] == []
    assert body["answers"]["applicant_name"] == "好味餐饮"
