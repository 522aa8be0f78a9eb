"""When a result is issued, the item's supervising department gets an inbox entry (事中事后监管) and a signed
webhook where one is configured."""

import json

from onewindow.bundles.models import SupervisionEvent, WebhookDelivery, WebhookEndpoint
from onewindow.bundles.selectors import supervision_inbox
from onewindow.bundles.tests.factories import accepted, decide, issue
from onewindow.bundles.tests.receiver import Receiver
from onewindow.bundles.webhooks import SIGNATURE_HEADER, verify_signature
from onewindow.catalog.models import ItemVersion


def _supervised_by(world, key: str, department_code: str) -> None:
    ItemVersion.objects.filter(pk=world.items[key].published_version_id).update(
        supervising_department=world.departments[department_code])


def test_issuing_a_result_puts_an_entry_in_the_supervising_departments_inbox(world):
    _supervised_by(world, "licence", "XF")
    package = accepted(world)
    decide(world, package, "licence")
    case = issue(world, package, "licence")
    event = SupervisionEvent.objects.get(case=case)
    assert event.department.code == "XF"
    assert event.payload["case"]["licence_number"] == case.licence_number
    assert event.payload["case"]["package"] == package.number
    assert list(supervision_inbox(world.reviewers["XF"])) == [event]
    assert list(supervision_inbox(world.reviewers["HB"])) == [], "other departments do not see it"


def test_without_a_supervising_department_the_approving_department_supervises(world):
    package = accepted(world)
    decide(world, package, "env")
    case = issue(world, package, "env")
    assert SupervisionEvent.objects.get(case=case).department.code == "HB"


def test_the_webhook_arrives_signed_with_the_endpoints_secret(world, django_capture_on_commit_callbacks):
    _supervised_by(world, "licence", "XF")
    with Receiver([200]) as receiver:
        WebhookEndpoint.objects.create(department=world.departments["XF"], url=receiver.url, secret="s3cret-xf")
        package = accepted(world)
        decide(world, package, "licence")
        with django_capture_on_commit_callbacks(execute=True):
            case = issue(world, package, "licence")
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert verify_signature("s3cret-xf", got["body"], got["headers"][SIGNATURE_HEADER])
    assert not verify_signature("wrong-secret", got["body"], got["headers"][SIGNATURE_HEADER])
    assert json.loads(got["body"])["case"]["number"] == case.number
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [(a.number, a.status_code, a.ok) for a in delivery.attempt_log.all()] == [(1, 200, True)]


def test_a_tampered_body_or_an_old_signature_does_not_verify():
    from onewindow.bundles.webhooks import sign

    body = '{"case":{"number":"SC20250901000001"}}'
    header = sign("k", body, 1_700_000_000)
    assert verify_signature("k", body, header, now=1_700_000_100)
    assert not verify_signature("k", body.replace("01\"", "02\""), header, now=1_700_000_100)
    assert not verify_signature("k", body, header, now=1_700_009_000), "older than the tolerance"
    assert not verify_signature("k", body, "garbage", now=1_700_000_100)


def test_nothing_is_sent_when_the_issuing_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    import pytest
    from django.db import transaction

    with Receiver([200]) as receiver:
        WebhookEndpoint.objects.create(department=world.departments["HB"], url=receiver.url, secret="k")
        package = accepted(world)
        decide(world, package, "env")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            issue(world, package, "env")
            raise RuntimeError("rolled back")
    assert receiver.received == []
    assert not SupervisionEvent.objects.exists()
