"""The answers as a person reads them (申请表内容的显示) in the page's language: on an English page the fields' and
choices' English names and the units in English (平方米 → m², 人 → persons, 万元 → 10,000 yuan), Chinese where no
English is given, an unknown unit as typed."""

from __future__ import annotations

from onewindow.forms.display import rows, value_text
from onewindow.forms.spec import field_from_dict
from onewindow.forms.tests.factories import good_answers
from onewindow.forms.tests.test_form_rendered_on_a_page import restaurant
from onewindow.forms.units import origin_text, unit_text


def test_an_english_reader_sees_english_names_choices_and_units():
    by_key = {r.key: r for r in rows(restaurant(), good_answers(), "en")}
    assert (by_key["floor_area"].label, by_key["floor_area"].value) == ("Floor area", "120 m²")
    assert (by_key["business_type"].label, by_key["business_type"].value) == ("Business type", "Catering")
    assert by_key["staff"].lines == ("1. Name: 李四, ID number: 11010519491231002X, Hours a week: 40",)


def test_a_chinese_reader_sees_the_form_as_before():
    by_key = {r.key: r for r in rows(restaurant(), good_answers())}
    assert (by_key["floor_area"].label, by_key["floor_area"].value) == ("经营面积", "120 平方米")
    assert by_key["business_type"].value == "餐饮"


def test_missing_english_falls_back_to_chinese_and_an_unknown_unit_stays_as_typed():
    field = field_from_dict({"key": "seats", "kind": "number", "label_zh": "座位数", "unit": "把"})
    assert value_text(field, 12, "en") == "12 把"
    choice = field_from_dict({"key": "kind", "kind": "choice", "label_zh": "类别",
                              "choices": [{"value": "a", "zh": "甲"}]})
    assert value_text(choice, "a", "en") == "甲" and choice.label("en") == "类别"


def test_common_units_and_sources_have_their_english():
    assert [unit_text(u, "en") for u in ("人", "万元", "间", "张", "天", "元", "米")] == \
        ["persons", "10,000 yuan", "rooms", "beds", "days", "yuan", "m"]
    assert unit_text("人", "zh") == "人"
    assert origin_text("证照 JY15001030000001", "en") == "licence JY15001030000001"
    assert origin_text("一件事申请表", "en") == "the package's form"
