"""The window's intake in one API call (POST /api/v1/cases/intake): the case, its materials, its state and the
notice to hand over come back together; any refused input answers one JSON error and leaves nothing written."""

from __future__ import annotations

import pytest
import time_machine
from pypdf import PdfReader

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CorrectionNotice
from onewindow.cases.tests.factories import PDF, PNG, at, identity_number
from onewindow.cases.tests.one_call import api_client, post_multipart, written

URL = "/api/v1/cases/intake"


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


def materials_of(world):
    """申请书 (必要), 户籍证明 (必要, 政府核发), 场地证明 (容缺后补), 其他说明 (非必要)."""
    return {m.name: m.pk for m in world.item_a.published_version.materials.all()}


def payload(world, *, decision=None, lines=None, **overrides) -> dict:
    m = materials_of(world)
    body = {
        "item_code": world.item_a.implementation_code,
        "applicant": {"kind": "person", "name": "李四", "id_number": identity_number(7), "mobile": "13900139000"},
        "materials": lines if lines is not None else [
            {"material_id": m["申请书"], "status": "received", "file": "申请书.pdf"},
            {"material_id": m["户籍证明"], "status": "shared"},
            {"material_id": m["场地证明"], "status": "received", "file": "场地.png"},
            {"material_id": m["其他说明"], "status": "missing"},
        ],
        "decision": decision or {"kind": "accept"},
    }
    body.update(overrides)
    return body


SCANS = {"申请书.pdf": PDF, "场地.png": PNG}


# -- the happy paths --------------------------------------------------------------------------------------------
def test_a_complete_application_is_accepted_in_one_call_with_its_scans_and_the_acceptance_notice(world, settings):
    client = api_client(world.clerk_a)

    response = post_multipart(client, URL, payload(world), SCANS)

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["case"]["number"] == case.number and body["case"]["state"] == "accepted"
    assert body["case"]["due_on"] == "2025-09-15", "10 working days from the day of acceptance"
    assert sorted((m["name"], m["provision"]) for m in body["case"]["materials"]) == [
        ("场地证明", "uploaded"), ("户籍证明", "shared"), ("申请书", "uploaded")]
    assert len(list(settings.MEDIA_ROOT.rglob("*.*"))) == 2, "the two scans are kept"
    assert body["notice"]["kind"] == "acceptance" and body["notice"]["title"] == "受理通知书"
    notice = client.get(body["notice"]["url"])
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(notice.content)).pages)
    assert case.number in text.replace(" ", "")


def test_a_tolerated_material_may_be_missing_against_a_promised_date(world):
    m = materials_of(world)
    lines = payload(world)["materials"]
    lines[2] = {"material_id": m["场地证明"], "status": "missing"}

    response = post_multipart(api_client(world.clerk_a), URL, payload(
        world, lines=lines, decision={"kind": "accept", "tolerance_due_on": "2025-09-10"}), {"申请书.pdf": PDF})

    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.state == State.ACCEPTED
    assert [t["name"] for t in case.tolerated_materials] == ["场地证明"]
    assert response.json()["case"]["tolerance_due_on"] == "2025-09-10"


def test_missing_and_faulty_materials_are_asked_for_at_once_in_one_correction_notice(world):
    m = materials_of(world)
    lines = [{"material_id": m["申请书"], "status": "faulty", "problem": "未签名盖章"},
             {"material_id": m["户籍证明"], "status": "shared"}]

    response = post_multipart(api_client(world.clerk_a), URL, payload(
        world, lines=lines, decision={"kind": "request_correction", "note": "请本人签名"}))

    assert response.status_code == 201, response.content
    assert response.json()["case"]["state"] == "correction_requested"
    assert response.json()["notice"]["kind"] == "correction"
    notice = CorrectionNotice.objects.get()
    assert {line["name"]: line["problem"] for line in notice.items} == {"申请书": "未签名盖章", "场地证明": "未提交，请补交"}
    assert notice.note == "请本人签名"


def test_a_refusal_at_the_window_gives_the_refusal_notice(world):
    response = post_multipart(api_client(world.clerk_a), URL, payload(
        world, decision={"kind": "refuse", "reason": "不属于本机关职权范围"}), SCANS)

    assert response.status_code == 201, response.content
    assert response.json()["case"]["state"] == "not_accepted"
    assert response.json()["notice"]["kind"] == "refusal"
    assert api_client(world.clerk_a).get(response.json()["notice"]["url"]).status_code == 200


def test_a_repeated_key_returns_the_first_intake_and_writes_nothing(world, settings):
    client = api_client(world.clerk_a)
    first = post_multipart(client, URL, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-7-0001")
    before = written(settings)

    again = post_multipart(client, URL, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-7-0001")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case"]["number"] == first.json()["case"]["number"]
    assert again.json()["notice"]["kind"] == "acceptance"
    assert written(settings) == before


# -- bad input: one JSON error, nothing written ---------------------------------------------------------------
def _bad(world) -> list[tuple[str, dict, dict, int, str]]:
    """(what is wrong, payload, files, status, the field the error names)."""
    m = materials_of(world)
    bad_id = identity_number(7)[:-1] + ("0" if identity_number(7)[-1] != "0" else "1")
    lines = payload(world)["materials"]
    missing_required = [{"material_id": m["申请书"], "status": "missing"}, *lines[1:]]
    return [
        ("a bad identity number", payload(world, applicant={**payload(world)["applicant"], "id_number": bad_id}),
         SCANS, 422, "applicant.id_number"),
        ("an unknown material", payload(world, lines=[*lines, {"material_id": 999_999, "status": "missing"}]),
         SCANS, 422, "materials.999999"),
        ("an empty file", payload(world), {**SCANS, "场地.png": b""}, 422, f"materials.{m['场地证明']}.file"),
        ("a file that is not what its name says", payload(world), {**SCANS, "场地.png": PDF}, 422,
         f"materials.{m['场地证明']}.file"),
        ("a file that is no document at all", payload(world), {**SCANS, "申请书.pdf": b"not a pdf"}, 422,
         f"materials.{m['申请书']}.file"),
        ("a received material without its scan", payload(world), {"申请书.pdf": PDF}, 422,
         f"materials.{m['场地证明']}.file"),
        ("a file no material names", payload(world), {**SCANS, "extra.pdf": PDF}, 422, "files"),
        ("acceptance with a required material missing", payload(world, lines=missing_required), {"场地.png": PNG},
         422, "decision.kind"),
        ("a tolerated material missing without its due date",
         payload(world, lines=[*lines[:2], {"material_id": m["场地证明"], "status": "missing"}]),
         {"申请书.pdf": PDF}, 422, "decision.tolerance_due_on"),
        ("a due date for the tolerated material that is not after today",
         payload(world, lines=[*lines[:2], {"material_id": m["场地证明"], "status": "missing"}],
                 decision={"kind": "accept", "tolerance_due_on": "2025-09-01"}), {"申请书.pdf": PDF}, 422,
         "decision.tolerance_due_on"),
        ("a correction with nothing to correct", payload(world, decision={"kind": "request_correction"}), SCANS,
         422, "decision.kind"),
        ("a refusal without a reason", payload(world, decision={"kind": "refuse"}), SCANS, 422, "decision.reason"),
        ("a material asked for by data sharing that the applicant keeps",
         payload(world, lines=[{"material_id": m["申请书"], "status": "shared"}, *lines[1:]]), {"场地.png": PNG},
         422, f"materials.{m['申请书']}.status"),
        ("an item this window does not take in", payload(world, item_code=world.item_b.implementation_code),
         SCANS, 403, "item_code"),
        ("a decision the engine does not know", payload(world, decision={"kind": "maybe"}), SCANS, 422,
         "decision.kind"),
    ]


def test_every_kind_of_bad_input_is_one_json_error_and_leaves_nothing_written(world, settings):
    client = api_client(world.clerk_a)
    for what, body, files, status, field in _bad(world):
        before = written(settings)

        response = post_multipart(client, URL, body, files)

        assert response.status_code == status, (what, response.content)
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"} and error["message"], what
        assert field in error["fields"], (what, error)
        assert written(settings) == before, f"{what}: nothing may be written"
    ok = post_multipart(client, URL, payload(world), SCANS)
    assert ok.json()["case"]["number"].endswith("20250901000001"), "no refused intake consumed a case number"


def test_the_same_key_for_another_application_is_a_conflict_and_writes_nothing(world, settings):
    client = api_client(world.clerk_a)
    post_multipart(client, URL, payload(world), SCANS, HTTP_IDEMPOTENCY_KEY="desk-7-0002")
    before = written(settings)
    other = payload(world, applicant={"kind": "person", "name": "王五", "id_number": identity_number(8),
                                      "mobile": "13700137000"})

    response = post_multipart(client, URL, other, SCANS, HTTP_IDEMPOTENCY_KEY="desk-7-0002")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert response.json()["error"]["fields"] == {"Idempotency-Key": "reused"}
    assert written(settings) == before


def test_a_payload_that_is_not_json_or_is_missing_is_refused(world, settings):
    client = api_client(world.clerk_a)
    before = written(settings)

    assert client.post(URL, data={"payload": "{not json"}).status_code == 400
    assert post_multipart(client, URL, None, SCANS).status_code == 422
    assert written(settings) == before


def test_only_window_clerks_take_in(world, settings):
    clients = {user: api_client(user) for user in (world.citizen, world.reviewer_a, world.supervisor)}
    before = written(settings)

    for user, client in clients.items():
        response = post_multipart(client, URL, payload(world), SCANS)
        assert response.status_code == 403, user
    assert written(settings) == before
