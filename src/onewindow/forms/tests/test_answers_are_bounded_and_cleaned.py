"""What a new-user trial found in the check of answers: invisible characters passing for an answer, huge answers
making the check work for everyone, a pattern's message saying nothing of the format."""

from __future__ import annotations

import pytest

from onewindow.forms.spec import FormSpec, check, clean_answers, field_from_dict, rule_from_dict
from onewindow.forms.tests.factories import RESTAURANT_RULES, good_answers, restaurant_fields


def restaurant(*extra: dict) -> FormSpec:
    return FormSpec(code="SC-1", title="食品经营许可申请表", version=1,
                    fields=tuple(field_from_dict(f) for f in [*restaurant_fields(), *extra]),
                    rules=tuple(rule_from_dict(r) for r in RESTAURANT_RULES))


def problems(answers, spec: FormSpec | None = None):
    spec = spec or restaurant()
    return {p.path: p for p in check(spec, clean_answers(spec.fields, answers))}


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200b \u3000\u200b"])
def test_invisible_characters_alone_do_not_answer_a_required_text(invisible):
    found = problems(good_answers(applicant_name=invisible))
    assert found["applicant_name"].code == "required"
    address = good_answers()["business_address"] | {"district": invisible}
    assert problems(good_answers(business_address=address))["business_address.district"].code == "required"


def test_invisible_characters_at_the_ends_of_an_answer_are_dropped():
    spec = restaurant()
    cleaned = clean_answers(spec.fields, good_answers(applicant_name="\ufeff\u200b老王饭店\u2060"))
    assert cleaned["applicant_name"] == "老王饭店"


WEBSITE = {"key": "website", "kind": "text", "label_zh": "公司网址", "label_en": "Company website",
           "pattern": "^https://.+$", "help_zh": "以 https:// 开头的完整网址", "help_en": "A full address starting with https://"}


def test_a_pattern_error_says_what_the_format_is_from_the_fields_help():
    found = problems(good_answers(website="www.example.com"), restaurant(WEBSITE))["website"]
    assert found.code == "pattern"
    assert found.message_zh == "公司网址格式不正确：以 https:// 开头的完整网址"
    assert found.message_en == "Company website is not in the expected format: A full address starting with https://"


def test_a_pattern_error_without_help_still_names_the_field():
    plain = WEBSITE | {"help_zh": "", "help_en": ""}
    found = problems(good_answers(website="www.example.com"), restaurant(plain))["website"]
    assert found.message_zh == "公司网址格式不正确"
