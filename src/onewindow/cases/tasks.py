"""Celery tasks of the case engine (run by workers and beat when REDIS_URL is set, eagerly otherwise)."""

from __future__ import annotations

from celery import shared_task

from onewindow.cases.alerts import deem_lapsed_acceptances, sweep_alerts


@shared_task(name="cases.sweep_alerts")
def sweep_alerts_task() -> int:
    """Periodic 电子监察 sweep: first the applications deemed accepted (art. 32), then alerts for cases that
    turned yellow or red."""
    deem_lapsed_acceptances()
    return sweep_alerts()
