"""The application form (电子申请表) on the pages: the online application renders every field of the item's form,
files the answers through `apply_online`, keeps what was typed and names each field when refused, writes nothing
then; 检查填写 checks without filing; 暂存 keeps a draft that the page resumes and a submit discards; the window
intake and the resubmission after a correction file answers the same way — the resubmission changing only the
fields the correction notice names."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.selectors import fields_to_correct
from onewindow.cases.tests.factories import PDF, at, identity_number, person
from onewindow.cases.tests.one_call import written
from onewindow.cases.tests.test_pages import intake_post
from onewindow.cases.tests.with_forms import asked_to_correct_floor_area, give_form, posted_answers
from onewindow.core.errors import InvalidInput
from onewindow.core.services import create_token
from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links
from onewindow.forms.models import DataElement, Draft
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


def test_a_draft_resumed_on_a_newer_form_tells_the_applicant_to_check_it(client, world, form):
    client.force_login(world.citizen)
    client.post(_url(world), application(world, intent="save_draft", files=False, floor_area="85"))
    html = _page(client.get(_url(world)), 200)
    assert "暂存的内容" in html and "申请表已于暂存后更新" not in html, "the same form: nothing to check"

    give_form(world.item_a)  # the item publishes a new version of its form after the draft was saved
    html = _page(client.get(_url(world)), 200)
    note = html[html.index("draft-note"):html.index("discard_draft")]
    assert "已恢复 2025-09-01" in note and "申请表已于暂存后更新，请核对各项内容" in note, "in the same note"
    assert attributes_of(html, "answers-floor_area")["value"] == "85", "what was typed is still resumed"
    client.cookies["django_language"] = "en"
    assert "The application form has been updated since the draft was saved" in _page(client.get(_url(world)), 200)

    client.post(_url(world), application(world, intent="save_draft", files=False, floor_area="86"))
    assert "The application form has been updated" not in _page(client.get(_url(world)), 200), \
        "a draft saved again on the form in force needs no check"


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


# -- the window intake ----------------------------------------------------------------------------------------
def _intake_url(world) -> str:
    return reverse("cases:intake", args=[world.item_a.implementation_code])


def test_the_window_intake_files_the_answers_typed_for_the_applicant(client, world, form):
    client.force_login(world.clerk_a)
    html = _page(client.get(_intake_url(world)), 200)
    assert 'name="answers.floor_area"' in html

    response = client.post(_intake_url(world), intake_post(world, **posted_answers()))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.channel == "window" and case.answers["floor_area"] == 120 and case.form_version == form


def test_the_answers_show_identity_numbers_and_mobiles_whole_only_to_whom_the_applicants_are(client, world, form):
    """The answers follow the rule of the applicant's own identity number on the case page: whole for the
    handling department's staff, masked (table cells too) for anyone else who may open the case."""
    client.force_login(world.clerk_a)
    assert client.post(_intake_url(world), intake_post(world, **posted_answers())).status_code == 302
    case = Case.objects.get()
    url = reverse("cases:case", args=[case.number])
    html = _page(client.get(url), 200)
    answers = html[html.index('id="answers"'):]
    assert "11010519491231002X" in answers and "13800138000" in answers
    client.force_login(world.supervisor)
    html = _page(client.get(url), 200)
    answers = html[html.index('id="answers"'):]
    assert "1101**********002X" in answers and "138****8000" in answers
    assert "11010519491231002X" not in html and "13800138000" not in html
    assert case.applicant_id_number not in html, "as the applicant's own number above the answers"


def test_a_refused_intake_keeps_the_answers_names_each_field_and_writes_nothing(client, world, form, settings):
    client.force_login(world.clerk_a)
    before = written(settings)
    html = _page(client.post(_intake_url(world), intake_post(world, **posted_answers(business_type="mining"))), 422)
    assert written(settings)[:6] == before[:6]
    assert "#answers-business_type" in error_summary_links(html)
    assert attributes_of(html, "answers-floor_area")["value"] == "120"
    assert attributes_of(html, "answers-applicant_name")["value"] == "渝中区好味餐饮有限公司"


def test_the_window_intake_asks_at_once_to_correct_fields_of_the_form(client, world, form):
    client.force_login(world.clerk_a)
    html = _page(client.get(_intake_url(world)), 200)
    assert 'name="answer_fields" value="floor_area"' in html and 'name="fp_floor_area"' in html

    response = client.post(_intake_url(world), intake_post(world, decision="request_correction", **posted_answers(),
                                                           answer_fields=["floor_area"], fp_floor_area="与房产证不符"))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.state == State.CORRECTION_REQUESTED and fields_to_correct(case) == ["floor_area"]
    html = _page(client.get(reverse("cases:case", args=[case.number])), 200)
    assert "经营面积" in html and "与房产证不符" in html, "the notice names the field and its problem"


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"answer_fields": ["floor_area"]}, "fp_floor_area", "请写明“经营面积”存在的问题"),
    ({"answer_fields": ["nickname"], "fp_nickname": "x"}, "answer_fields", "申请表中没有字段“nickname”"),
    ({"fp_floor_area": "与房产证不符"}, "fp_floor_area", "写了问题的字段“经营面积”请同时勾选"),
    ({"decision": "accept", "answer_fields": ["floor_area"], "fp_floor_area": "与房产证不符"}, "answer_fields",
     "只有一次性告知补正可以列出需补正的申请表字段"),
])
def test_a_bad_field_correction_at_the_window_is_refused_naming_the_field_and_writes_nothing(
        client, world, form, settings, extra, field, message):
    client.force_login(world.clerk_a)
    before = written(settings)
    body = intake_post(world, **posted_answers()) | {"decision": "request_correction"} | extra
    html = _page(client.post(_intake_url(world), body), 422)
    assert message in html
    assert any(link.startswith(f"#id_{field}") for link in error_summary_links(html)), error_summary_links(html)
    assert written(settings)[:6] == before[:6] and Case.objects.count() == 0


def test_the_intake_api_names_an_unknown_or_empty_form_field_of_the_correction(world, form):
    with pytest.raises(InvalidInput) as refused:
        services.take_in_at_window(**_window_intake(world, fields=(("nickname", "x"), ("floor_area", " "))))
    assert refused.value.fields == {"decision.fields.nickname": "invalid", "decision.fields.floor_area": "required"}
    assert Case.objects.count() == 0
    intake = services.take_in_at_window(**_window_intake(world, fields=(("floor_area", "与房产证不符"),)))
    assert fields_to_correct(intake.case) == ["floor_area"]


def test_the_intake_api_takes_the_fields_to_correct_by_key_and_names_a_bad_one(world, form):
    m = {mat.name: mat.pk for mat in world.item_a.published_version.materials.all()}
    payload = {"item_id": world.item_a.pk, "answers": good_answers(),
               "decision": {"kind": "request_correction", "fields": {"floor_area": "", "nickname": "x"}},
               "materials": [{"material_id": m["申请书"], "status": "received", "file": "申请书.pdf"},
                             {"material_id": m["户籍证明"], "status": "shared"},
                             {"material_id": m["场地证明"], "status": "received", "file": "场地.pdf"}],
               "applicant": {"kind": "person", "name": "李四", "id_number": identity_number(7), "mobile": "13900139000"}}
    _, token = create_token(world.clerk_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def send():
        files = [SimpleUploadedFile("申请书.pdf", PDF), SimpleUploadedFile("场地.pdf", PDF)]
        return client.post("/api/v1/cases/intake", data={"payload": json.dumps(payload, ensure_ascii=False),
                                                          "files": files})

    refused = send()
    assert refused.status_code == 422, refused.content
    assert refused.json()["error"]["fields"] == {"decision.fields.floor_area": "required",
                                                 "decision.fields.nickname": "invalid"}
    assert Case.objects.count() == 0
    payload["decision"]["fields"] = {"floor_area": "与房产证不符"}
    filed = send()
    assert filed.status_code == 201, filed.content
    assert fields_to_correct(Case.objects.get()) == ["floor_area"]


def _window_intake(world, *, fields) -> dict:
    m = {mat.name: mat for mat in world.item_a.published_version.materials.all()}
    return {"by": world.clerk_a, "item": world.item_a, "applicant": person(7), "answers": good_answers(),
            "materials": [services.CheckedMaterial(m["申请书"].pk, "received", scan=services.Scan(PDF, "申请书.pdf")),
                          services.CheckedMaterial(m["户籍证明"].pk, "shared"),
                          services.CheckedMaterial(m["场地证明"].pk, "received", scan=services.Scan(PDF, "场地.pdf"))],
            "decision": services.WindowDecision(kind="request_correction", fields=fields)}


# -- the resubmission after a correction naming a field -------------------------------------------------------
@pytest.fixture
def asked(world, form):
    return asked_to_correct_floor_area(world)


def _resubmit(client, case, **answers):
    return client.post(reverse("cases:my_case", args=[case.number]),
                       {"action": "submit", "expected_version": case.version, **answers})


def test_the_resubmission_offers_only_the_named_fields_and_shows_the_others(client, world, asked):
    client.force_login(world.citizen)
    html = _page(client.get(reverse("cases:my_case", args=[asked.number])), 200)
    assert attributes_of(html, "answers-floor_area")["value"] == "120"
    assert 'name="answers.applicant_name"' not in html and 'name="answers.staff.0.name"' not in html
    assert "渝中区好味餐饮有限公司" in html, "the fields not named are shown as they were filed"


def test_the_resubmission_changes_the_named_field_and_keeps_the_others(client, world, asked):
    client.force_login(world.citizen)
    response = _resubmit(client, asked, **{"answers.floor_area": "150", "answers.applicant_name": "别的公司"})
    assert response.status_code == 302, response.content.decode()[:3000]
    asked.refresh_from_db()
    assert asked.state == State.SUBMITTED
    assert asked.answers == good_answers(floor_area=150), "a name posted for a field not named is ignored"
    assert asked.first_answers["floor_area"] == 120


def test_a_refused_resubmission_keeps_the_value_names_the_field_and_changes_nothing(client, world, asked, settings):
    client.force_login(world.citizen)
    before = written(settings)
    html = _page(_resubmit(client, asked, **{"answers.floor_area": "0"}), 422)
    assert written(settings)[:6] == before[:6]
    assert "#answers-floor_area" in error_summary_links(html)
    assert attributes_of(html, "answers-floor_area")["value"] == "0"
    asked.refresh_from_db()
    assert asked.state == State.CORRECTION_REQUESTED and asked.answers["floor_area"] == 120


# -- the paper 申请书 the form stands for ------------------------------------------------------------------------
@pytest.fixture
def replacing(world):
    return give_form(world.item_a, replaces="申请书")


def test_the_online_page_asks_no_upload_of_the_paper_form_and_files_the_generated_one(client, world, replacing):
    client.force_login(world.citizen)
    book = replacing.replaces
    html = _page(client.get(_url(world)), 200)
    assert f'name="file{book.pk}"' not in html and "由上面的申请表生成，无需另行上传" in html

    body = {k: v for k, v in application(world).items() if k != f"file{book.pk}"}
    response = client.post(_url(world), body)

    assert response.status_code == 302, response.content.decode()[:3000]
    filed = Case.objects.get().materials.get(material=book)
    assert filed.original_name == "申请书（电子申请表）.pdf" and filed.content_type == "application/pdf"
    assert filed.file.read().startswith(b"%PDF")


def test_the_window_checks_no_paper_form_when_the_answers_are_typed_in(client, world, replacing):
    client.force_login(world.clerk_a)
    book = replacing.replaces
    html = _page(client.get(_intake_url(world)), 200)
    assert f'name="m{book.pk}_status"' not in html and "由上面录入的申请表生成" in html

    body = {k: v for k, v in intake_post(world, **posted_answers()).items() if not k.startswith(f"m{book.pk}_")}
    response = client.post(_intake_url(world), body)

    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.state == State.ACCEPTED
    assert case.materials.get(material=book).original_name == "申请书（电子申请表）.pdf"


def test_without_answers_the_paper_form_is_still_required(world, replacing):
    with pytest.raises(InvalidInput) as refused:
        services.apply_online(by=world.citizen, item=world.item_a, applicant=person(1), materials=[])
    assert f"materials.{replacing.replaces.pk}.file" in refused.value.fields


# -- 减填写: what the center holds, filled in ---------------------------------------------------------------------
@pytest.fixture
def mobile_on_record(world, form):
    """The contact mobile is the account's (实名账号), an authoritative source; the citizen's is 13900139000."""
    DataElement.objects.filter(code="contact_mobile").update(source="account", source_key="mobile",
                                                            authoritative=True)
    world.citizen.mobile = "13900139000"
    world.citizen.save()


def test_the_page_fills_in_the_accounts_mobile_read_only_with_its_source_and_files_it(client, world,
                                                                                     mobile_on_record):
    client.force_login(world.citizen)
    html = _page(client.get(_url(world)), 200)
    mobile = attributes_of(html, "answers-contact_mobile")
    assert mobile["value"] == "13900139000" and "readonly" in mobile and "disabled" not in mobile
    assert "来自：" in html and "实名账号" in html

    response = client.post(_url(world), application(world, contact_mobile="13900139000"))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.answers["contact_mobile"] == "13900139000"
    assert case.prefill_sources == {"contact_mobile": "实名账号"}


def test_a_tampered_authoritative_value_is_refused_and_nothing_is_filed(client, world, mobile_on_record):
    client.force_login(world.citizen)
    response = client.post(_url(world), application(world, contact_mobile="13800138000"))
    assert response.status_code == 422
    assert "不能修改" in response.content.decode()
    assert Case.objects.count() == 0
    assert attributes_of(response.content.decode(), "answers-contact_mobile")["value"] == "13900139000", \
        "the record's value is shown again"
