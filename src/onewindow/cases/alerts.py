"""电子监察 alerts: a periodic sweep records each yellow / red light once and tells the people responsible.

The sweep runs from Celery beat when REDIS_URL is set (`cases.tasks.sweep_alerts_task`) and from the
embedded scheduler otherwise (`onewindow.scheduler`). Both call `sweep_alerts`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError
from django.utils import timezone

from onewindow.cases.clock import LIGHT_LABELS, Light
from onewindow.cases.models import Case, CaseAlert
from onewindow.cases.notifications import notify_on_commit, supervisors_and_leader_ids
from onewindow.cases.selectors import alert_candidates
from onewindow.core.kit import service

log = logging.getLogger(__name__)


def sweep_alerts(*, today: dt.date | None = None, batch: int = 1000) -> int:
    """Record an alert for every case that turned yellow or red since the last sweep; returns how many."""
    today = today or timezone.localdate()
    created = 0
    recipients_cache: dict[int, list[int]] = {}
    last_id = 0
    while True:
        cases = list(alert_candidates(today).filter(pk__gt=last_id)[:batch])
        if not cases:
            return created
        for case in cases:
            last_id = case.pk
            if case.department_id not in recipients_cache:
                recipients_cache[case.department_id] = supervisors_and_leader_ids(case.department_id)
            try:
                _record_alert(case, recipients=recipients_cache[case.department_id])
            except IntegrityError:
                # Another sweep (a second process) recorded it first: once is once.
                continue
            created += 1


@service
def _record_alert(case: Case, *, recipients: list[int]) -> None:
    """Record one alert and tell the people responsible once it commits: one transaction per case, so an alert
    another sweep recorded first skips only that case."""
    CaseAlert.objects.create(case=case, department_id=case.department_id, light=case.light,
                             clock_due_on=case.clock_due_on, created_at=timezone.now())
    label = LIGHT_LABELS[Light(case.light)]
    notify_on_commit(
        recipients, case_id=case.pk, kind=f"alert_{case.light}", title=f"电子监察{label}：{case.number}",
        body=(f"{case.department.name}·{case.item_version.name}，"
              f"截止日 {case.clock_due_on:%Y-%m-%d}，状态 {case.state_label}。"),
    )
