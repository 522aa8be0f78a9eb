"""Celery tasks of the shared kernel (run by workers and beat when REDIS_URL is set, in-process otherwise)."""

from celery import shared_task

from onewindow.core.audit import anchor_chain


@shared_task(name="core.anchor_audit_chain")
def anchor_audit_chain() -> int | None:
    """Periodic anchor of the audit chain (every AUDIT_ANCHOR_SECONDS): every shard's head into the anchor chain.
    Returns the anchor's event id, or None when no shard moved since the last anchor."""
    event = anchor_chain()
    return event.pk if event is not None else None
