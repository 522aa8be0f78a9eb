"""The application form's answers travel with the case on every channel: checked by the same schema and rules,
refused field by field with nothing written, stored with the form version they were filed under."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, identity_number, person
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.cases.tests.with_forms import give_form
from onewindow.catalog import services as catalog_services
from onewindow.forms import services as form_services
from onewindow.forms.tests.factories import RESTAURANT_RULES, good_answers, restaurant_fields
from onewindow.forms.validation import FormInvalid


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def form(world):
    return give_form(world.item_a)


def application(world, **overrides) -> dict:
    materials = {m.name: m.pk for m in world.item_a.published_version.materials.all()}
    body = {
        "item_code": world.item_a.implementation_code, "channel": "online",
        "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(1), "mobile": "13800138000"},
        "materials": [{"material_id": materials["申请书"], "file": "申请书.pdf"}],
        "answers": good_answers(),
    }
    body.update(overrides)
    return body


def test_an_online_application_stores_its_answers_and_form_version(world, form):
    response = post_multipart(api_client(world.citizen), "/api/v1/cases/apply", application(world),
                              {"申请书.pdf": PDF})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["form_version_id"] == form.pk
    assert body["answers"]["floor_area"] == 120
    case = Case.objects.get()
    assert case.answers == case.first_answers == body["answers"]


def test_bad_answers_are_refused_field_by_field_and_nothing_is_written(world, form, settings):
    client = api_client(world.citizen)
    before = written(settings)
    response = post_multipart(client, "/api/v1/cases/apply",
                              application(world, materials=[], answers=good_answers(floor_area=0, kitchen_area=None)),
                              {})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "form_invalid"
    assert error["fields"]["answers.floor_area"] == "too_small"
    assert error["fields"]["answers.kitchen_area"] == "required"
    assert any(key.startswith("materials.") for key in error["fields"]), "the missing upload is named too"
    assert written(settings) == before


def test_the_window_intake_checks_the_same_form(world, form, settings):
    before = written(settings)
    with pytest.raises(FormInvalid) as refused:
        services.take_in_at_window(
            by=world.clerk_a, item=world.item_a, applicant=person(1), materials=[],
            decision=services.WindowDecision(kind="request_correction"),
            answers=good_answers(credit_code="91500103MA0000001X"))
    assert refused.value.fields["answers.credit_code"] == "invalid_credit_code"
    assert written(settings) == before
    done = services.take_in_at_window(by=world.clerk_a, item=world.item_a, applicant=person(1), materials=[],
                                      decision=services.WindowDecision(kind="request_correction"),
                                      answers=good_answers())
    assert done.case.form_version == form


def test_an_item_without_a_form_takes_no_answers(world):
    with pytest.raises(FormInvalid):
        services.take_in_at_window(by=world.clerk_b, item=world.item_b, applicant=person(1), materials=[],
                                   decision=services.WindowDecision(kind="request_correction"),
                                   answers={"x": 1})


def test_a_case_keeps_the_form_version_it_was_filed_under(world, form):
    done = services.take_in_at_window(by=world.clerk_a, item=world.item_a, applicant=person(1), materials=[],
                                      decision=services.WindowDecision(kind="request_correction"),
                                      answers=good_answers())
    draft = catalog_services.start_draft(world.item_a, by=None)
    fields = restaurant_fields() + [{"key": "seats", "kind": "number", "label_zh": "座位数", "required": True}]
    form_services.save_form(draft, by=None, fields=fields, rules=RESTAURANT_RULES)
    catalog_services.publish_version(draft, by=None, reason="增加座位数")
    done.case.refresh_from_db()
    world.item_a.refresh_from_db()
    assert done.case.form_version == form
    assert done.case.form_version.item_version_id != world.item_a.published_version_id
