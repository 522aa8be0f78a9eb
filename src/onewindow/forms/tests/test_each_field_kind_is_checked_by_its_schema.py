"""Each kind of field refuses what it cannot hold, with a code and a message in Chinese and English naming it."""

from __future__ import annotations

import pytest

from onewindow.forms.spec import FormSpec, check, clean_answers, field_from_dict, json_schema, rule_from_dict
from onewindow.forms.tests.factories import RESTAURANT_RULES, good_answers, restaurant_fields


def restaurant() -> FormSpec:
    return FormSpec(code="SC-1", title="食品经营许可申请表", version=1,
                    fields=tuple(field_from_dict(f) for f in restaurant_fields()),
                    rules=tuple(rule_from_dict(r) for r in RESTAURANT_RULES))


def problems(answers):
    spec = restaurant()
    return {p.path: p for p in check(spec, clean_answers(spec.fields, answers))}


def test_good_answers_pass():
    assert problems(good_answers()) == {}


@pytest.mark.parametrize(("changes", "path", "code"), [
    ({"applicant_name": None}, "applicant_name", "required"),
    ({"applicant_name": "名" * 101}, "applicant_name", "too_long"),
    ({"credit_code": "91500103MA0000001X"}, "credit_code", "invalid_credit_code"),
    ({"floor_area": "很大"}, "floor_area", "type"),
    ({"floor_area": 0}, "floor_area", "too_small"),
    ({"floor_area": 200000}, "floor_area", "too_large"),
    ({"business_type": "mining"}, "business_type", "choice"),
    ({"opening_date": "2026-02-30"}, "opening_date", "invalid_date"),
    ({"opening_date": "30/01/2026"}, "opening_date", "invalid_date"),
    ({"contact_mobile": "0238888888"}, "contact_mobile", "invalid_mobile"),
    ({"staff": [{"name": "李四", "id_number": "110105194912310021"}]}, "staff.0.id_number", "invalid_identity_number"),
    ({"staff": [{"id_number": "11010519491231002X"}]}, "staff.0.name", "required"),
    ({"business_address": {"province": "重庆市", "city": "重庆市"}}, "business_address.district", "required"),
    ({"nickname": "x"}, "nickname", "unknown"),
])
def test_a_wrong_value_is_named_by_its_path_and_code(changes, path, code):
    found = problems(good_answers(**changes))
    assert path in found, found
    assert found[path].code == code
    assert found[path].message_zh and found[path].message_en


def test_messages_name_the_field_in_both_languages():
    found = problems(good_answers(floor_area=0))
    assert found["floor_area"].message_zh == "经营面积不能小于1平方米"
    assert found["floor_area"].message_en == "Floor area must be at least 1 m²"


def test_an_identity_number_typed_in_full_width_digits_is_the_same_number():
    spec = restaurant()
    cleaned = clean_answers(spec.fields, good_answers(contact_mobile="１３８ ００１３ ８０００"))
    assert cleaned["contact_mobile"] == "13800138000"
    assert check(spec, cleaned) == []


def test_multiple_choice_takes_only_listed_values_once():
    spec = FormSpec(code="x", title="x", version=1, fields=(field_from_dict(
        {"key": "services", "kind": "multi_choice", "label_zh": "服务项目", "required": True,
         "choices": [{"value": "a", "zh": "甲"}, {"value": "b", "zh": "乙"}]}),))
    assert check(spec, {"services": ["a", "b"]}) == []
    assert {p.code for p in check(spec, {"services": ["a", "a"]})} == {"repeated"}
    assert {p.code for p in check(spec, {"services": ["c"]})} == {"choice"}
    assert {p.code for p in check(spec, {})} == {"required"}


def test_a_text_pattern_is_published_and_enforced():
    spec = FormSpec(code="x", title="x", version=1, fields=(field_from_dict(
        {"key": "plate", "kind": "text", "label_zh": "车牌号", "pattern": "^渝[A-Z][0-9A-Z]{5}$"}),))
    assert json_schema(spec)["properties"]["plate"]["pattern"] == "^渝[A-Z][0-9A-Z]{5}$"
    assert check(spec, {"plate": "渝A12345"}) == []
    assert check(spec, {"plate": "京A12345"})[0].code == "pattern"


def test_the_schema_is_draft_2020_12_with_labels_units_and_elements():
    schema = json_schema(restaurant())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    area = schema["properties"]["floor_area"]
    assert area["x-unit"] == "平方米" and area["x-element"] == "floor_area"
    assert area["x-label"] == {"zh": "经营面积", "en": "Floor area"}
    assert schema["properties"]["staff"]["type"] == "array"
    assert schema["properties"]["business_type"]["enum"] == ["catering", "retail"]
    assert "applicant_name" in schema["required"]
