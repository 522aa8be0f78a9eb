"""On the case page the clerk's 补正告知（一次性告知） names fields of the case's application form, each with its own
problem; a post naming an unknown field, or a field without its problem, is refused naming it and writes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from onewindow.cases import selectors, services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Channel, CorrectionNotice
from onewindow.cases.tests.factories import at, complete_materials, person
from onewindow.cases.tests.with_forms import give_form
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def filed(world):
    give_form(world.item_a)
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   applicant_user=world.citizen, submit=True, answers=good_answers())
    complete_materials(case, by=world.clerk_a)
    case.refresh_from_db()
    return case


def post(client, case, **data):
    return client.post(reverse("cases:case_action", args=[case.number, "request_correction"]),
                       {"expected_version": case.version, **data})


def test_the_correction_form_offers_each_field_of_the_case_form_with_its_own_labelled_problem(client, world, filed):
    client.force_login(world.clerk_a)
    page = client.get(reverse("cases:case", args=[filed.number])).content.decode()

    assert "需补正的申请表字段" in page
    assert 'name="answer_fields" value="floor_area"' in page
    assert "“经营面积”存在的问题" in page and 'name="fp_floor_area"' in page


def test_the_clerk_names_a_field_and_the_applicant_may_change_only_it(client, world, filed):
    client.force_login(world.clerk_a)
    response = post(client, filed, answer_fields=["floor_area"], fp_floor_area="与房产证不符")

    assert response.status_code == 302, response.content.decode()[:2000]
    filed.refresh_from_db()
    assert filed.state == State.CORRECTION_REQUESTED
    assert selectors.fields_to_correct(filed) == ["floor_area"]
    line = filed.corrections.get().items[0]
    assert (line["field"], line["name"], line["problem"]) == ("floor_area", "经营面积", "与房产证不符")


@pytest.mark.parametrize(("data", "shown"), [
    ({"answer_fields": ["nowhere"]}, "申请表中没有字段“nowhere”"),
    ({"answer_fields": ["floor_area"]}, "请写明“经营面积”存在的问题"),
    ({"fp_floor_area": "与房产证不符"}, "写了问题的字段“经营面积”请同时勾选"),
])
def test_a_bad_post_is_refused_naming_the_field_and_writes_nothing(client, world, filed, data, shown):
    client.force_login(world.clerk_a)
    response = post(client, filed, **data)

    assert response.status_code == 422
    assert shown in response.content.decode()
    filed.refresh_from_db()
    assert filed.state == State.SUBMITTED and not CorrectionNotice.objects.filter(case=filed).exists()
