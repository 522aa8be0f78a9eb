"""The HTTP API: a case from intake to delivery, one POST per transition, scoped paginated lists with a
constant query count, clear errors for malformed requests, and public tracking without personal data."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, identity_number, new_case
from onewindow.core.services import create_token


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client, path, data=None):
    return client.post(path, content_type="application/json", data=data if data is not None else {})


def test_a_case_goes_from_online_application_to_delivery_through_the_api(world):
    citizen, clerk, leader, reviewer = (_client(u) for u in (world.citizen, world.clerk_a, world.leader_a,
                                                               world.reviewer_a))
    with time_machine.travel(at("2025-09-01"), tick=False):
        created = _post(citizen, "/api/v1/cases", {
            "item_code": "SC-0001", "channel": "online", "delivery_method": "post",
            "postal_address": "重庆市渝中区解放碑1号",
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(1),
                          "mobile": "13800138000"}})
        assert created.status_code == 201, created.content
        number = created.json()["number"]
        version = world.item_a.published_version
        for material in version.materials.filter(source="applicant", requirement__in=["required", "tolerated"]):
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = citizen.post(f"/api/v1/cases/{number}/materials",
                                  data={"file": SimpleUploadedFile("a.pdf", PDF), "material_id": material.pk})
            assert upload.status_code == 201, upload.content
        shared = _post(citizen, f"/api/v1/cases/{number}/materials/shared",
                       {"material_id": version.materials.get(source="government").pk})
        assert shared.status_code == 201, shared.content
        assert _post(citizen, f"/api/v1/cases/{number}/submit").json()["state"] == "submitted"
        accepted = _post(clerk, f"/api/v1/cases/{number}/accept")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["due_on"] == "2025-09-15"
        assigned = _post(leader, f"/api/v1/cases/{number}/assign", {"reviewer_id": world.reviewer_a.pk})
        assert assigned.json()["state"] == "in_review"
        assert _post(reviewer, f"/api/v1/cases/{number}/suspend",
                     {"kind": "inspection", "reason": "现场检验", "expected_days": 3}).json()["state"] == "suspended"
    with time_machine.travel(at("2025-09-03"), tick=False):
        resumed = _post(reviewer, f"/api/v1/cases/{number}/resume").json()
        assert (resumed["state"], resumed["paused_days"], resumed["due_on"]) == ("in_review", 2, "2025-09-17")
        extended = _post(leader, f"/api/v1/cases/{number}/extend", {"days": 2, "reason": "补充核查"}).json()
        assert extended["due_on"] == "2025-09-19"
        assert _post(reviewer, f"/api/v1/cases/{number}/approve", {"reason": "符合条件"}).json()["timeliness"] == \
            "early"
        missing_licence = _post(clerk, f"/api/v1/cases/{number}/issue-result")
        assert missing_licence.status_code == 422
        assert _post(clerk, f"/api/v1/cases/{number}/issue-result",
                     {"licence_number": "JY15001030001234"}).json()["state"] == "result_issued"
        no_tracking = _post(clerk, f"/api/v1/cases/{number}/deliver")
        assert no_tracking.status_code == 422
        assert no_tracking.json()["error"]["fields"] == {"tracking_number": "required"}
        delivered = _post(clerk, f"/api/v1/cases/{number}/deliver", {"tracking_number": "EMS1234567890"}).json()
    assert delivered["state"] == "delivered"
    events = citizen.get(f"/api/v1/cases/{number}/events").json()
    assert [e["action"] for e in events][-1] == "case.deliver"


def test_an_action_not_allowed_in_the_state_answers_409_and_changes_nothing(world):
    case = new_case(world)
    response = _post(_client(world.leader_a), f"/api/v1/cases/{case.number}/approve")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert "已提交" in response.json()["error"]["message"]
    assert Case.objects.get(pk=case.pk).version == case.version


def test_malformed_requests_get_a_clear_422(world):
    case = new_case(world)
    client = _client(world.reviewer_a)
    assert _post(client, f"/api/v1/cases/{case.number}/suspend", {"reason": "x"}).status_code == 422
    bad_kind = _post(_client(world.clerk_a), "/api/v1/cases", {
        "item_id": world.item_a.pk, "channel": "fax",
        "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(1), "mobile": "13800138000"}})
    assert bad_kind.status_code == 422 and bad_kind.json()["error"]["fields"] == {"channel": "choice"}
    assert _post(_client(world.clerk_a), "/api/v1/cases", {"channel": "window"}).status_code == 422
    assert _client(world.clerk_a).get("/api/v1/cases?page=0").status_code == 422
    assert _client(world.clerk_a).get("/api/v1/cases/NOPE").status_code == 404
    assert Client().get("/api/v1/cases").status_code == 401


def test_the_list_costs_the_same_number_of_queries_for_few_or_many_cases(world):
    client = _client(world.supervisor)
    new_case(world, n=1)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases?page_size=100")
        assert response.status_code == 200
        return len(queries)

    count_queries()  # the first request also records the token's last use
    few = count_queries()
    for n in range(2, 22):
        new_case(world, n=n, item=world.item_b if n % 2 else world.item_a,
                 clerk=world.clerk_b if n % 2 else world.clerk_a)
    assert count_queries() == few
    assert client.get("/api/v1/cases?page_size=100").json()["count"] == 21


def test_the_list_filters_by_state_light_and_number(world):
    case = new_case(world, when=at("2025-09-01"))
    new_case(world, n=2, submit=False)
    client = _client(world.clerk_a)
    assert client.get("/api/v1/cases?state=draft").json()["count"] == 1
    assert client.get(f"/api/v1/cases?number={case.number}").json()["results"][0]["number"] == case.number
    with time_machine.travel(at("2025-09-09"), tick=False):
        rows = client.get("/api/v1/cases?light=red").json()["results"]
    assert [r["number"] for r in rows] == [case.number]
    page = client.get("/api/v1/cases?page=1&page_size=1").json()
    assert (page["count"], len(page["results"])) == (2, 1)


def test_public_tracking_shows_state_and_dates_without_personal_data(world):
    case = new_case(world)
    public = Client()
    response = public.get(f"/api/v1/track/{case.number}?code={case.query_code}")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted" and body["acceptance_due_on"] == "2025-09-08"
    text = response.content.decode()
    assert case.applicant_id_number not in text and "张三" not in text and "13800138000" not in text
    assert public.get(f"/api/v1/track/{case.number}?code=ZZZZZZ").status_code == 404
    assert public.get(f"/api/v1/track/{case.number}").status_code == 404
    assert public.get(f"/api/v1/track/XX20250101000001?code={case.query_code}").status_code == 404


def test_the_supervision_endpoints_give_counts_lists_and_on_time_rates(world):
    early = new_case(world, n=1, when=at("2025-09-01"))
    from onewindow.cases import services
    from onewindow.cases.tests.factories import complete_materials

    complete_materials(early, by=world.clerk_a, when=at("2025-09-01"))
    services.accept_case(early, by=world.clerk_a, at=at("2025-09-01"))
    services.approve_case(early, by=world.reviewer_a, at=at("2025-09-05"))
    late = new_case(world, n=2, when=at("2025-09-01"))
    complete_materials(late, by=world.clerk_a, when=at("2025-09-01"))
    services.accept_case(late, by=world.clerk_a, at=at("2025-09-01"))
    services.deny_case(late, by=world.reviewer_a, reason="不符合", legal_basis="某条例", at=at("2025-09-20"))
    new_case(world, n=3, when=at("2025-09-01"))  # never answered
    client = _client(world.supervisor)
    with time_machine.travel(at("2025-09-10"), tick=False):
        board = client.get("/api/v1/cases/supervision").json()
        overdue = client.get("/api/v1/cases/supervision/cases?overdue=acceptance").json()
    assert board["totals"]["overdue_acceptance"] == 1 and board["totals"]["red"] == 1
    assert overdue["count"] == 1
    rates = client.get("/api/v1/cases/on-time?start=2025-09-01&end=2025-09-30").json()
    assert rates == [{"department_id": world.dept_a.pk, "code": "SC", "name": "市场监管局", "finished": 2,
                      "early": 1, "on_time": 0, "late": 1, "rate": 0.5}]
    assert client.get("/api/v1/cases/on-time?start=2025-09-30&end=2025-09-01").status_code == 422
    assert dt.date.fromisoformat(board["today"]) == dt.date(2025, 9, 10)
