"""A number field that counts (从业人员数、就餐座位数) takes whole numbers only: its schema says `integer`, a
fraction is refused in Chinese and English, and the option travels with the form (stored, exported, imported)."""

from __future__ import annotations

import pytest

from onewindow.forms.selectors import spec_of
from onewindow.forms.spec import (
    FormSpec,
    check,
    clean_answers,
    design_problems,
    field_from_dict,
    json_schema,
    spec_to_dict,
)
from onewindow.forms.tests.factories import good_answers, item_with_form, restaurant_fields

SEATS = {"key": "seats", "kind": "number", "label_zh": "就餐座位数", "label_en": "Seats", "unit": "个",
         "min_value": 0, "max_value": 10000, "whole_number": True}


def spec_with(*extra: dict) -> FormSpec:
    return FormSpec("SC-1", "表", 1, tuple(field_from_dict(f) for f in [*restaurant_fields(), *extra]))


def test_a_fraction_of_a_count_is_refused_and_a_whole_number_passes():
    spec = spec_with(SEATS)
    assert json_schema(spec)["properties"]["seats"]["type"] == "integer"
    for fraction in (3.5, "3.5"):
        found = {p.path: p for p in check(spec, clean_answers(spec.fields, good_answers(seats=fraction)))}
        assert (found["seats"].code, found["seats"].message_zh, found["seats"].message_en) == (
            "type", "就餐座位数应为整数", "Seats must be a whole number")
    assert check(spec, clean_answers(spec.fields, good_answers(seats="40"))) == []


def test_a_number_without_the_option_still_takes_fractions():
    spec = spec_with(SEATS | {"whole_number": False})
    assert check(spec, clean_answers(spec.fields, good_answers(seats=3.5))) == []


def test_the_option_is_kept_through_plain_data_and_only_on_a_number():
    field = field_from_dict(SEATS)
    assert spec_to_dict(field)["whole_number"] is True and field_from_dict(spec_to_dict(field)) == field
    assert "whole_number" not in spec_to_dict(field_from_dict(SEATS | {"whole_number": False}))
    text = SEATS | {"kind": "text"}
    assert "fields.10.whole_number" in design_problems(spec_with(text))


@pytest.mark.django_db
def test_the_option_is_stored_with_the_form():
    _, form = item_with_form([*restaurant_fields(), SEATS])
    assert spec_of(form).field("seats").whole_number
    assert not spec_of(form).field("floor_area").whole_number
