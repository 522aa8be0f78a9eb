"""The audit chain (审计链): every state change appends one event that hashes the one before it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from onewindow.core.models import AuditEvent

GENESIS = "0" * 64
# Any constant; PostgreSQL serializes appends on it so two transactions never fork the chain.
_CHAIN_LOCK_KEY = 7_302_011


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value, as stored, so hashing before and after the round trip agree."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def event_digest(
    *, prev_hash: str, at: str, actor_id: int | None, actor_label: str, action: str,
    object_type: str, object_id: str, before: Any, after: Any, reason: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at, actor_id, actor_label, action, object_type, object_id, before, after, reason],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _digest_of(event: AuditEvent) -> str:
    return event_digest(
        prev_hash=event.prev_hash,
        at=event.at.isoformat(timespec="microseconds"),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=_canonical(event.before),
        after=_canonical(event.after),
        reason=event.reason,
    )


def record(
    action: str, *, obj: Any = None, object_type: str = "", object_id: str = "", by: Any = None,
    before: Any = None, after: Any = None, reason: str = "",
) -> AuditEvent:
    """Append an event to the chain inside the caller's transaction. Call it last in a service."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor = by if getattr(by, "pk", None) else None
    # The chain's lock, its last link and the new link in one transaction: the caller's act (no savepoint: an
    # append that fails fails the act), or one of its own when a caller has none.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            at=timezone.now(),
            actor=actor,
            actor_label=str(by) if by is not None else "system",
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=_canonical(before),
            after=_canonical(after),
            reason=reason or "",
            prev_hash=last or GENESIS,
        )
        event.hash = _digest_of(event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not match."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not events:
            return ChainReport(ok=True, checked=checked)
        for event in events:
            if event.prev_hash != prev:
                return ChainReport(False, checked, event.pk, "上一环哈希不符（记录被删除或插入）")
            if _digest_of(event) != event.hash:
                return ChainReport(False, checked, event.pk, "内容与哈希不符（记录被修改）")
            prev = event.hash
            checked += 1
            last_id = event.pk
