"""Fields shown only under a condition, and the cross-field rules with the message a person reads."""

from __future__ import annotations

from onewindow.forms.spec import FormSpec, check, clean_answers, json_schema
from onewindow.forms.tests.factories import good_answers
from onewindow.forms.tests.test_each_field_kind_is_checked_by_its_schema import restaurant


def problems(answers):
    spec = restaurant()
    return {p.path: p for p in check(spec, clean_answers(spec.fields, answers))}


def test_a_conditional_field_is_required_only_when_its_condition_holds():
    assert problems(good_answers(kitchen_area=None))["kitchen_area"].code == "required"
    assert "kitchen_area" not in problems(good_answers(kitchen_area=None, business_type="retail",
                                                       opening_date="2026-03-01"))


def test_the_answer_of_a_hidden_field_is_left_out():
    spec = restaurant()
    cleaned = clean_answers(spec.fields, good_answers(business_type="retail", opening_date="2026-03-01"))
    assert "kitchen_area" not in cleaned


def test_a_condition_is_published_as_if_then():
    schema = json_schema(restaurant())
    rule = next(r for r in schema["allOf"] if r["then"] == {"required": ["kitchen_area"]})
    assert rule["if"]["properties"]["business_type"] == {"enum": ["catering"]}
    assert schema["properties"]["kitchen_area"]["x-shown-when"] == {"field": "business_type", "equals": "catering"}


def test_a_value_above_another_breaks_its_rule_with_the_editors_message():
    found = problems(good_answers(kitchen_area=130))
    assert found["kitchen_area"].code == "rule"
    assert found["kitchen_area"].message_zh == "厨房面积不能大于经营面积"
    assert found["kitchen_area"].message_en == "The kitchen cannot be larger than the floor area"


def test_a_column_sum_above_its_cap_breaks_its_rule():
    staff = [{"name": "李四", "id_number": "11010519491231002X", "hours": 40},
             {"name": "王五", "id_number": "11010519491231002X", "hours": 30}]
    assert problems(good_answers(staff=staff))["staff"].message_zh == "从业人员工时之和超过上限"
    assert "staff" not in problems(good_answers(staff=staff, weekly_hours=70))


def test_if_then_required_rule_asks_for_the_second_field():
    found = problems(good_answers(business_type="retail"))
    assert found["opening_date"].code == "required"


def test_every_problem_is_reported_at_once():
    found = problems(good_answers(applicant_name=None, floor_area=0, contact_mobile="123"))
    assert {"applicant_name", "floor_area", "contact_mobile"} <= set(found)


def test_answers_that_are_not_an_object_are_refused():
    assert check(FormSpec(code="x", title="x", version=1, fields=()), ["a"])[0].code == "type"
