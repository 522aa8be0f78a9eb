"""The scheduler's job of the licence register (Celery beat with Redis, else `onewindow.scheduler` in-process)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from onewindow.licences import services


def sweep_licences(*, at: dt.datetime | None = None) -> dict[str, int]:
    """Deemed renewals first (art. 50: a renewal undecided by the last day of validity), then expiries, then the
    reminders before expiry; each step its own transaction. `at` fixes the day (tests, catch-up)."""
    return {
        "deemed_renewed": services.deem_overdue_renewals(at=at),
        "expired": services.expire_licences(at=at),
        "reminded": services.send_expiry_reminders(at=at),
    }


@shared_task(name="licences.sweep")
def sweep_licences_task() -> dict[str, int]:
    """Periodic sweep of the licence register (see `sweep_licences`)."""
    return sweep_licences()
