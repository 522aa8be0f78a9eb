"""Creating a case with an Idempotency-Key: a repeated key returns the first case, never a second."""

from __future__ import annotations

from django.test import Client

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import identity_number, person
from onewindow.core.services import create_token


def _body(world, submit=True):
    return {"item_id": world.item_a.pk, "channel": "window", "submit": submit, "service_point_id": world.point.pk,
            "applicant": {"kind": "person", "name": "张三", "id_number": identity_number(3), "mobile": "13800138000"}}


def test_a_repeated_idempotency_key_returns_the_first_case(world):
    _, token = create_token(world.clerk_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="abc-123")
    first = client.post("/api/v1/cases", content_type="application/json", data=_body(world))
    again = client.post("/api/v1/cases", content_type="application/json", data=_body(world))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert first.json()["state"] == "submitted"
    assert Case.objects.count() == 1


def test_different_keys_or_no_key_create_different_cases(world):
    _, token = create_token(world.clerk_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    numbers = {
        client.post("/api/v1/cases", content_type="application/json", data=_body(world),
                    HTTP_IDEMPOTENCY_KEY=key).json()["number"]
        for key in ("k1", "k2", "")
    }
    assert len(numbers) == 3


def test_the_same_key_from_another_user_is_another_request(world):
    a, created_a = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(), channel="window",
                                        idempotency_key="same")
    b, created_b = services.create_case(by=world.window_clerk, item=world.item_a, applicant=person(),
                                        channel="window", idempotency_key="same")
    assert created_a and created_b and a != b


def test_a_replay_changes_nothing(world):
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(), channel="window",
                                   idempotency_key="once")
    from onewindow.core.models import AuditEvent

    events = AuditEvent.objects.count()
    again, created = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(),
                                          channel="window", idempotency_key="once")
    assert (again, created) == (case, False)
    assert AuditEvent.objects.count() == events
    assert Case.objects.get().state == "draft"
