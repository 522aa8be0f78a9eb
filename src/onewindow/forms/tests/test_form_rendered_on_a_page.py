"""The form on a page (forms.pages + forms/_form.html): each kind of field renders as a person fills it in — label,
required mark, unit and limits, help, its value, its error tied to it — in Chinese or English; prefilled values show
their source and an authoritative one is read-only but still posted; a resubmission fixes the fields not named;
and a post is read back into answers, ignoring whatever the form does not define."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from onewindow.core.tests.html_checks import accessibility_problems, attributes_of
from onewindow.forms.models import DataElement
from onewindow.forms.pages import MAX_ROWS, answers_from_post, covered_materials, form_view
from onewindow.forms.prefill import Prefilled, prefill
from onewindow.forms.spec import FieldError, FormSpec, Kind, field_from_dict, rule_from_dict
from onewindow.forms.tests.factories import RESTAURANT_RULES, good_answers, restaurant_fields
from onewindow.forms.validation import problems_of

TAGS = [{"value": "wifi", "zh": "无线网络", "en": "Wi-Fi"}, {"value": "parking", "zh": "停车位", "en": "Parking"}]


def restaurant() -> FormSpec:
    fields = [field_from_dict(f) for f in restaurant_fields(material="平面图")]
    fields = [replace(f, material=7) if f.kind == Kind.FILE else f for f in fields]
    fields.append(field_from_dict({"key": "owner_id", "kind": "id_number", "label_zh": "负责人身份证号码",
                                   "label_en": "Owner's ID number", "help_zh": "18位", "help_en": "18 characters"}))
    fields.append(field_from_dict({"key": "amenities", "kind": "multi_choice", "label_zh": "配套设施",
                                   "label_en": "Amenities", "choices": TAGS}))
    return FormSpec(code="SC-1", title="食品经营许可申请表", version=1, fields=tuple(fields),
                    rules=tuple(rule_from_dict(r) for r in RESTAURANT_RULES))


def html_of(view) -> str:
    """The partial, beside the page's upload of material 7 that a file field points to."""
    html = render_to_string("forms/_form.html", {"form_view": view})
    html += '<label for="id_file7">平面图</label><input type="file" id="id_file7" name="file7">'
    assert accessibility_problems(html, skip_link=False) == []
    return html


def post(pairs: list[tuple[str, str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


def test_each_kind_renders_its_inputs_with_the_answer_in_them():
    answers = good_answers(amenities=["wifi"], opening_date="2025-10-01", floor_plan="平面图.pdf", owner_id="x")
    html = html_of(form_view(restaurant(), answers, material_anchors={7: "id_file7"}))
    assert attributes_of(html, "answers-applicant_name")["value"] == "渝中区好味餐饮有限公司"  # text
    assert attributes_of(html, "answers-applicant_name")["maxlength"] == "100"
    assert attributes_of(html, "answers-credit_code")["value"] == "91500103MA0000001U"  # credit code
    assert attributes_of(html, "answers-business_address-community")["value"] == "民权路社区"  # address
    assert attributes_of(html, "answers-business_type-0")["checked"] is not None  # choice: 餐饮
    assert "checked" not in attributes_of(html, "answers-business_type-1")
    assert attributes_of(html, "answers-floor_area")["value"] == "120"  # number
    assert attributes_of(html, "answers-floor_area")["inputmode"] == "decimal"
    assert "平方米" in html and "填写范围：1 至 100000 平方米" in html  # unit and limits
    assert attributes_of(html, "answers-opening_date")["type"] == "date"  # date
    assert attributes_of(html, "answers-staff-0-id_number")["value"] == "11010519491231002X"  # table
    assert attributes_of(html, "answers-contact_mobile")["inputmode"] == "tel"  # mobile
    assert attributes_of(html, "answers-owner_id")["maxlength"] == "18"  # identity number
    assert "answers-owner_id-help" in attributes_of(html, "answers-owner_id")["aria-describedby"]
    assert "checked" in attributes_of(html, "answers-amenities-0") and attributes_of(html, "answers-amenities-0")[
        "type"] == "checkbox"  # multiple choice
    assert 'href="#id_file7"' in html and "平面图" in html, "a file field points to the page's upload of its material"
    assert 'name="answers.floor_plan"' not in html, "no second upload"


def test_required_fields_are_marked_and_a_conditional_one_says_what_it_waits_for():
    html = html_of(form_view(restaurant()))
    assert attributes_of(html, "answers-applicant_name")["aria-required"] == "true"
    box = attributes_of(html, "answers-kitchen_area-field")
    assert box["data-shown-when"] == '{"field": "answers.business_type", "values": ["catering"]}'


def test_a_required_multiple_choice_says_so_in_its_name_not_with_an_attribute_its_group_does_not_allow():
    spec = restaurant()
    required = replace(spec.field("amenities"), required=True)
    spec = replace(spec, fields=tuple(required if f.key == "amenities" else f for f in spec.fields))
    html = html_of(form_view(spec))
    group = attributes_of(html, "answers-amenities")
    assert group["role"] == "group" and "aria-required" not in group, "ARIA allows aria-required on no group"
    label = html.split('id="answers-amenities-label">', 1)[1].split("</span>", 2)
    assert "（必填）" in "".join(label[:2]), "the group's name says it is required"
    radios = attributes_of(html, "answers-business_type")
    assert radios["role"] == "radiogroup" and radios["aria-required"] == "true"


def test_a_table_offers_empty_rows_and_a_template_row_for_the_script():
    html = html_of(form_view(restaurant(), good_answers(), blank_rows=2))
    assert 'name="answers.staff.2.name"' in html and 'name="answers.staff.3.name"' not in html
    assert 'name="answers.staff.__row__.name"' in html and 'data-next-row="3"' in html


def test_a_page_shown_again_keeps_the_filled_rows_and_a_fixed_number_of_empty_ones():
    spec = restaurant()
    html = html_of(form_view(spec, good_answers(), blank_rows=2))
    for _ in range(3):  # 检查填写, 暂存, a refused submit: each posts the empty rows back
        pairs = re.findall(r'name="(answers\.staff\.\d+\.\w+)" value="([^"]*)"', html)
        answers = answers_from_post(spec, post(pairs))
        assert answers["staff"] == [{"name": "李四", "id_number": "11010519491231002X", "hours": "40"}]
        html = html_of(form_view(spec, answers, blank_rows=2))
        assert 'name="answers.staff.2.name"' in html and 'name="answers.staff.3.name"' not in html


def test_english_pages_show_the_english_labels_choices_and_messages():
    spec = restaurant()
    cleaned, problems = problems_of(spec, good_answers(floor_area=0))
    html = html_of(form_view(spec, cleaned, errors=problems, language="en"))
    assert "Floor area" in html and "Catering" in html and "Wi-Fi" in html and "18 characters" in html
    assert "Floor area must be at least 1" in html
    assert "From 1 to 100000 m²" in html and "平方米" not in html


def test_english_pages_show_units_and_prefill_sources_in_english():
    spec = restaurant()
    cleaned, problems = problems_of(spec, good_answers(floor_area=0))
    html = html_of(form_view(spec, cleaned, errors=problems, language="en", prefilled={
        "applicant_name": Prefilled("渝中区好味餐饮有限公司", "case", "办件 SC20250901000001"),
        "contact_mobile": Prefilled("13800138000", "account", "实名账号", authoritative=True)}))
    assert "Floor area must be at least 1 m²" in html and "平方米" not in html
    assert "case SC20250901000001" in html and "your verified account" in html
    assert "办件" not in html and "实名账号" not in html
    chinese = html_of(form_view(spec, cleaned, errors=problems, prefilled={
        "applicant_name": Prefilled("渝中区好味餐饮有限公司", "case", "办件 SC20250901000001")}))
    assert "经营面积不能小于1平方米" in chinese and "办件 SC20250901000001" in chinese


def test_an_error_is_shown_on_its_input_and_listed_in_the_summary():
    spec = restaurant()
    problems = [FieldError("staff.0.id_number", "invalid_identity_number", "身份证号码不对", "Bad ID"),
                FieldError("business_address.street", "required", "请填写经营场所（街道）", "Street is required"),
                FieldError("floor_area", "too_small", "太小", "Too small"),
                FieldError("", "type", "申请表内容应为对象", "The answers must be an object")]
    view = form_view(spec, good_answers(), errors=problems)
    html = html_of(view)
    cell = attributes_of(html, "answers-staff-0-id_number")
    assert cell["aria-invalid"] == "true" and cell["aria-describedby"] == "answers-staff-0-id_number-error"
    assert attributes_of(html, "answers-business_address-street")["aria-invalid"] == "true"
    assert [(line.anchor, line.label) for line in view.summary] == [
        ("answers-staff-0-id_number", "从业人员第1行身份证号码"),
        ("answers-business_address-street", "经营场所（街道）"), ("answers-floor_area", "经营面积")]
    assert view.errors == ["申请表内容应为对象"], "an error of no field is shown above the form"


@pytest.mark.django_db
def test_a_prefilled_value_shows_its_source_and_an_authoritative_one_is_read_only_but_posted(django_user_model):
    DataElement.objects.create(code="contact_mobile", name_zh="联系电话", kind="mobile", source="account",
                               source_key="mobile", authoritative=True)
    DataElement.objects.create(code="applicant_name", name_zh="申请人名称", source="account",
                               source_key="display_name")
    user = django_user_model.objects.create(username="citizen", mobile="13900139000", display_name="王五")
    spec = restaurant()
    known = prefill(spec, user)
    html = html_of(form_view(spec, {"contact_mobile": "13800000000"}, prefilled=known))
    mobile = attributes_of(html, "answers-contact_mobile")
    assert mobile["value"] == "13900139000" and "readonly" in mobile and "disabled" not in mobile
    assert "answers-contact_mobile-origin" in mobile["aria-describedby"]
    assert "来自：" in html and "实名账号" in html and "权威来源" in html
    name = attributes_of(html, "answers-applicant_name")
    assert "readonly" not in name and name["value"] == "", "an editable prefilled value is only a start"


def test_a_resubmission_fixes_the_fields_not_named():
    view = form_view(restaurant(), good_answers(), editable={"floor_area"})
    html = html_of(view)
    assert 'name="answers.floor_area"' in html
    assert 'name="answers.applicant_name"' not in html and "渝中区好味餐饮有限公司" in html
    assert 'name="answers.staff.0.name"' not in html and "李四" in html


def test_a_post_reads_back_into_the_answers():
    data = post([("answers.applicant_name", " 好味 "), ("answers.floor_area", "120"),
                 ("answers.business_address.province", "重庆市"), ("answers.business_address.street", ""),
                 ("answers.amenities", "wifi"), ("answers.amenities", "parking"),
                 ("answers.staff.1.name", "王五"), ("answers.staff.0.name", "李四"), ("answers.staff.0.hours", "40"),
                 ("answers.staff.2.name", ""), ("answers.business_type", "catering")])
    answers = answers_from_post(restaurant(), data, files={7: "平面图.pdf"})
    assert answers == {
        "applicant_name": " 好味 ", "floor_area": "120", "business_address": {"province": "重庆市"},
        "amenities": ["wifi", "parking"], "business_type": "catering", "floor_plan": "平面图.pdf",
        "staff": [{"name": "李四", "hours": "40"}, {"name": "王五"}],  # the empty row is no answer
    }
    cleaned, _problems = problems_of(restaurant(), answers)
    assert cleaned["floor_area"] == 120 and cleaned["staff"] == [{"name": "李四", "hours": 40}, {"name": "王五"}]


@pytest.mark.parametrize("pairs", [
    [("answers.nickname", "x")],
    [("answers.staff.-1.name", "x"), ("answers.staff.1e3.name", "x"), ("answers.staff.0x1.name", "x")],
    [(f"answers.staff.{MAX_ROWS}.name", "x"), ("answers.staff.99999999999999999999.name", "x")],
    [("answers.staff.0.salary", "x"), ("answers.staff..name", "x"), ("answers.staff", "x")],
    [("answers.business_address.planet", "火星"), ("answers.", "x"), ("answers", "x")],
    [("answers.floor_plan", "别人的文件.pdf")],
])
def test_what_the_form_does_not_define_is_ignored(pairs):
    assert answers_from_post(restaurant(), post(pairs)) == {}


def test_rows_beyond_the_limit_are_not_read():
    data = post([(f"answers.staff.{n}.name", "张三") for n in range(MAX_ROWS + 50)])
    assert len(answers_from_post(restaurant(), data)["staff"]) == MAX_ROWS


def test_a_resubmission_reads_only_the_named_fields():
    data = post([("answers.floor_area", "150"), ("answers.applicant_name", "别的公司")])
    assert answers_from_post(restaurant(), data, keys={"floor_area"}) == {"floor_area": "150"}


def test_the_materials_a_form_stands_for_are_its_file_fields_materials():
    assert covered_materials(restaurant()) == {7}
    assert covered_materials(None) == set()


def test_prefilled_sources_are_plain_data():
    known = {"contact_mobile": Prefilled("13900139000", "account", "实名账号", authoritative=True)}
    view = form_view(restaurant(), {}, prefilled=known)
    field = next(f for f in view.fields if f.key == "contact_mobile")
    assert (field.mode, field.value, field.origin) == ("readonly", "13900139000", "实名账号")
