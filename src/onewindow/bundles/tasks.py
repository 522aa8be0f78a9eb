"""Celery tasks of 一件事 packages (run by Celery beat with REDIS_URL, else by the embedded scheduler)."""

from __future__ import annotations

from celery import shared_task

from onewindow.bundles.alerts import sweep_statutory_limits


@shared_task(name="bundles.sweep_statutory_limits")
def sweep_statutory_limits_task() -> int:
    """电子监察 of the joint-handling limit (art. 42 ¶2): alert once for each package past it."""
    return sweep_statutory_limits()
