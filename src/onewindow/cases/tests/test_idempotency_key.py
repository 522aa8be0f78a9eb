"""An Idempotency-Key answers the first result only for the same request: the same key with another decision,
another applicant or other files is refused (409 `idempotency_key_reused`) and writes nothing — at the window,
online, when a case is opened step by step, and from the intake page; the OpenAPI of every operation that honours
the key declares its header."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, PNG, at, identity_number
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.cases.tests.test_intake_in_one_call import SCANS, payload
from onewindow.cases.tests.test_pages import intake_post
from onewindow.catalog.models import ItemVersion

INTAKE = "/api/v1/cases/intake"


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


def _refused_as_reused(response) -> None:
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert response.json()["error"]["fields"] == {"Idempotency-Key": "reused"}


def test_the_window_key_with_another_decision_name_or_file_is_refused_and_writes_nothing(world, settings):
    client = api_client(world.clerk_a)
    first = post_multipart(client, INTAKE, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-1")
    before = written(settings)

    others = {
        "a refusal instead of the acceptance": (payload(world, decision={"kind": "refuse", "reason": "不属于本机关"}),
                                                SCANS),
        "another applicant name": (payload(world, applicant={**payload(world)["applicant"], "name": "李四四"}), SCANS),
        "another scan of the same material": (payload(world), {**SCANS, "申请书.pdf": PDF + b"second scan"}),
        "another delivery": (payload(world, delivery_method="post", postal_address="重庆市渝中区解放碑1号"), SCANS),
    }
    for what, (body, files) in others.items():
        response = post_multipart(client, INTAKE, body, files, HTTP_IDEMPOTENCY_KEY="desk-1")
        _refused_as_reused(response)
        assert written(settings) == before, f"{what}: nothing may be written"

    again = post_multipart(client, INTAKE, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case"]["number"] == first.json()["case"]["number"]
    assert written(settings) == before


def test_the_order_of_the_checklist_lines_does_not_make_another_request(world, settings):
    client = api_client(world.clerk_a)
    first = post_multipart(client, INTAKE, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-2")
    reordered = payload(world, lines=list(reversed(payload(world)["materials"])))

    again = post_multipart(client, INTAKE, reordered, SCANS, HTTP_IDEMPOTENCY_KEY="desk-2")

    assert again.status_code == 200 and again.json()["case"]["number"] == first.json()["case"]["number"]


def test_an_online_key_with_other_files_is_refused(world, settings):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    materials = {m.name: m.pk for m in world.item_a.published_version.materials.all()}
    body = {"item_id": world.item_a.pk, "channel": "online",
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(3), "mobile": "13800138000"},
            "materials": [{"material_id": materials["申请书"], "file": "申请书.pdf"}]}
    client = api_client(world.citizen)
    assert post_multipart(client, "/api/v1/cases/apply", body, {"申请书.pdf": PDF},
                          HTTP_IDEMPOTENCY_KEY="web-1").status_code == 201
    before = written(settings)

    response = post_multipart(client, "/api/v1/cases/apply", body, {"申请书.pdf": PNG}, HTTP_IDEMPOTENCY_KEY="web-1")

    _refused_as_reused(response)
    assert written(settings) == before


def test_opening_a_case_with_the_key_of_another_request_is_refused(world, settings):
    client = api_client(world.clerk_a)
    body = {"item_id": world.item_a.pk, "channel": "window",
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(3), "mobile": "13800138000"}}
    assert client.post("/api/v1/cases", body, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="open-1").status_code == 201
    before = written(settings)

    for other in ({**body, "submit": True}, {**body, "applicant": {**body["applicant"], "name": "张叁"}}):
        _refused_as_reused(client.post("/api/v1/cases", other, content_type="application/json",
                                       HTTP_IDEMPOTENCY_KEY="open-1"))
    # The key of a case opened step by step is not the key of a whole intake either.
    _refused_as_reused(post_multipart(client, INTAKE, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="open-1"))
    assert written(settings) == before


def test_the_intake_page_posted_again_with_a_changed_decision_says_so_and_keeps_one_case(client, world):
    client.force_login(world.clerk_a)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])
    client.post(url, intake_post(world))

    changed = client.post(url, intake_post(world, decision="refuse", reason="不属于本机关职权范围"))

    assert changed.status_code == 409
    assert "Idempotency-Key 已用于另一个请求" in changed.content.decode()
    assert Case.objects.count() == 1 and Case.objects.get().state == "accepted"


def test_every_operation_that_honours_the_key_declares_its_header():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    declaring = {
        (method.upper(), path) for path, operations in paths.items() for method, operation in operations.items()
        if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }

    assert declaring == {("POST", "/api/v1/cases"), ("POST", "/api/v1/cases/intake"),
                         ("POST", "/api/v1/cases/apply"), ("POST", "/api/v1/packages")}
