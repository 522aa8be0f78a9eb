"""Every error of the intake calls and of the actions on a case names, in `fields`, the request's own field that
was wrong — whose identity number, which file, which of the two ways of naming the item — and writes nothing."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, PNG, at, case_in_state, credit_code, identity_number
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.cases.tests.test_intake_in_one_call import SCANS, materials_of, payload
from onewindow.catalog.models import ItemVersion

INTAKE = "/api/v1/cases/intake"


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


def _bad_number(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_each_bad_intake_names_the_field_the_request_sent(world, settings):
    m = materials_of(world)
    long_name = "扫" * 300 + ".pdf"
    applicant = payload(world)["applicant"]
    company = {"kind": "organization", "name": "渝中味道餐饮有限公司", "id_number": _bad_number(credit_code(3)),
               "legal_representative": "李四"}
    lines = payload(world)["materials"]
    cases = [
        ("the agent's identity number", payload(world, agent={"name": "王五", "id_number": _bad_number(
            identity_number(9))}), SCANS, {"agent.id_number": "check_digit"}),
        ("the applicant's identity number", payload(world, applicant={
            **applicant, "id_number": _bad_number(applicant["id_number"])}), SCANS,
         {"applicant.id_number": "check_digit"}),
        ("a company's credit code", payload(world, applicant=company), SCANS, {"applicant.id_number": "check_digit"}),
        ("a staff account as the applicant's account", payload(world, applicant_user_id=world.reviewer_a.pk), SCANS,
         {"applicant_user_id": "role"}),
        ("a file name longer than any upload keeps", payload(world, lines=[{**lines[0], "file": long_name},
                                                                            *lines[1:]]),
         {long_name: PDF, "场地.png": PNG}, {f"materials.{m['申请书']}.file": "too_long"}),
        ("both ways of naming the item", payload(world, item_id=world.item_a.pk), SCANS,
         {"item_id": "both_given", "item_code": "both_given"}),
        ("an unknown item code", payload(world, item_code="NO-SUCH-ITEM"), SCANS, {"item_code": "not_found"}),
        ("a due date after the statutory limit", payload(
            world, lines=[*lines[:2], {"material_id": m["场地证明"], "status": "missing"}],
            decision={"kind": "accept", "tolerance_due_on": "2025-12-31"}), {"申请书.pdf": PDF},
         {"decision.tolerance_due_on": "after_legal_due_on"}),
        ("a refusal's basis beyond its limit", payload(
            world, decision={"kind": "refuse", "reason": "不属于本机关职权范围", "legal_basis": "依" * 1001}), SCANS,
         {"decision.legal_basis": "too_long"}),
    ]
    client = api_client(world.clerk_a)
    for what, body, files, fields in cases:
        before = written(settings)

        response = post_multipart(client, INTAKE, body, files)

        assert response.status_code in (404, 422), (what, response.content)
        assert response.json()["error"]["fields"] == fields, what
        assert written(settings) == before, f"{what}: nothing may be written"
    assert "没有随请求上传" not in post_multipart(
        client, INTAKE, cases[4][1], cases[4][2]).json()["error"]["message"], "a long name is not 'not uploaded'"


def test_an_online_application_naming_the_item_both_ways_is_refused(world, settings):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    client = api_client(world.citizen)
    before = written(settings)
    body = {"item_id": world.item_b.pk, "item_code": world.item_a.implementation_code,
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(3), "mobile": "13800138000"}}

    response = post_multipart(client, "/api/v1/cases/apply", body)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"item_id": "both_given", "item_code": "both_given"}
    assert written(settings) == before, "item_id does not silently win"


def test_the_actions_name_their_own_fields(world):
    leader = api_client(world.leader_a)
    accepted = case_in_state(world, State.ACCEPTED)
    issued = case_in_state(world, State.RESULT_ISSUED, n=2)
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(delivery_electronic=False)

    wrong_reviewer = leader.post(f"/api/v1/cases/{accepted.number}/assign", {"reviewer_id": world.reviewer_b.pk},
                                 content_type="application/json")
    stale = leader.post(f"/api/v1/cases/{accepted.number}/assign",
                        {"reviewer_id": world.reviewer_a.pk, "expected_version": accepted.version - 1},
                        content_type="application/json")
    not_offered = api_client(world.clerk_a).post(f"/api/v1/cases/{issued.number}/deliver",
                                                 {"method": "electronic"}, content_type="application/json")

    assert (wrong_reviewer.status_code, wrong_reviewer.json()["error"]["fields"]) == (422, {"reviewer_id": "scope"})
    assert stale.status_code == 409 and set(stale.json()["error"]["fields"]) == {"expected_version"}
    assert (not_offered.status_code, not_offered.json()["error"]["fields"]) == (422, {"method": "not_offered"})
    assert Case.objects.get(pk=accepted.pk).state == State.ACCEPTED
    assert Case.objects.get(pk=issued.pk).state == State.RESULT_ISSUED
