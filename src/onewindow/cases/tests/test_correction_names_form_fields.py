"""A correction notice can name fields of the application form ("经营面积 与房产证不符"); the applicant changes only
those, and the case shows what changed between the first submission and the corrected one."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases import selectors, services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Channel
from onewindow.cases.tests.factories import at, complete_materials, person
from onewindow.cases.tests.with_forms import asked_to_correct_floor_area, give_form
from onewindow.core.errors import InvalidInput
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def asked(world):
    give_form(world.item_a)
    return asked_to_correct_floor_area(world)


def test_the_notice_names_the_field_by_its_label(asked):
    line = asked.corrections.get().items[0]
    assert (line["field"], line["name"], line["problem"]) == ("floor_area", "经营面积", "与房产证不符")
    assert selectors.fields_to_correct(asked) == ["floor_area"]


def test_the_applicant_changes_the_named_field_and_the_case_shows_the_change(world, asked):
    services.resubmit_with_corrections(asked, by=world.citizen, answers=good_answers(floor_area=150))
    asked.refresh_from_db()
    assert asked.state == State.SUBMITTED
    assert asked.first_answers["floor_area"] == 120 and asked.answers["floor_area"] == 150
    assert [(c.label, c.first, c.now) for c in selectors.answer_changes(asked)] == [("经营面积", "120 平方米", "150 平方米")]


def test_a_change_to_a_field_not_named_is_refused_and_nothing_changes(world, asked):
    with pytest.raises(InvalidInput) as refused:
        services.resubmit_with_corrections(asked, by=world.citizen,
                                           answers=good_answers(floor_area=150, applicant_name="别的公司"))
    assert refused.value.fields == {"answers.applicant_name": "not_asked"}
    asked.refresh_from_db()
    assert asked.state == State.CORRECTION_REQUESTED and asked.answers["floor_area"] == 120


def test_the_corrected_answers_are_checked_by_the_form_the_case_was_filed_under(world, asked):
    with pytest.raises(InvalidInput) as refused:
        services.resubmit_with_corrections(asked, by=world.citizen, answers=good_answers(floor_area=10))
    assert refused.value.fields == {"answers.kitchen_area": "rule"}


def test_a_notice_cannot_name_a_field_the_form_does_not_have(world):
    give_form(world.item_a)
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   submit=True, answers=good_answers())
    complete_materials(case, by=world.clerk_a)
    with pytest.raises(InvalidInput) as refused:
        services.request_correction(case, by=world.clerk_a, items=[
            services.CorrectionItem(field="nowhere", problem="不符")])
    assert refused.value.fields == {"items.0.field": "invalid"}


def test_the_handling_department_sees_the_answers_and_what_the_correction_changed(client, world, asked):
    from django.urls import reverse

    services.resubmit_with_corrections(asked, by=world.citizen, answers=good_answers(floor_area=150))
    client.force_login(world.reviewer_a)
    page = client.get(reverse("cases:case", args=[asked.number])).content.decode()
    assert "渝中区好味餐饮有限公司" in page and "餐饮" in page
    assert "补正前后对照" in page
    assert "<del>120 平方米</del>" in page and "<ins>150 平方米</ins>" in page


def test_on_an_english_page_the_answers_and_the_change_carry_english_labels_and_the_words_as_filed(world, asked):
    from django.template.loader import render_to_string
    from django.utils import translation

    services.resubmit_with_corrections(asked, by=world.citizen, answers=good_answers(floor_area=150))
    asked.refresh_from_db()
    context = {"answer_rows": selectors.answer_rows(asked), "answer_changes": selectors.answer_changes(asked)}
    with translation.override("en"):
        english = render_to_string("cases/_answers.html", context)
    row = english.split('<table class="answer-changes cards">', 1)[1]
    assert '<th scope="row">Floor area</th>' in row, "the changed field is named in English"
    assert ' lang="zh-Hans"><ins>150 平方米</ins></td>' in row, "the words as filed, marked as Chinese"
    assert "<dt>Floor area</dt>" in english and "<dt>经营面积</dt>" not in english
    with translation.override("zh-hans"):
        chinese = render_to_string("cases/_answers.html", context)
    assert '<th scope="row">经营面积</th>' in chinese and "<dt>经营面积</dt>" in chinese


def test_an_english_case_page_shows_the_answers_and_the_changes_in_english(world, asked, client):
    services.resubmit_with_corrections(asked, by=world.citizen, answers=good_answers(floor_area=150))
    client.force_login(world.clerk_a)
    client.cookies["django_language"] = "en"
    page = client.get(f"/workbench/cases/{asked.number}/").content.decode()
    html = page[page.index('id="answers"'):]
    html = html[:html.index("</section>")]  # the notice's own words stay as written; the form is the page's
    assert "Floor area" in html and "Catering" in html and "150 m²" in html and "120 m²" in html
    assert "经营面积" not in html and "平方米" not in html and "<dd>餐饮</dd>" not in html
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/workbench/cases/{asked.number}/").content.decode()
    assert "经营面积" in html and "150 平方米" in html and "<dd>餐饮</dd>" in html
