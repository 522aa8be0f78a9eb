"""A receiving system that is down loses nothing: retried with backoff until acknowledged, or dead after the
configured number of tries; every attempt is logged; a dead delivery can be replayed."""

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.core.errors import PermissionDenied
from onewindow.supervision import services, webhooks
from onewindow.supervision.models import WebhookDelivery, WebhookEndpoint
from onewindow.supervision.tests.factories import issued
from onewindow.supervision.tests.receiver import Receiver


@pytest.fixture
def fast_backoff(settings):
    settings.SUPERVISION_WEBHOOK_BACKOFF_SECONDS = 10
    settings.SUPERVISION_WEBHOOK_TIMEOUT = 2


def _issue(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued(world)
    return WebhookDelivery.objects.get()


def test_a_receiver_that_fails_twice_then_recovers_gets_the_event_on_the_third_try(
        world, fast_backoff, django_capture_on_commit_callbacks):
    with Receiver([503, 500, 200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_a, url=receiver.url, secret="k")
        delivery = _issue(world, django_capture_on_commit_callbacks)
        assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
        first_retry = delivery.next_attempt_at
        assert webhooks.retry_due(now=first_retry - dt.timedelta(seconds=1)) == 0, "not before its backoff"
        assert webhooks.retry_due(now=first_retry) == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - first_retry == dt.timedelta(seconds=20), "the backoff doubles"
        webhooks.retry_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [(a.number, a.status_code, a.ok) for a in delivery.attempt_log.all()] == [
        (1, 503, False), (2, 500, False), (3, 200, True)]
    bodies = {r["body"] for r in receiver.received}
    assert len(bodies) == 1, "every try sends the same event"


def test_a_receiver_that_is_not_listening_is_logged_and_retried(world, fast_backoff, django_capture_on_commit_callbacks):
    with Receiver([200]) as receiver:
        url = receiver.url
    WebhookEndpoint.objects.create(department=world.dept_a, url=url, secret="k")
    delivery = _issue(world, django_capture_on_commit_callbacks)
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error, "a refused connection is logged with its error"
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_after_the_configured_number_of_tries_the_delivery_is_dead_and_can_be_replayed(
        world, fast_backoff, django_capture_on_commit_callbacks):
    with Receiver([500, 500, 500, 200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_a, url=receiver.url, secret="k",
                                       max_attempts=3)
        delivery = _issue(world, django_capture_on_commit_callbacks)
        for day in range(1, 6):
            webhooks.retry_due(now=timezone.now() + dt.timedelta(days=day))
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.DEAD
        assert delivery.attempt_log.count() == 3
        with pytest.raises(PermissionDenied):
            services.replay_delivery(delivery, by=world.reviewer_a)
        with django_capture_on_commit_callbacks(execute=True):
            services.replay_delivery(delivery, by=world.admin)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    last = delivery.attempt_log.order_by("-id").first()
    assert last.replay and last.status_code == 200
    assert len(receiver.received) == 4


def test_two_senders_never_make_the_same_attempt(world, fast_backoff, django_capture_on_commit_callbacks):
    with Receiver([500, 200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_a, url=receiver.url, secret="k")
        delivery = _issue(world, django_capture_on_commit_callbacks)
        due = delivery.next_attempt_at
        assert webhooks._claim(delivery.pk, due, force=False) is True
        assert webhooks.attempt(delivery.pk, now=due) is None, "the second sender finds it leased"
    assert len(receiver.received) == 1


def test_the_admin_replay_action_sends_a_dead_delivery_again(world, fast_backoff, django_capture_on_commit_callbacks):
    from django.test import Client

    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    with Receiver([500, 200]) as receiver:
        WebhookEndpoint.objects.create(department=world.dept_a, url=receiver.url, secret="k",
                                       max_attempts=1)
        delivery = _issue(world, django_capture_on_commit_callbacks)
        assert delivery.status == WebhookDelivery.Status.DEAD
        client = Client()
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/admin/supervision/webhookdelivery/",
                                   {"action": "replay", "_selected_action": [str(delivery.pk)]})
        assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
