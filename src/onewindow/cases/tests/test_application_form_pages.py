"""The application form (电子申请表) on the pages: the online application renders every field of the item's form,
files the answers through `apply_online`, keeps what was typed and names each field when refused, writes nothing
then; 检查填写 checks without filing; 暂存 keeps a draft that the page resumes and a submit discards; the window
intake and the resubmission after a correction file answers the same way — the resubmission changing only the
fields the correction notice names."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, identity_number
from onewindow.cases.tests.one_call import written
from onewindow.cases.tests.with_forms import give_form
from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links
from onewindow.forms.models import Draft
from onewindow.forms.tests.factories import good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def form(world):
    return give_form(world.item_a)


def _url(world) -> str:
    return reverse("cases:apply", args=[world.item_a.implementation_code])


def posted_answers(**changes) -> dict[str, str | list[str]]:
    """The restaurant's good answers as the page posts them: one name per input, numbers as typed."""
    answers = good_answers(**changes)
    out: dict[str, str | list[str]] = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            out.update({f"answers.{key}.{part}": text for part, text in value.items()})
        elif isinstance(value, list):
            for row, cells in enumerate(value):
                out.update({f"answers.{key}.{row}.{column}": str(text) for column, text in cells.items()})
        else:
            out[f"answers.{key}"] = str(value)
    return out


def uploads(world) -> dict:
    return {f"file{m.pk}": SimpleUploadedFile(f"{m.name}.pdf", PDF)
            for m in world.item_a.published_version.materials.all() if not m.fetchable}


def application(world, *, intent: str = "submit", files: bool = True, **answers) -> dict:
    body = {"idempotency_key": "web-1", "applicant_kind": "person", "applicant_name": "张三",
            "applicant_id_number": identity_number(1), "applicant_mobile": "13800138000", "intent": intent,
            **posted_answers(**answers)}
    return body | (uploads(world) if files else {})


def _page(response, status: int) -> str:
    assert response.status_code == status, response.content.decode()[:3000]
    html = response.content.decode()
    assert accessibility_problems(html) == []
    return html


def test_the_online_application_shows_every_field_of_the_items_form(client, world, form):
    client.force_login(world.citizen)
    html = _page(client.get(_url(world)), 200)
    for name in ("answers.applicant_name", "answers.business_address.street", "answers.business_type",
                 "answers.floor_area", "answers.kitchen_area", "answers.opening_date", "answers.staff.0.id_number",
                 "answers.contact_mobile"):
        assert f'name="{name}"' in html, name
    assert "平方米" in html and "填写范围：1 至 100000 平方米" in html
    assert 'data-shown-when="' in html, "the kitchen's area waits for 经营类型 = 餐饮"


def test_a_submitted_application_files_its_answers_and_numbers_typed_as_text_are_numbers(client, world, form):
    client.force_login(world.citizen)
    response = client.post(_url(world), application(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.form_version == form
    assert case.answers["floor_area"] == 120 and case.answers["staff"][0]["hours"] == 40
    assert case.answers["business_address"]["street"] == "解放碑街道"
    assert case.channel == "online"


def test_a_refused_application_keeps_what_was_typed_names_each_field_and_writes_nothing(client, world, form, settings):
    client.force_login(world.citizen)
    before = written(settings)
    body = application(world, floor_area=0, kitchen_area=None, credit_code="91500103MA0000001X")
    body["answers.staff.0.id_number"] = "110105194912310021"
    html = _page(client.post(_url(world), body), 422)

    assert written(settings)[:6] == before[:6], "no case, material, notice, audit event or number (files are kept)"
    links = error_summary_links(html)
    assert {"#answers-floor_area", "#answers-kitchen_area", "#answers-credit_code",
            "#answers-staff-0-id_number"} <= set(links), links
    assert "经营面积不能小于1平方米" in html and "请填写厨房面积" in html
    area = attributes_of(html, "answers-floor_area")
    assert area["value"] == "0" and area["aria-invalid"] == "true"
    assert "answers-floor_area-error" in area["aria-describedby"].split()
    assert attributes_of(html, "answers-business_address-street")["value"] == "解放碑街道"
    assert attributes_of(html, "answers-staff-0-name")["value"] == "李四"


def test_a_refused_application_in_english_names_the_fields_in_english(client, world, form):
    client.force_login(world.citizen)
    client.cookies["django_language"] = "en"
    html = _page(client.post(_url(world), application(world, floor_area=0)), 422)
    assert "Floor area must be at least 1" in html
    assert ">Floor area" in html and "Business type" in html and "Catering" in html


def test_the_answers_of_a_field_whose_condition_does_not_hold_are_ignored(client, world, form):
    client.force_login(world.citizen)
    body = application(world, business_type="retail", opening_date="2025-10-01")
    body["answers.kitchen_area"] = "很大"  # shown only for 餐饮: a page without script still posts it
    response = client.post(_url(world), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "kitchen_area" not in Case.objects.get().answers


def test_checking_the_form_names_each_problem_and_files_nothing(client, world, form, settings):
    client.force_login(world.citizen)
    before = written(settings)
    html = _page(client.post(_url(world), application(world, intent="check", floor_area=0)), 422)
    assert "#answers-floor_area" in error_summary_links(html)
    assert written(settings)[:6] == before[:6]

    html = _page(client.post(_url(world), application(world, intent="check")), 200)
    assert "检查通过" in html
    assert Case.objects.count() == 0


def test_a_saved_draft_is_resumed_with_its_time_and_can_be_discarded(client, world, form):
    client.force_login(world.citizen)
    response = client.post(_url(world), application(world, intent="save_draft", files=False, floor_area="12O"))
    assert response.status_code == 302
    assert Draft.objects.get().answers["floor_area"] == "12O", "a draft keeps what was typed, unchecked"

    html = _page(client.get(_url(world)), 200)
    assert "已恢复 2025-09-01" in html and "暂存的内容" in html
    assert attributes_of(html, "answers-floor_area")["value"] == "12O"
    assert attributes_of(html, "answers-staff-0-name")["value"] == "李四"

    response = client.post(_url(world), {"intent": "discard_draft"})
    assert response.status_code == 302 and Draft.objects.count() == 0
    html = _page(client.get(_url(world)), 200)
    assert "已恢复" not in html and attributes_of(html, "answers-floor_area")["value"] == ""


def test_a_successful_submit_discards_the_draft(client, world, form):
    client.force_login(world.citizen)
    client.post(_url(world), application(world, intent="save_draft", files=False))
    assert Draft.objects.count() == 1
    assert client.post(_url(world), application(world)).status_code == 302
    assert Draft.objects.count() == 0


@pytest.mark.parametrize("junk", [
    {"answers.staff.999999.name": "x"},
    {"answers.staff.-1.name": "x"},
    {"answers.staff.0x1.name": "x"},
    {"answers.nickname": "x", "answers.": "y", "answers.staff..name": "z"},
    {f"answers.staff.{n}.name": "张三" for n in range(150)},
])
def test_a_tampered_post_is_ignored_or_refused_cleanly(client, world, form, junk):
    client.force_login(world.citizen)
    response = client.post(_url(world), application(world) | junk)
    assert response.status_code in (302, 422), response.status_code
    if response.status_code == 302:
        assert "nickname" not in Case.objects.get().answers
        assert len(Case.objects.get().answers["staff"]) <= 100
