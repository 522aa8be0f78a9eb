"""Anyone may ask for the pre-check (智能预审): answers far larger than the form can hold are refused at once,
one clear error per field, before any schema check — on the pre-check, on filing and on a draft."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from onewindow.core.models import Role, User
from onewindow.core.services import create_token
from onewindow.forms.models import Draft
from onewindow.forms.spec import MAX_ERRORS, MAX_TABLE_ROWS, FormSpec, field_from_dict
from onewindow.forms.tests.factories import good_answers, item_with_form, restaurant_fields
from onewindow.forms.validation import FormInvalid, problems_of, validated_answers

pytestmark = pytest.mark.django_db

ROW = {"name": "李四", "id_number": "不是号码"}


def test_a_table_of_20000_rows_is_refused_at_once_without_signing_in():
    item, _ = item_with_form()
    started = time.monotonic()
    response = Client().post(f"/api/v1/items/{item.implementation_code}/form/check",
                             {"answers": good_answers(staff=[ROW] * 20_000)}, content_type="application/json")
    body = response.json()
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and body["valid"] is False
    assert body["errors"] == [{"path": "staff", "code": "too_long", "message_zh": f"从业人员不能超过{MAX_TABLE_ROWS}项",
                               "message_en": f"Staff may have at most {MAX_TABLE_ROWS} rows"}]
    assert body["answers"] == {}


def test_a_table_longer_than_its_own_most_rows_is_refused_by_that_number():
    fields = [f | {"max_length": 3} if f["key"] == "staff" else f for f in restaurant_fields()]
    spec = FormSpec("SC-1", "表", 1, tuple(field_from_dict(f) for f in fields))
    cleaned, problems = problems_of(spec, good_answers(staff=[{"name": "张三"}] * 4))
    assert [(p.path, p.code, p.message_zh) for p in problems] == [("staff", "too_long", "从业人员不能超过3项")]


def test_an_over_long_text_or_over_deep_answers_are_refused_before_the_check():
    spec = FormSpec("SC-1", "表", 1, tuple(field_from_dict(f) for f in restaurant_fields()))
    _, problems = problems_of(spec, good_answers(applicant_name="名" * 50_000))
    assert [(p.path, p.code) for p in problems] == [("applicant_name", "too_long")]
    deep: dict = {}
    for _ in range(50):
        deep = {"x": deep}
    _, problems = problems_of(spec, good_answers(nickname=deep))
    assert [(p.path, p.code) for p in problems] == [("", "too_large")]
    with pytest.raises(FormInvalid) as refused:
        validated_answers(spec, good_answers(staff=[ROW] * 20_000))
    assert refused.value.fields == {"answers.staff": "too_long"}


def test_at_most_a_hundred_errors_are_listed_with_a_count_of_the_rest():
    spec = FormSpec("SC-1", "表", 1, tuple(field_from_dict(f) for f in restaurant_fields()))
    _, problems = problems_of(spec, good_answers(staff=[ROW] * MAX_TABLE_ROWS))
    assert len(problems) == MAX_ERRORS + 1
    assert problems[-1].code == "too_many_errors"
    assert problems[-1].message_zh.startswith(f"另有{MAX_TABLE_ROWS - MAX_ERRORS}处错误未列出")


def test_a_draft_beyond_any_form_is_refused_and_not_kept():
    item, _ = item_with_form()
    citizen = User.objects.create(username="c1", role=Role.CITIZEN, mobile="13900139000")
    _, token = create_token(citizen)
    deep: dict = {}
    for _ in range(50):
        deep = {"x": deep}
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").put(
        f"/api/v1/items/{item.implementation_code}/form/draft", {"answers": {"nickname": deep}},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"answers": "invalid"}
    assert not Draft.objects.exists()
