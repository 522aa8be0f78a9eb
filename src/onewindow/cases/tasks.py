"""Celery tasks of the case engine (run by workers and beat when REDIS_URL is set, eagerly otherwise)."""

from __future__ import annotations

from celery import shared_task

from onewindow.cases.alerts import sweep_alerts


@shared_task(name="cases.sweep_alerts")
def sweep_alerts_task() -> int:
    """Periodic 电子监察 sweep: alerts for cases that turned yellow or red."""
    return sweep_alerts()
