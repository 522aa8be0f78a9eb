"""Celery tasks of 一链监管: webhook deliveries (workers with REDIS_URL, in-process otherwise) and their sweep."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings

from onewindow.supervision import webhooks
from onewindow.supervision.models import WebhookDelivery

log = logging.getLogger(__name__)


@shared_task(name="supervision.deliver_webhook")
def deliver_webhook(delivery_id: int, replay: bool = False) -> str:
    """One attempt; on a worker a failed attempt schedules the next with its backoff as the countdown."""
    delivery = webhooks.attempt(delivery_id, force=replay, replay=replay)
    if delivery is None:
        return "skipped"
    if delivery.status == WebhookDelivery.Status.PENDING and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        deliver_webhook.apply_async((delivery_id,), countdown=webhooks.backoff_seconds(delivery.attempts))
    return delivery.status


@shared_task(name="supervision.retry_webhooks")
def retry_webhooks() -> int:
    """Periodic safety net: attempt every pending delivery that is due."""
    return webhooks.retry_due()


def enqueue(delivery_ids: Iterable[int], *, replay: bool = False) -> None:
    """Hand deliveries to the task queue (a worker with Redis; this process in the embedded mode)."""
    for pk in delivery_ids:
        try:
            deliver_webhook.delay(pk, replay)
        except Exception:  # noqa: BLE001 - the row stays pending; the sweep sends it later
            log.exception("could not queue webhook delivery %s", pk)
