"""一表申请: a shared element asked once takes the label — Chinese and English — of the first form that asks it."""

from __future__ import annotations

from onewindow.forms.spec import FieldSpec, FormSpec, merge


def form(code: str, zh: str, en: str) -> FormSpec:
    name = FieldSpec(key="applicant_name", kind="text", label_zh=zh, label_en=en, element="applicant_name")
    return FormSpec(code=code, title=code, version=1, fields=(name,))


def test_the_merged_field_says_it_as_the_first_form_does_in_both_languages():
    merged, _keys = merge("restaurant", "开饭店", 1, [form("A", "公司名称", "Company name"),
                                                     form("B", "经营者名称", "Operator's name")])
    field = merged.field("applicant_name")
    assert (field.label_zh, field.label_en) == ("公司名称", "Company name")
