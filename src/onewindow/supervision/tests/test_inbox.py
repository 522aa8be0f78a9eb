"""The supervising department's inbox (事中事后监管), on its page and through the API: it sees its own events,
signs for them, and nobody else's; the paths of the previous release keep working."""

import json

from django.test import Client

from onewindow.core.services import create_token
from onewindow.supervision.models import SupervisionEvent
from onewindow.supervision.tests.factories import issued, supervised_by


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_supervising_department_signs_for_an_event_on_its_page(world):
    supervised_by(world, world.dept_b)
    case = issued(world)
    client = _signed_in(world.reviewer_b)
    page = client.get("/supervision/").content.decode()
    assert case.number in page and case.licence_number in page
    event = SupervisionEvent.objects.get()
    response = client.post("/supervision/", {"event": str(event.pk)})
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    event.refresh_from_db()
    assert event.acknowledged_by == world.reviewer_b
    assert "已签收" in client.get("/supervision/").content.decode()


def test_another_departments_event_cannot_be_signed_for_from_the_page(world):
    supervised_by(world, world.dept_b)
    issued(world)
    event = SupervisionEvent.objects.get()
    client = _signed_in(world.reviewer_a)
    assert event.case.number not in client.get("/supervision/").content.decode()
    client.post("/supervision/", {"event": str(event.pk)})
    event.refresh_from_db()
    assert event.acknowledged_at is None


def test_a_citizen_may_not_use_the_inbox(world):
    assert _signed_in(world.citizen).get("/supervision/").status_code == 403


def test_the_inbox_page_of_the_previous_release_leads_to_the_new_one(world):
    response = _signed_in(world.reviewer_a).get("/bundles/supervision/")
    assert response.status_code == 301 and response["Location"] == "/supervision/"


def test_the_api_lists_the_departments_events_and_signs_for_one(world):
    supervised_by(world, world.dept_b)
    case = issued(world)
    client = _api(world.reviewer_b)
    listed = client.get("/api/v1/supervision/events?unacknowledged=true")
    assert listed.status_code == 200, listed.content
    [event] = listed.json()
    assert event["case_number"] == case.number and event["department"] == "WJ"
    assert event["payload"]["case"]["licence_number"] == case.licence_number
    signed = client.post(f"/api/v1/supervision/events/{event['id']}/acknowledge")
    assert signed.status_code == 200 and signed.json()["acknowledged_at"]
    assert client.get("/api/v1/supervision/events?unacknowledged=true").json() == []


def test_the_api_answers_404_for_another_departments_event_and_changes_nothing(world):
    supervised_by(world, world.dept_b)
    issued(world)
    event = SupervisionEvent.objects.get()
    response = _api(world.reviewer_a).post(f"/api/v1/supervision/events/{event.pk}/acknowledge")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    event.refresh_from_db()
    assert event.acknowledged_at is None
    assert _api(world.citizen).get("/api/v1/supervision/events").status_code == 403


def test_the_api_paths_of_the_previous_release_still_answer_and_are_marked_deprecated(world):
    issued(world)
    client = _api(world.reviewer_a)
    [event] = client.get("/api/v1/packages/supervision/events").json()
    signed = client.post(f"/api/v1/packages/supervision/events/{event['id']}/acknowledge")
    assert signed.status_code == 200 and signed.json()["acknowledged_at"]
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    assert schema["paths"]["/api/v1/packages/supervision/events"]["get"]["deprecated"] is True
    assert not schema["paths"]["/api/v1/supervision/events"]["get"].get("deprecated")
