"""The citizen's two one-call uses of the API: an online application (POST /api/v1/cases/apply) and the
corrections with the resubmission (POST /api/v1/cases/{number}/resubmit) — all or nothing, like the pages."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, PNG, at, case_in_state, identity_number
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.catalog.models import ItemVersion

URL = "/api/v1/cases/apply"


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def online(world):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    world.item_a.refresh_from_db()
    return world


def materials_of(world):
    return {m.name: m.pk for m in world.item_a.published_version.materials.all()}


def application(world, **overrides) -> dict:
    m = materials_of(world)
    body = {
        "item_code": world.item_a.implementation_code, "channel": "mobile",
        "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(1), "mobile": "13800138000"},
        "materials": [{"material_id": m["申请书"], "file": "申请书.pdf"},
                      {"material_id": m["场地证明"], "file": "场地.png"}],
    }
    body.update(overrides)
    return body


SCANS = {"申请书.pdf": PDF, "场地.png": PNG}


def test_an_online_application_is_created_uploaded_shared_and_submitted_in_one_call(online):
    response = post_multipart(api_client(online.citizen), URL, application(online), SCANS)

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert (body["state"], body["channel"], case.applicant_user) == ("submitted", "mobile", online.citizen)
    assert body["acceptance_due_on"] == "2025-09-08", "5 working days to accept"
    assert sorted((m["name"], m["provision"]) for m in body["materials"]) == [
        ("场地证明", "uploaded"), ("户籍证明", "shared"), ("申请书", "uploaded")]


def test_a_repeated_application_key_returns_the_first_case_and_writes_nothing(online, settings):
    client = api_client(online.citizen)
    first = post_multipart(client, URL, application(online), SCANS, HTTP_IDEMPOTENCY_KEY="app-1")
    before = written(settings)

    again = post_multipart(client, URL, application(online), SCANS, HTTP_IDEMPOTENCY_KEY="app-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert written(settings) == before


def test_bad_online_applications_are_one_json_error_each_and_write_nothing(online, settings):
    m = materials_of(online)
    client = api_client(online.citizen)
    cases = [
        ("a required upload left out", application(online, materials=[
            {"material_id": m["场地证明"], "file": "场地.png"}]), {"场地.png": PNG}, 422,
         f"materials.{m['申请书']}.file"),
        ("an unknown material", application(online, materials=[
            *application(online)["materials"], {"material_id": 424242, "file": "x.pdf"}]), {**SCANS, "x.pdf": PDF},
         422, "materials.424242"),
        ("the same material twice", application(online, materials=[
            *application(online)["materials"], {"material_id": m["申请书"], "file": "again.pdf"}]),
         {**SCANS, "again.pdf": PDF}, 422, f"materials.{m['申请书']}"),
        ("an empty file", application(online), {**SCANS, "申请书.pdf": b""}, 422, f"materials.{m['申请书']}.file"),
        ("a file named for a file not sent", application(online), {"申请书.pdf": PDF}, 422,
         f"materials.{m['场地证明']}.file"),
        ("a bad mobile number", application(online, applicant={**application(online)["applicant"],
                                                                "mobile": "12345"}), SCANS, 422, "applicant.mobile"),
        ("free post without an address", application(online, delivery_method="post"), SCANS, 422,
         "postal_address"),
        ("a window channel", application(online, channel="window"), SCANS, 422, "channel"),
    ]
    for what, body, files, status, field in cases:
        before = written(settings)

        response = post_multipart(client, URL, body, files)

        assert response.status_code == status, (what, response.content)
        assert field in response.json()["error"]["fields"], (what, response.json())
        assert written(settings) == before, f"{what}: nothing may be written"


def test_an_item_not_offered_online_and_staff_accounts_are_refused(world, settings):
    citizen, clerk = api_client(world.citizen), api_client(world.clerk_a)
    before = written(settings)

    not_online = post_multipart(citizen, URL, application(world), SCANS)
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    staff = post_multipart(clerk, URL, application(world), SCANS)

    assert (not_online.status_code, not_online.json()["error"]["fields"]) == (422, {"item_code": "not_online"}), \
        "the error names the field the request used for the item"
    assert staff.status_code == 403
    assert written(settings) == before


# -- corrections --------------------------------------------------------------------------------------------
def test_the_applicant_supplies_the_corrections_and_resubmits_in_one_call(world):
    case = case_in_state(world, State.CORRECTION_REQUESTED)
    m = materials_of(world)

    response = post_multipart(api_client(world.citizen), f"/api/v1/cases/{case.number}/resubmit", {
        "expected_version": case.version,
        "materials": [{"material_id": m["申请书"], "file": "a.pdf"}, {"material_id": m["场地证明"], "file": "b.png"}],
    }, {"a.pdf": PDF, "b.png": PNG})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "submitted"
    assert sorted(x["name"] for x in body["materials"]) == ["场地证明", "户籍证明", "申请书"]
    assert body["corrections"][0]["resolved_at"] is not None
    case.refresh_from_db()
    services.accept_case(case, by=world.clerk_a)  # everything the window needs is there now


def test_a_resubmission_without_a_required_material_or_from_a_stale_page_writes_nothing(world, settings):
    case = case_in_state(world, State.CORRECTION_REQUESTED)
    m = materials_of(world)
    client, other = api_client(world.citizen), api_client(world.citizen2)
    url = f"/api/v1/cases/{case.number}/resubmit"
    before = written(settings)

    without = post_multipart(client, url, {"materials": [{"material_id": m["场地证明"], "file": "b.png"}]},
                             {"b.png": PNG})
    stale = post_multipart(client, url, {"expected_version": case.version - 1, "materials": [
        {"material_id": m["申请书"], "file": "a.pdf"}]}, {"a.pdf": PDF})
    bad_file = post_multipart(client, url, {"materials": [{"material_id": m["申请书"], "file": "a.pdf"}]},
                              {"a.pdf": b"%PDF"[:2]})
    someone_else = post_multipart(other, url, {"materials": [
        {"material_id": m["申请书"], "file": "a.pdf"}]}, {"a.pdf": PDF})

    assert (without.status_code, without.json()["error"]["code"]) == (422, "materials_missing")
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "version_conflict")
    assert bad_file.status_code == 422 and f"materials.{m['申请书']}.file" in bad_file.json()["error"]["fields"]
    assert someone_else.status_code == 404
    assert written(settings) == before, "no material, audit event, number or file"
    assert Case.objects.get(pk=case.pk).state == State.CORRECTION_REQUESTED
