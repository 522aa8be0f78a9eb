"""An API client that knows only the published API (`GET /api/v1/items/{code}` and the case endpoints) takes an
application through a complete correction notice (一次性告知), an upload tied to a catalog material, a second
notice limited to what changed, a 容缺 acceptance, and an extension with its written notice — never touching the
database for an id."""

from __future__ import annotations

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.cases.tests.factories import PDF, at, identity_number
from onewindow.core.services import create_token


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_whole_correction_tolerance_and_extension_journey_through_the_api(world):
    clerk, leader = _client(world.clerk_a), _client(world.leader_a)
    guide = Client().get("/api/v1/items/SC-0001").json()
    ids = {m["name"]: m["id"] for m in guide["materials"]}
    assert set(ids) == {"申请书", "户籍证明", "场地证明", "其他说明"}

    with time_machine.travel(at("2025-09-01"), tick=False):
        created = clerk.post("/api/v1/cases", content_type="application/json", data={
            "item_id": guide["id"], "channel": "window", "submit": True,
            "applicant": {"kind": "person", "name": "李四", "id_number": identity_number(7), "mobile": "13900139000"}})
        assert created.status_code == 201, created.content
        number = created.json()["number"]
        # The application is on file: 申请书, sent as a file tied to its catalog material.
        upload = clerk.post(f"/api/v1/cases/{number}/materials",
                            data={"material_id": ids["申请书"], "file": SimpleUploadedFile("a.pdf", PDF + b"1")})
        assert upload.status_code == 201 and upload.json()["material_id"] == ids["申请书"]

    with time_machine.travel(at("2025-09-02"), tick=False):
        # A notice leaving out a missing material is refused: one notice, all at once.
        partial = clerk.post(f"/api/v1/cases/{number}/request-correction", content_type="application/json", data={
            "items": [{"material_id": ids["户籍证明"], "problem": "未提交"}]})
        assert partial.status_code == 422 and partial.json()["error"]["code"] == "correction_incomplete"
        complete = clerk.post(f"/api/v1/cases/{number}/request-correction", content_type="application/json", data={
            "items": [{"material_id": ids[name], "problem": "未提交"} for name in ("户籍证明", "场地证明")]
            + [{"material_id": ids["申请书"], "problem": "缺少签名"}]})
        assert complete.status_code == 200, complete.content
        assert clerk.get(f"/api/v1/cases/{number}").json()["state"] == "correction_requested"

    with time_machine.travel(at("2025-09-03"), tick=False):
        shared = clerk.post(f"/api/v1/cases/{number}/materials/shared", content_type="application/json",
                            data={"material_id": ids["户籍证明"]})
        assert shared.status_code == 201
        resubmitted = clerk.post(f"/api/v1/cases/{number}/submit", content_type="application/json", data={})
        assert resubmitted.status_code == 200, resubmitted.content

    with time_machine.travel(at("2025-09-04"), tick=False):
        # 申请书 was on file, unchanged since the first notice: a second notice may not name it again.
        again = clerk.post(f"/api/v1/cases/{number}/request-correction", content_type="application/json", data={
            "items": [{"material_id": ids["申请书"], "problem": "字迹不清"},
                      {"material_id": ids["场地证明"], "problem": "未提交"}]})
        assert again.status_code == 422
        error = again.json()["error"]
        assert error["code"] == "correction_already_told" and "申请书" in error["message"]
        assert clerk.get(f"/api/v1/cases/{number}").json()["state"] == "submitted", "nothing changed"

        # 容缺受理: the tolerated material named by its catalog id, with the date it is promised for.
        accepted = clerk.post(f"/api/v1/cases/{number}/accept", content_type="application/json", data={
            "tolerated": [ids["场地证明"]], "tolerance_due_on": "2025-09-12"})
        assert accepted.status_code == 200, accepted.content
        case = clerk.get(f"/api/v1/cases/{number}").json()
        assert case["state"] == "accepted" and case["deemed_accepted"] is False
        assert case["tolerated_materials"] == [{"id": ids["场地证明"], "name": "场地证明"}]
        assert case["due_on"] == "2025-09-18" and case["legal_due_on"] == "2025-10-09"

    with time_machine.travel(at("2025-09-10"), tick=False):
        late = clerk.post(f"/api/v1/cases/{number}/materials",
                          data={"material_id": ids["场地证明"], "file": SimpleUploadedFile("c.pdf", PDF + b"3")})
        assert late.status_code == 201 and late.json()["material_id"] == ids["场地证明"]
        assert clerk.get(f"/api/v1/cases/{number}").json()["tolerance_resolved_on"] == "2025-09-10"

    with time_machine.travel(at("2025-09-24"), tick=False):
        # The promise (18 Sep) lapsed; the statutory limit (9 Oct) still runs: the head extends it (art. 42).
        extended = leader.post(f"/api/v1/cases/{number}/extend", content_type="application/json",
                               data={"days": 10, "reason": "需现场核查经营场所"})
        assert extended.status_code == 200, extended.content
        case = clerk.get(f"/api/v1/cases/{number}").json()
        assert case["due_on"] == "2025-09-18", "a lapsed promise stays lapsed"
        assert case["legal_due_on"] == "2025-10-22"
        assert case["extension"]["moves_promise"] is False
        pdf = clerk.get(case["extension"]["notice_url"])
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
