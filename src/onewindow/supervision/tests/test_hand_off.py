"""The issued result of every approval, of any case, is handed to the item's supervising department (审管分离,
一链监管): an inbox entry (事中事后监管) written with the result, and a signed webhook where one is configured.
(A denial is handed to nobody: see test_denials.)"""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from onewindow.cases import acts as case_acts
from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.supervision.models import SupervisionEvent, WebhookDelivery, WebhookEndpoint
from onewindow.supervision.selectors import supervision_inbox
from onewindow.supervision.tests.factories import issued, supervised_by
from onewindow.supervision.tests.receiver import Receiver
from onewindow.supervision.webhooks import SIGNATURE_HEADER, sign, verify_signature


def reference_of(case) -> str:
    """A field another app adds to the payload (see SUPERVISION_CASE_FIELDS)."""
    return f"REF-{case.number}"


def test_issuing_a_result_puts_an_entry_in_the_supervising_departments_inbox(world):
    supervised_by(world, world.dept_b)
    case = issued(world)
    event = SupervisionEvent.objects.get(case=case)
    assert event.department == world.dept_b
    assert event.payload["case"]["number"] == case.number
    assert event.payload["case"]["licence_number"] == case.licence_number
    assert event.payload["case"]["decision"] == "approved"
    assert event.payload["supervising_department"] == {"code": "WJ", "name": "卫生健康委"}
    assert list(supervision_inbox(world.reviewer_b)) == [event]
    assert list(supervision_inbox(world.reviewer_a)) == [], "the approving department does not supervise here"


def test_without_a_supervising_department_the_approving_department_supervises(world):
    case = issued(world)
    assert SupervisionEvent.objects.get(case=case).department == world.dept_a


def test_a_persons_identity_number_leaves_only_masked(world):
    case = issued(world)
    payload = SupervisionEvent.objects.get(case=case).payload["case"]
    assert payload["applicant"]["id_number"] != case.applicant_id_number
    assert "*" in payload["applicant"]["id_number"], "a person's identity number leaves only masked"


def test_a_case_still_in_review_is_handed_off_to_nobody(world):
    case_in_state(world, State.APPROVED)
    assert not SupervisionEvent.objects.exists(), "the hand-off follows the issued result, not the decision"


def test_the_webhook_arrives_signed_with_the_endpoints_secret(world, django_capture_on_commit_callbacks):
    supervised_by(world, world.dept_b)
    with Receiver([200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_b, url=receiver.url, secret="s3cret-wj")
        with django_capture_on_commit_callbacks(execute=True):
            case = issued(world)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert verify_signature("s3cret-wj", got["body"], got["headers"][SIGNATURE_HEADER])
    assert not verify_signature("wrong-secret", got["body"], got["headers"][SIGNATURE_HEADER])
    assert json.loads(got["body"])["case"]["number"] == case.number
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [(a.number, a.status_code, a.ok) for a in delivery.attempt_log.all()] == [(1, 200, True)]


def test_a_tampered_body_or_an_old_signature_does_not_verify():
    body = '{"case":{"number":"SC20250901000001"}}'
    header = sign("k", body, 1_700_000_000)
    assert verify_signature("k", body, header, now=1_700_000_100)
    assert not verify_signature("k", body.replace("01\"", "02\""), header, now=1_700_000_100)
    assert not verify_signature("k", body, header, now=1_700_009_000), "older than the tolerance"
    assert not verify_signature("k", body, "garbage", now=1_700_000_100)


class Undone(Exception):
    """The issuing transaction failed after the result was issued."""


def test_nothing_is_handed_off_or_sent_when_the_issuing_transaction_rolls_back(world,
                                                                              django_capture_on_commit_callbacks):
    case = case_in_state(world, State.APPROVED)
    with Receiver([200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_a, url=receiver.url, secret="k")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undone), transaction.atomic():
            case_acts.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-09-01", 16))
            assert SupervisionEvent.objects.filter(case=case).exists(), "written with the result, inside its act"
            raise Undone
    assert receiver.received == []
    assert not SupervisionEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_payload_carries_the_fields_other_apps_configure(world, settings):
    settings.SUPERVISION_CASE_FIELDS = {"reference": "onewindow.supervision.tests.test_hand_off.reference_of"}
    case = issued(world)
    assert SupervisionEvent.objects.get(case=case).payload["case"]["reference"] == f"REF-{case.number}"


def test_a_configured_field_may_not_replace_one_of_the_cases_own(world, settings):
    case = case_in_state(world, State.APPROVED)
    settings.SUPERVISION_CASE_FIELDS = {"licence_number": "onewindow.supervision.tests.test_hand_off.reference_of"}
    with pytest.raises(ImproperlyConfigured):
        case_services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-09-01", 16))
    case.refresh_from_db()
    assert case.state == State.APPROVED and not SupervisionEvent.objects.exists(), "the act rolled back whole"


def test_the_hand_off_is_connected_once_however_often_the_app_is_readied(world):
    apps.get_app_config("supervision").ready()
    apps.get_app_config("supervision").ready()
    case = issued(world)
    assert SupervisionEvent.objects.filter(case=case).count() == 1
