"""A correction that names one field of the application form is answered through the API with that field alone
(POST /api/v1/cases/{number}/resubmit, `answers={"floor_area": 150}`): the fields left out keep the case's answers;
changing a field the notice did not name is still refused."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.cases.tests.with_forms import asked_to_correct_floor_area, give_form
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def asked(world):
    give_form(world.item_a)
    return asked_to_correct_floor_area(world)


def test_the_named_field_alone_is_enough_and_the_others_keep_their_answers(world, asked):
    response = post_multipart(api_client(world.citizen), f"/api/v1/cases/{asked.number}/resubmit",
                              {"answers": {"floor_area": 150}})

    assert response.status_code == 200, response.content
    asked.refresh_from_db()
    assert asked.state == State.SUBMITTED
    assert asked.answers == good_answers(floor_area=150) | {"floor_area": 150}


def test_changing_a_field_not_named_is_still_refused_and_nothing_is_written(world, asked, settings):
    client = api_client(world.citizen)
    before = written(settings)
    response = post_multipart(client, f"/api/v1/cases/{asked.number}/resubmit",
                              {"answers": {"floor_area": 150, "applicant_name": "别的公司"}})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"answers.applicant_name": "not_asked"}
    assert written(settings) == before
    case = Case.objects.get(pk=asked.pk)
    assert case.state == State.CORRECTION_REQUESTED and case.answers["floor_area"] == 120


def test_a_named_field_left_wrong_is_refused_by_the_form_rules(world, asked):
    response = post_multipart(api_client(world.citizen), f"/api/v1/cases/{asked.number}/resubmit",
                              {"answers": {"floor_area": 10}})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"answers.kitchen_area": "rule"}
