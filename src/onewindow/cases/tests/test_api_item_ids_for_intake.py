"""`GET /api/v1/items/{code}` names what an intake must name: the item's id, its published version's id and each
material's id, so that a client that knows only the published API can take in a case."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, identity_number, make_world
from onewindow.core.services import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, settings):
    from onewindow.workdays.services import seed_from_package

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    seed_from_package(years=[2025])
    return make_world()


def test_the_item_detail_gives_the_ids_of_the_item_its_published_version_and_each_material(client, world):
    version = world.item_a.published_version

    body = client.get("/api/v1/items/SC-0001").json()

    assert body["id"] == world.item_a.pk
    assert body["version_id"] == version.pk
    assert [(m["id"], m["name"]) for m in body["materials"]] == [
        (m.pk, m.name) for m in version.materials.order_by("order")]
    assert body["id"] in [r["id"] for r in client.get("/api/v1/items").json()["results"]], "the list names it too"


def test_the_ids_are_described_in_the_published_schema(client, world):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "material_id" in schemas["ItemMaterialOut"]["properties"]["id"]["description"]
    assert "item_version_id" in schemas["ItemDetailOut"]["properties"]["version_id"]["description"]
    assert "item_id" in schemas["ItemDetailOut"]["properties"]["id"]["description"]


def test_an_intake_built_only_from_the_published_item_detail_is_accepted(world):
    guide = Client().get("/api/v1/items/SC-0001").json()
    lines, scans = [], []
    for material in guide["materials"]:
        if material["source"] == "government":
            lines.append({"material_id": material["id"], "status": "shared"})
        else:
            lines.append({"material_id": material["id"], "status": "received", "file": f"{material['name']}.pdf"})
            scans.append(SimpleUploadedFile(f"{material['name']}.pdf", PDF))
    payload = {"item_id": guide["id"], "decision": {"kind": "accept"}, "materials": lines,
               "applicant": {"kind": "person", "name": "李四", "id_number": identity_number(7), "mobile": "13900139000"}}
    _, token = create_token(world.clerk_a)

    with time_machine.travel(at("2025-09-01"), tick=False):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
            "/api/v1/cases/intake", data={"payload": json.dumps(payload, ensure_ascii=False), "files": scans})

    assert response.status_code == 201, response.content
    case = response.json()["case"]
    assert case["state"] == "accepted"
    assert case["item_version_id"] == guide["version_id"]
    assert sorted(m["name"] for m in case["materials"]) == sorted(m["name"] for m in guide["materials"])
    assert Case.objects.get().item_version_id == guide["version_id"]
