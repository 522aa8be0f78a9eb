"""The 一件事 API: theme figures, apply with Idempotency-Key, the package, window acts; clear errors that change nothing."""

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import PDF, accepted, at, case_on_its_own, credit_code, decide, issue
from onewindow.cases import services as case_services
from onewindow.cases.models import Case
from onewindow.catalog.models import ItemVersion
from onewindow.core.services import create_token

APPLICANT = {"kind": "organization", "name": "渝中味道餐饮有限公司", "id_number": credit_code(7),
             "legal_representative": "李四", "mobile": "13800138000"}


def _client(user, **headers) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def _post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_the_theme_endpoint_gives_items_prerequisites_and_the_three_figures_without_login(world):
    response = Client().get("/api/v1/packages/themes/restaurant")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["promised_days"], body["serial_days"], body["critical_path_days"]) == (10, 21, 10)
    assert body["critical_path"] == ["SC-licence", "XF-fire"]
    drain = next(i for i in body["items"] if i["code"] == "PS-drain")
    assert sorted(drain["requires"]) == ["HB-env", "SC-licence"]
    lease = next(m for m in body["materials"] if m["name"] == "租赁合同")
    assert len(lease["items"]) == 4


def test_an_unknown_theme_is_a_404_with_the_error_shape(world):
    response = Client().get("/api/v1/packages/themes/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_repeated_idempotency_key_returns_the_first_package(world):
    client = _client(world.citizen, HTTP_IDEMPOTENCY_KEY="apply-1")
    first = _post(client, "/api/v1/packages", {"theme": "restaurant", "channel": "online", "applicant": APPLICANT})
    assert first.status_code == 201, first.content
    again = _post(client, "/api/v1/packages", {"theme": "restaurant", "channel": "online", "applicant": APPLICANT})
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert Package.objects.count() == 1
    assert Case.objects.count() == 5


def test_malformed_applications_get_a_clear_error_and_change_nothing(world):
    client = _client(world.citizen)
    cases = [
        ({"theme": "restaurant", "channel": "window", "applicant": APPLICANT}, 422, "channel"),
        ({"theme": "restaurant", "channel": "online", "applicant": {**APPLICANT, "id_number": "123"}}, 422, None),
        ({"theme": "nope", "channel": "online", "applicant": APPLICANT}, 404, "theme"),
        ({"theme": "restaurant", "channel": "online", "applicant": APPLICANT, "delivery_method": "drone"}, 422,
         "delivery_method"),
        ({"channel": "online", "applicant": APPLICANT}, 422, "theme"),
    ]
    for body, status, field in cases:
        response = _post(client, "/api/v1/packages", body)
        assert response.status_code == status, (body, response.content)
        error = response.json()["error"]
        assert error["message"]
        if field:
            assert field in error["fields"], (field, error)
    assert Package.objects.count() == 0 and Case.objects.count() == 0


def test_the_whole_window_journey_runs_through_the_api(world):
    applicant = _client(world.citizen)
    number = _post(applicant, "/api/v1/packages", {"theme": "restaurant", "channel": "online",
                                                   "applicant": APPLICANT}).json()["number"]
    for name in ["申请书", "租赁合同", "环境影响登记表", "食品安全管理制度", "消防设计图"]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = applicant.post(f"/api/v1/packages/{number}/materials",
                                  data={"name": name, "file": SimpleUploadedFile(f"{name}.pdf", PDF + name.encode())})
        assert response.status_code == 200, response.content
    window = _client(world.window)
    refused = _post(window, f"/api/v1/packages/{number}/accept", {})
    assert refused.status_code == 422 and "排水设施图" in refused.json()["error"]["message"]
    notice = _post(window, f"/api/v1/packages/{number}/correction", {"lines": []})
    assert notice.status_code == 200, notice.content
    assert notice.json()["state"] == "correction_requested"
    stale = _post(window, f"/api/v1/packages/{number}/accept", {"expected_version": 1})
    assert stale.status_code == 409
    from django.core.files.uploadedfile import SimpleUploadedFile

    applicant.post(f"/api/v1/packages/{number}/materials",
                   data={"name": "排水设施图", "file": SimpleUploadedFile("d.pdf", PDF + b"drain")})
    accepted = _post(window, f"/api/v1/packages/{number}/accept", {})
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["state"] == "accepted" and body["due_on"] and body["light"] == "green"
    review = _post(window, f"/api/v1/packages/{number}/joint-reviews", {
        "held_at": (timezone.now() + dt.timedelta(minutes=5)).isoformat(), "place": "3F 会议室",
        "participants": [{"department": "市场监管局", "name": "王五"}, {"department": "消防救援支队", "name": "赵六"}],
        "conclusions": "各部门同步现场踏勘，消防检查与卫生许可合并一次到场"})
    assert review.status_code == 201, review.content
    assert _client(world.outsider).get(f"/api/v1/packages/{number}").status_code == 404


def test_a_sub_cases_result_reaches_its_supervising_department_with_the_package_number(world):
    ItemVersion.objects.filter(pk=world.items["licence"].published_version_id).update(
        supervising_department=world.departments["XF"])
    package = accepted(world)
    decide(world, package, "licence")
    case = issue(world, package, "licence")
    [event] = _client(world.reviewers["XF"]).get("/api/v1/supervision/events").json()
    assert event["case_number"] == case.number
    assert event["payload"]["case"]["package"] == package.number
    alone = case_on_its_own(world)
    case_services.approve_case(alone, by=world.reviewers["HB"], at=at("2025-09-02"))
    case_services.issue_result(alone, by=world.clerks["HB"], licence_number="HB-2025-9", at=at("2025-09-03"))
    [event] = _client(world.reviewers["HB"]).get("/api/v1/supervision/events").json()
    assert (event["case_number"], event["payload"]["case"]["package"]) == (alone.number, None)
