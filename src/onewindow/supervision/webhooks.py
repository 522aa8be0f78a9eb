"""Outbound webhooks of 一链监管 (审管分离): JSON bodies signed with HMAC-SHA256, retried with exponential backoff until the
receiver acknowledges (2xx) or the delivery is marked dead; every attempt is logged.

Signature header: `X-Onewindow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; the
timestamp inside the signed text lets a receiver refuse replays (`verify_signature(..., tolerance=300)`).

A delivery is claimed with a conditional UPDATE (pending and due → lease its next attempt time), so two
workers, or a worker and the sweep, never send the same attempt twice. The HTTP call runs outside any
transaction. With REDIS_URL the first try runs on a Celery worker and each retry is scheduled with a
countdown; in the embedded mode the first try runs in-process after commit and the retries are made by
`retry_due`, run from the beat schedule (the `supervision.retry_webhooks` task) by Celery beat or, without
Redis, by the embedded scheduler.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone

from onewindow.core.kit import service
from onewindow.supervision.models import DeliveryAttempt, WebhookDelivery

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Onewindow-Signature"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def encode(payload: dict[str, Any]) -> str:
    """The exact JSON text that is signed and sent (UTF-8, keys sorted)."""
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sign(secret: str, body: str, timestamp: int) -> str:
    """The signature header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, body: str | bytes, header: str, *, tolerance: int | None = 300,
                     now: float | None = None) -> bool:
    """For receivers: True when `header` signs `body` with `secret` and is not older than `tolerance` seconds."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (ValueError, KeyError):
        return False
    if tolerance is not None and abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


def backoff_seconds(attempts: int) -> int:
    """Delay before the next try after `attempts` failed ones: base × 2^(attempts−1), capped."""
    base = int(_setting("SUPERVISION_WEBHOOK_BACKOFF_SECONDS", 30))
    cap = int(_setting("SUPERVISION_WEBHOOK_BACKOFF_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(attempts - 1, 0))


def max_attempts_of(delivery: WebhookDelivery) -> int:
    return delivery.endpoint.max_attempts or int(_setting("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", 8))


def _post(url: str, body: str, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """(HTTP status, error text) of one POST; the status is None when no HTTP answer came."""
    request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured endpoints only
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason)[:300] or exc.__class__.__name__


def _claim(delivery_id: int, now: dt.datetime, *, force: bool) -> bool:
    """Take the delivery's next attempt for this process (one winner), leasing it against a concurrent sender."""
    lease = now + dt.timedelta(seconds=float(_setting("SUPERVISION_WEBHOOK_TIMEOUT", 5)) + 60)
    rows = WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
    if not force:
        rows = rows.filter(next_attempt_at__lte=now)
    return rows.update(next_attempt_at=lease) == 1


def attempt(delivery_id: int, *, now: dt.datetime | None = None, force: bool = False, replay: bool = False
            ) -> WebhookDelivery | None:
    """Make one attempt if the delivery is pending and due (or `force`); log it; schedule the next or give up.

    Returns the delivery after the attempt, or None if it was not due or another sender holds it.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now, force=force):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "onewindow-webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, delivery.body, timestamp),
        "X-Onewindow-Event": "result_issued",
        "X-Onewindow-Delivery": str(delivery.pk),
    }
    started = time.perf_counter()
    status_code, error = _post(endpoint.url, delivery.body, headers, float(_setting("SUPERVISION_WEBHOOK_TIMEOUT", 5)))
    duration_ms = int((time.perf_counter() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    _log_attempt(delivery, now=now, status_code=status_code, error=error, duration_ms=duration_ms, ok=ok,
                 replay=replay)
    delivery.refresh_from_db()
    if not ok:
        log.warning("webhook delivery %s attempt %s to %s failed: %s", delivery.pk, delivery.attempts, endpoint.url,
                    error or status_code)
    return delivery


@service
def _log_attempt(delivery: WebhookDelivery, *, now: dt.datetime, status_code: int | None, error: str,
                 duration_ms: int, ok: bool, replay: bool) -> None:
    """Log an attempt just made and, by its outcome, mark the delivery delivered or dead or schedule the next try:
    one transaction of its own, after the call, which no other transaction may hold open."""
    finished = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    delivery.refresh_from_db()
    DeliveryAttempt.objects.create(delivery=delivery, number=delivery.attempts, at=finished, status_code=status_code,
                                   error=error, duration_ms=duration_ms, ok=ok, replay=replay)
    changes: dict[str, Any] = {"last_status_code": status_code, "last_error": error}
    if ok:
        changes.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=finished, next_attempt_at=None)
    elif delivery.attempts >= max_attempts_of(delivery):
        changes.update(status=WebhookDelivery.Status.DEAD, next_attempt_at=None)
    else:
        changes["next_attempt_at"] = now + dt.timedelta(seconds=backoff_seconds(delivery.attempts))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)


def retry_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """One sweep: attempt every pending delivery whose next try is due. Returns how many were attempted."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in due:
        if attempt(pk, now=now) is not None:
            done += 1
    return done
