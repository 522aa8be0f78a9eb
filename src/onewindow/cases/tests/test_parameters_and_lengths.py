"""Issue 10 §4: a parameter or a text out of bounds is a clear 4xx naming the field, never a 500, and nothing is
written — on SQLite and on PostgreSQL alike. The examples are the fuzzer's and the trial's; the kinds live in
`core.params` (texts within their column, no control characters, integers a bigint holds, pages that exist)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at, case_in_state, identity_number
from onewindow.cases.tests.one_call import api_client, post_multipart, written
from onewindow.cases.tests.test_intake_in_one_call import SCANS, payload
from onewindow.cases.tests.test_pages import intake_post


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def _error(response) -> tuple[int, dict]:
    return response.status_code, response.json()["error"]["fields"]


# -- parameters ----------------------------------------------------------------------------------------------------
def test_a_light_outside_green_yellow_red_is_refused_naming_it(world):
    api = api_client(world.clerk_a)

    assert _error(api.get("/api/v1/cases?light=purple")) == (422, {"light": "choice"})
    assert _error(api.get("/api/v1/cases/supervision/cases?light=purple")) == (422, {"light": "choice"})
    assert _error(api.get("/api/v1/cases?state=lost")) == (422, {"state": "choice"})
    assert api.get("/api/v1/cases?light=green").status_code == 200


def test_a_query_code_beyond_ascii_is_a_wrong_code_not_a_server_error(world):
    case = case_in_state(world, State.SUBMITTED)
    anonymous = Client()

    refused = anonymous.get(f"/api/v1/track/{case.number}", {"code": "é"})
    right = anonymous.get(f"/api/v1/track/{case.number}", {"code": case.query_code})

    assert _error(refused) == (404, {"number": "not_found"})
    assert right.status_code == 200 and right.json()["state"] == State.SUBMITTED


def test_a_page_beyond_64_bits_is_422_and_a_page_beyond_the_last_is_404(world):
    case_in_state(world, State.SUBMITTED)
    api = api_client(world.clerk_a)

    assert _error(api.get("/api/v1/cases?page=9223372036854775807")) == (422, {"page": "less_than_equal"})
    assert _error(api.get("/api/v1/cases?page=2")) == (404, {"page": "not_found"})
    assert _error(api.get("/api/v1/items?page=9223372036854775807")) == (422, {"page": "less_than_equal"})
    assert _error(api.get("/api/v1/items?page=99")) == (404, {"page": "not_found"})
    first = api.get("/api/v1/cases?page=1").json()
    assert (first["count"], len(first["results"])) == (1, 1)


def test_an_empty_list_has_its_first_page(world):
    assert api_client(world.clerk_a).get("/api/v1/cases?page=1").json()["results"] == []


def test_an_id_beyond_64_bits_is_422_naming_it(world):
    api = api_client(world.clerk_a)
    huge = "99999999999999999999"

    assert _error(api.get(f"/api/v1/cases?department_id={huge}")) == (422, {"department_id": "less_than_equal"})
    assert _error(api.get(f"/api/v1/cases/on-time?start=2025-01-01&end=2025-02-01&department_id={huge}")) == (
        422, {"department_id": "less_than_equal"})
    assert _error(api.get(f"/api/v1/tickets/{huge}")) == (422, {"ticket_id": "less_than_equal"})
    assert api.get("/api/v1/tickets/9223372036854775807").status_code == 404


def test_an_address_with_a_control_character_names_nothing(world):
    response = api_client(world.clerk_a).get("/api/v1/cases/SC%00")

    assert _error(response) == (404, {})


# -- lengths and control characters -------------------------------------------------------------------------------
def _create(world, **changes) -> dict:
    body = {"item_code": world.item_a.implementation_code, "channel": "window",
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(3), "mobile": "13800138000"}}
    for key, value in changes.items():
        if key.startswith("applicant_"):
            body["applicant"][key.removeprefix("applicant_")] = value
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(("changes", "field", "problem"), [
    ({"applicant_name": "张" * 201}, "applicant.name", "too_long"),
    ({"agent": {"name": "李" * 65, "id_number": identity_number(4)}}, "agent.name", "too_long"),
    ({"delivery_method": "post", "postal_address": "路" * 301}, "postal_address", "too_long"),
    ({"applicant_name": "张\x00三"}, "applicant.name", "control_character"),
    ({"applicant_name": "张\x1b三"}, "applicant.name", "control_character"),
    ({"applicant_name": "\u202e三张"}, "applicant.name", "control_character"),
    ({"applicant_legal_representative": "王\u2066五"}, "applicant.legal_representative", "control_character"),
    ({"applicant_name": "张" * 5000}, "applicant.name", "too_long"),
])
def test_a_text_beyond_its_column_or_with_a_control_character_is_422_naming_it(world, settings, changes, field,
                                                                             problem):
    api = api_client(world.clerk_a)
    before = written(settings)

    response = api.post("/api/v1/cases", _create(world, **changes), content_type="application/json")

    assert _error(response) == (422, {field: problem})
    assert written(settings) == before


def test_a_text_at_its_column_limit_is_kept_whole(world):
    api = api_client(world.clerk_a)

    response = api.post("/api/v1/cases", _create(world, applicant_name="张" * 200, delivery_method="post",
                                                  postal_address="路" * 300), content_type="application/json")

    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert (len(case.applicant_name), len(case.postal_address)) == (200, 300)


def test_the_one_call_intake_refuses_a_nul_in_the_multipart_payload_naming_the_field(world, settings):
    api = api_client(world.clerk_a)
    body = payload(world)
    body["applicant"]["name"] = "李\x00四"
    before = written(settings)

    response = post_multipart(api, "/api/v1/cases/intake", body, SCANS)

    assert _error(response) == (422, {"applicant.name": "control_character"})
    assert written(settings) == before


def test_a_control_character_in_a_query_is_422_naming_it(world):
    response = api_client(world.clerk_a).get("/api/v1/cases", {"number": "SC\x00"})

    assert _error(response) == (422, {"number": "control_character"})


@pytest.mark.parametrize(("field", "value"), [("applicant_name", "张" * 201), ("applicant_name", "张\x00三"),
                                              ("agent_name", "李" * 65)])
def test_the_intake_page_refuses_the_same_texts_and_keeps_nothing(client, world, field, value):
    data = intake_post(world)
    data[field] = value
    if field == "agent_name":
        data["agent_id_number"] = identity_number(4)
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    assert not Case.objects.exists()


@pytest.mark.parametrize("department", ["99999999999999999999", "²", "-1"])
def test_the_boards_department_filter_beyond_any_id_is_ignored_not_a_server_error(client, world, department):
    client.force_login(world.supervisor)

    response = client.get(reverse("cases:board"), {"department": department})

    assert response.status_code == 200 and response.context["department_id"] is None


# -- codes typed at the counter: canonical, compared as bytes ---------------------------------------------------
@pytest.mark.parametrize("typed", ["é", "\u200b", "x\u2028y", "１２３"])
def test_a_pickup_code_no_one_could_have_been_given_is_refused_not_a_500(world, typed):
    case = case_in_state(world, State.RESULT_ISSUED)
    response = api_client(world.clerk_a).post(f"/api/v1/cases/{case.number}/deliver", {"pickup_code": typed},
                                              content_type="application/json")
    assert response.status_code in (409, 422), response.content
    assert Case.objects.get(pk=case.pk).state == State.RESULT_ISSUED


def test_the_right_pickup_code_typed_in_full_width_delivers(world):
    case = case_in_state(world, State.RESULT_ISSUED)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in case.pickup_code)
    response = api_client(world.clerk_a).post(f"/api/v1/cases/{case.number}/deliver", {"pickup_code": full_width},
                                              content_type="application/json")
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).state == State.DELIVERED
