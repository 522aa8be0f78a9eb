"""A package application's Idempotency-Key follows the rule of every use-case that honours one: the same request
again answers the first package; the same key with another request is refused (409) and writes nothing."""

import json

import pytest
from django.test import Client

from onewindow.bundles import services
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import PDF, apply, at, company, credit_code, form_files
from onewindow.cases.models import Case
from onewindow.core.errors import Conflict
from onewindow.core.models import AuditEvent
from onewindow.core.services import create_token

APPLICANT = {"kind": "organization", "name": "渝中味道餐饮有限公司", "id_number": credit_code(7),
             "legal_representative": "李四", "mobile": "13800138000"}


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client: Client, body: dict, key: str):
    return client.post("/api/v1/packages", data=json.dumps(body, ensure_ascii=False),
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def _written() -> tuple:
    return Package.objects.count(), Case.objects.count(), AuditEvent.objects.count()


def test_the_same_key_with_another_applicant_is_refused_through_the_api_and_writes_nothing(world):
    client = _client(world.citizen)
    body = {"theme": "restaurant", "channel": "online", "applicant": APPLICANT}
    first = _post(client, body, "pkg-1")
    before = _written()

    renamed = _post(client, {**body, "applicant": {**APPLICANT, "name": "渝中味道餐饮二店有限公司"}}, "pkg-1")
    by_post = _post(client, {**body, "delivery_method": "post", "postal_address": "重庆市渝中区解放碑1号"}, "pkg-1")
    again = _post(client, body, "pkg-1")

    assert first.status_code == 201, first.content
    for refused in (renamed, by_post):
        assert refused.status_code == 409, refused.content
        assert refused.json()["error"]["code"] == "idempotency_key_reused"
        assert refused.json()["error"]["fields"] == {"Idempotency-Key": "reused"}
    assert (again.status_code, again.json()["number"]) == (200, first.json()["number"])
    assert _written() == before, "neither the refused requests nor the replay wrote anything"


def test_the_same_key_with_other_files_is_refused_and_with_the_same_files_answers_the_first_package(world):
    first = apply(world, key="form-7")
    before = _written()

    other_files = [services.PackageFile(f.name, PDF + b"another scan", f.filename) for f in form_files()]
    with pytest.raises(Conflict) as refused:
        services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(), channel="online",
                                 materials=other_files, idempotency_key="form-7", at=at("2025-09-01"))
    replay, created = services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(),
                                               channel="online", materials=form_files(), idempotency_key="form-7",
                                               at=at("2025-09-01"))

    assert refused.value.code == "idempotency_key_reused"
    assert (replay, created) == (first, False)
    assert _written() == before


def test_the_package_operation_declares_the_idempotency_key_header(world):
    operation = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/packages"]["post"]

    assert [(p["in"], p["name"]) for p in operation.get("parameters", [])] == [("header", "Idempotency-Key")]
