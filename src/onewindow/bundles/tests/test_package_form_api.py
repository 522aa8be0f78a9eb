"""一表申请 through the API: apply with the package's one set of answers, save and resume a draft of the package's
form, answer a correction that names a field; bad input is named field by field and writes nothing."""

import json

from django.test import Client

from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import company, package_answers, sub_case, with_forms
from onewindow.cases.models import Case
from onewindow.core.services import create_token
from onewindow.forms.models import DataElement, Draft

APPLICANT = {"kind": "organization", "name": company(1).name, "id_number": company(1).id_number,
             "legal_representative": "李四", "mobile": "13800138000"}
DRAFT = "/api/v1/themes/restaurant/form/draft"


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _send(client, method, path, body):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _create(client, answers):
    return _send(client, "post", "/api/v1/packages",
                 {"theme": "restaurant", "channel": "online", "applicant": APPLICANT, "answers": answers})


def test_a_package_applied_for_with_answers_shows_them_once_and_files_each_items_own(world):
    with_forms(world)
    response = _create(_client(world.citizen), package_answers(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["answers"] == package_answers(world)
    package = Package.objects.get(number=body["number"])
    assert sub_case(package, "food").answers["seats"] == 40
    assert "seats" not in sub_case(package, "licence").answers


def test_bad_answers_through_the_api_are_named_field_by_field_in_both_languages_and_nothing_is_written(world):
    with_forms(world)
    response = _create(_client(world.citizen), package_answers(world, floor_area=-5, seats=None))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "form_invalid"
    assert error["fields"] == {"answers.floor_area": "too_small", "answers.seats": "required"}
    assert not Package.objects.exists() and not Case.objects.exists()


def test_a_draft_of_the_package_form_is_saved_resumed_replaced_and_discarded_on_applying(world):
    with_forms(world)
    DataElement.objects.filter(code="credit_code").update(source="account", source_key="identity_number",
                                                          authoritative=True)
    client = _client(world.citizen)
    assert client.get(DRAFT).json()["answers"] == {}
    assert _send(client, "put", DRAFT, {"answers": {"floor_area": 80, "seats": 10}}).status_code == 200
    _send(client, "put", DRAFT, {"answers": {"floor_area": 90}})
    resumed = client.get(DRAFT).json()
    assert resumed["answers"] == {"floor_area": 90} and resumed["saved_at"]
    assert resumed["prefill"]["credit_code"] == {"value": world.citizen.identity_number, "origin": "实名账号",
                                                 "authoritative": True}
    assert Draft.objects.filter(theme=world.theme).count() == 1
    assert _create(client, package_answers(world)).status_code == 201
    assert client.get(DRAFT).json()["answers"] == {}, "the package is filed: its draft is gone"


def test_theme_drafts_are_refused_clearly(world):
    with_forms(world)
    assert Client().get(DRAFT).status_code == 401
    assert _send(Client(), "put", DRAFT, {"answers": {}}).status_code == 401
    client = _client(world.citizen)
    missing = client.get("/api/v1/themes/nowhere/form/draft")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = _send(client, "put", DRAFT, {"answers": ["floor_area"]})
    assert refused.status_code == 422
    assert not Draft.objects.exists()


def test_a_theme_without_forms_has_no_draft(world):
    response = _client(world.citizen).get(DRAFT)
    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {"code": "no_form"}


def test_a_correction_naming_a_field_is_answered_through_the_api(world):
    with_forms(world)
    citizen = _client(world.citizen)
    number = _create(citizen, package_answers(world)).json()["number"]
    window = _client(world.window)
    told = _send(window, "post", f"/api/v1/packages/{number}/correction",
                 {"lines": [{"field": "floor_area", "problem": "与房产证不符"}]})
    assert told.status_code == 200, told.content
    line = next(i for i in told.json()["corrections"][0]["items"] if i.get("field"))
    assert (line["field"], line["name"]) == ("floor_area", "经营面积")
    unknown = _send(window, "post", f"/api/v1/packages/{number}/correction",
                    {"lines": [{"field": "rooms", "problem": "有误"}]})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"] == {"lines.0.field": "unknown"}
    answers = citizen.get(f"/api/v1/packages/{number}").json()["answers"]
    refused = _send(citizen, "post", f"/api/v1/packages/{number}/answers", {"answers": {**answers, "seats": 99}})
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"answers.seats": "not_asked"}
    done = _send(citizen, "post", f"/api/v1/packages/{number}/answers", {"answers": {**answers, "floor_area": 150}})
    assert done.status_code == 200, done.content
    assert done.json()["answers"]["floor_area"] == 150
    # The materials this API client never uploaded are still missing: the package waits for them.
    assert done.json()["state"] == "correction_requested"
    package = Package.objects.get(number=number)
    assert sub_case(package, "food").answers["floor_area"] == 150


def test_an_authoritative_value_left_out_of_the_package_form_is_filed_and_a_change_is_refused_by_its_label(world):
    with_forms(world)
    DataElement.objects.filter(code="applicant_name").update(source="account", source_key="username",
                                                             authoritative=True)
    client = _client(world.citizen)
    changed = _create(client, package_answers(world, applicant_name="别的公司"))
    assert changed.status_code == 422
    assert changed.json()["error"]["fields"] == {"answers.applicant_name": "authoritative"}
    assert "“申请人名称”来自实名账号，不能修改" in changed.json()["error"]["message"]
    assert not Package.objects.exists()
    response = _create(client, package_answers(world, applicant_name=None))
    assert response.status_code == 201, response.content
    package = Package.objects.get(number=response.json()["number"])
    assert sub_case(package, "food").answers["applicant_name"] == world.citizen.username
    assert sub_case(package, "licence").answers["applicant_name"] == world.citizen.username


def test_the_package_forms_version_goes_up_when_a_parts_form_changes(world):
    from onewindow.bundles.tests.factories import FORMS
    from onewindow.catalog import services as catalog_services
    from onewindow.forms import services as form_services

    with_forms(world)
    before = Client().get("/api/v1/themes/restaurant/form").json()["x-form"]["version"]
    draft = catalog_services.start_draft(world.items["food"], by=None)
    form_services.save_form(draft, by=None, fields=FORMS["food"])
    catalog_services.publish_version(draft, by=None, reason="改申请表")
    after = Client().get("/api/v1/themes/restaurant/form").json()["x-form"]["version"]
    assert after == before + 1


def test_a_draft_resumed_on_a_newer_package_form_says_so(world):
    from onewindow.bundles.tests.factories import FORMS
    from onewindow.catalog import services as catalog_services
    from onewindow.forms import services as form_services

    with_forms(world)
    client = _client(world.citizen)
    _send(client, "put", DRAFT, {"answers": {"floor_area": 80}})
    assert client.get(DRAFT).json()["form_changed"] is False
    draft = catalog_services.start_draft(world.items["licence"], by=None)
    form_services.save_form(draft, by=None, fields=FORMS["licence"])
    catalog_services.publish_version(draft, by=None, reason="改申请表")
    resumed = client.get(DRAFT).json()
    assert resumed["form_changed"] is True and resumed["answers"] == {"floor_area": 80}
    _send(client, "put", DRAFT, {"answers": {"floor_area": 90}})
    assert client.get(DRAFT).json()["form_changed"] is False
