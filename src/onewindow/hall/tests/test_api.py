import pytest
from django.test import Client

from onewindow.core.models import Role
from onewindow.core.services import create_token
from onewindow.hall import services
from onewindow.hall.models import Ticket, TicketState
from onewindow.hall.tests.factories import UserFactory, sent_code, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clerk):
    _, token = create_token(clerk)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_issue_ticket_returns_the_number_and_masks_the_identity(api, hall, category_a):
    response = api.post(f"/api/v1/halls/{hall.code}/tickets",
                        {"category": "A", "identity_number": valid_id(7), "mobile": "13812345678"},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "A001" and body["state"] == "waiting"
    assert body["people_ahead"] is None, "the places ahead are counted where they are read, not in the write"
    assert api.get(body["status_url"]).json()["ahead"] == 0
    assert api.get(f"/api/v1/tickets/{body['id']}").json()["people_ahead"] == 0
    second = api.post(f"/api/v1/halls/{hall.code}/tickets", {"category": "A"}, content_type="application/json").json()
    assert (second["number"], api.get(second["status_url"]).json()["ahead"]) == ("A002", 1)
    assert body["identity_masked"] == valid_id(7)[:4] + "*" * 10 + valid_id(7)[-4:]
    assert body["mobile_masked"] == "138****5678"
    assert api.get(f"/api/v1/tickets/{body['id']}").json()["number"] == "A001"


@pytest.mark.parametrize(("payload", "field"), [
    ({"category": "Z"}, "category"),
    ({"category": "A", "priority": "vip"}, "priority"),
    ({"category": "A", "identity_number": "123"}, "identity_number"),
    ({"category": "A", "priority": "appointment"}, "priority"),
    ({}, "category"),
])
def test_a_malformed_ticket_request_is_a_422_naming_the_field_and_issues_nothing(api, hall, category_a, payload, field):
    response = api.post(f"/api/v1/halls/{hall.code}/tickets", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not Ticket.objects.exists()


def test_unknown_hall_is_404_and_no_token_is_401(api, client, hall, category_a):
    assert api.post("/api/v1/halls/NOPE/tickets", {"category": "A"}, content_type="application/json").status_code == 404
    assert client.post(f"/api/v1/halls/{hall.code}/tickets", {"category": "A"},
                       content_type="application/json").status_code == 401


def test_window_calling_flow_over_the_api_and_409_while_serving(api, hall, category_a, category_b, window, window_b):
    services.issue_ticket(category=category_a)
    services.issue_ticket(category=category_a)
    first = api.post(f"/api/v1/windows/{window.pk}/call-next")
    assert first.status_code == 200 and first.json()["ticket"]["number"] == "A001"
    busy = api.post(f"/api/v1/windows/{window.pk}/call-next")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "window_busy"
    assert api.post(f"/api/v1/windows/{window.pk}/recall").json()["message"] == "已重呼"
    moved = api.post(f"/api/v1/windows/{window.pk}/transfer", {"category": "B"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["ticket"]["category"] == "B"
    assert api.post(f"/api/v1/windows/{window.pk}/call-next").json()["ticket"]["number"] == "A002"
    assert api.post(f"/api/v1/windows/{window.pk}/no-show").json()["ticket"]["state"] == "no_show"
    assert api.post(f"/api/v1/windows/{window.pk}/finish").status_code == 409, "nothing left to finish"
    empty = api.post(f"/api/v1/windows/{window.pk}/call-next").json()
    assert empty["ticket"] is None
    assert api.post(f"/api/v1/windows/{window.pk}/pause").json()["status"] == "paused"
    assert api.post(f"/api/v1/windows/{window.pk}/pause").status_code == 409
    assert api.post(f"/api/v1/windows/{window.pk}/resume").json()["status"] == "open"
    assert api.post(f"/api/v1/windows/{window_b.pk}/call-next").json()["ticket"]["number"] == "A001"
    assert api.post(f"/api/v1/windows/{window_b.pk}/finish").json()["ticket"]["state"] == "done"
    assert api.post("/api/v1/windows/999999/call-next").status_code == 404


def test_transfer_with_a_bad_destination_changes_nothing(api, category_a, window):
    services.issue_ticket(category=category_a)
    api.post(f"/api/v1/windows/{window.pk}/call-next")
    for payload in ({}, {"category": "Q"}, {"window": 999999}, {"window": "x"}):
        response = api.post(f"/api/v1/windows/{window.pk}/transfer", payload, content_type="application/json")
        assert response.status_code == 422, (payload, response.content)
    assert Ticket.objects.get().state == TicketState.CALLED


def test_a_citizen_token_cannot_operate_windows(hall, category_a, window):
    _, token = create_token(UserFactory(role=Role.CITIZEN))
    citizen = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    services.issue_ticket(category=category_a)
    assert citizen.post(f"/api/v1/windows/{window.pk}/call-next").status_code == 403
    assert Ticket.objects.get().state == TicketState.WAITING


def test_booking_cancelling_and_checking_in_over_the_api(api, client, hall, category_a,
                                                         django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from onewindow.hall.models import AppointmentSlot

    day = timezone.localdate() + dt.timedelta(days=1)
    slot = AppointmentSlot.objects.create(category=category_a, day=day, start=dt.time(9), end=dt.time(10), capacity=1)
    slots = client.get("/api/v1/appointments/slots", {"hall": hall.code, "category": "A"}).json()
    assert [s["id"] for s in slots] == [slot.pk] and slots[0]["remaining"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post("/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(1),
                                                      "mobile": "13800000001"}, content_type="application/json")
    assert booked.status_code == 201, booked.content
    assert booked.json()["state"] == "pending" and booked.json()["expires_at"], "confirmed only by its holder"
    code = booked.json()["code"]
    confirmed = client.post(f"/api/v1/appointments/{code}/confirm", {"code": sent_code("13800000001")},
                            content_type="application/json")
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "booked", confirmed.content
    full = client.post("/api/v1/appointments", {"slot": slot.pk, "identity_number": valid_id(2),
                                                "mobile": "13800000002"}, content_type="application/json")
    assert full.status_code == 409 and full.json()["error"]["code"] == "slot_full"
    wrong = client.post(f"/api/v1/appointments/{code}/cancel", {"identity_number": valid_id(2)},
                        content_type="application/json")
    assert wrong.status_code == 403
    early = api.post(f"/api/v1/appointments/{code}/check-in", {"hall": hall.code}, content_type="application/json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "check_in_too_early"
    cancelled = client.post(f"/api/v1/appointments/{code}/cancel", {"identity_number": valid_id(1)},
                            content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert client.get("/api/v1/appointments/slots", {"hall": hall.code, "category": "A"}).json()[0]["remaining"] == 1


def test_metrics_need_staff_and_report_per_category(api, client, hall, category_a, window, clerk):
    services.issue_ticket(category=category_a)
    services.call_next(window=window, by=clerk)
    services.finish(window=window, by=clerk)
    body = api.get(f"/api/v1/halls/{hall.code}/metrics").json()
    assert body["by_category"][0]["tickets"] == 1 and body["total"]["tickets"] == 1
    assert client.get(f"/api/v1/halls/{hall.code}/metrics").status_code == 401
    assert api.get(f"/api/v1/halls/{hall.code}/metrics", {"day": "2026-02-30"}).status_code == 422
