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
from onewindow.cases.models import AlertKind, Case, CaseAlert, Suspension
from onewindow.cases.notifications import notify_on_commit, supervisors_and_leader_ids
from onewindow.cases.selectors import (
    alert_candidates,
    hearing_clock,
    lapsed_acceptances,
    open_hearings,
    overrunning_procedures,
)
from onewindow.core.errors import DomainError
from onewindow.core.kit import service

log = logging.getLogger(__name__)


def deem_lapsed_acceptances(*, today: dt.date | None = None, at: dt.datetime | None = None) -> int:
    """视为受理 at the scheduler's tick (行政许可法第三十二条): every submitted case past its 5-working-day acceptance
    limit is marked deemed accepted from the day of receipt (`cases.acts.deem_accepted`), one transaction per
    case; returns how many. A case an act reached first (lazily) is already marked and skipped: same dates."""
    from onewindow.cases import services

    today = today or timezone.localdate()
    done = 0
    for case_id in list(lapsed_acceptances(today).values_list("pk", flat=True)):
        case = Case.objects.select_related("item_version", "department").get(pk=case_id)
        try:
            done += bool(services.deem_accepted(case, at=at))
        except DomainError:
            log.exception("deemed acceptance of %s failed; tried again at the next tick", case.number)
    return done


def sweep_alerts(*, today: dt.date | None = None, batch: int = 1000) -> int:
    """Record an alert for every case that turned yellow or red since the last sweep (its running clock, decided
    cases' delivery clock included), every special procedure past its expected end and every hearing limit turning
    yellow or red; returns how many."""
    today = today or timezone.localdate()
    return _sweep_clocks(today, batch) + sweep_procedure_alerts(today=today)


def _sweep_clocks(today: dt.date, batch: int) -> int:
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


def sweep_procedure_alerts(*, today: dt.date | None = None) -> int:
    """Special procedures running past the expected end told to the applicant (第四十五条), and hearings whose
    limit (5 days to ask, notice 7 days ahead within 20 days, the hearing day) turns yellow or red: each recorded
    once per limit and light, and told to the department's leaders and the supervisors."""
    today = today or timezone.localdate()
    created = 0
    for suspension in overrunning_procedures(today):
        created += _once(suspension.case, kind=AlertKind.PROCEDURE_OVERRUN, light=Light.RED,
                         due_on=suspension.expected_end_on, what=_overrun_text(suspension))
    for hearing in open_hearings():
        limit = hearing_clock(hearing, today)
        if limit is None or limit.light == Light.GREEN:
            continue
        created += _once(hearing.case, kind=AlertKind.HEARING, light=limit.light, due_on=limit.due_on,
                         what=f"听证·{limit.label}，截止 {limit.due_on:%Y-%m-%d}")
    return created


def _overrun_text(suspension: Suspension) -> str:
    return (f"特别程序（{suspension.get_kind_display()}）自 {suspension.started_on:%Y-%m-%d} 起，"
            f"预计 {suspension.expected_end_on:%Y-%m-%d} 结束，至今未结束")


def _once(case: Case, *, kind: str, light: str, due_on: dt.date | None, what: str) -> int:
    if due_on is None or CaseAlert.objects.filter(case=case, kind=kind, light=light, clock_due_on=due_on).exists():
        return 0
    try:
        _record_procedure_alert(case, kind=kind, light=light, due_on=due_on, what=what)
    except IntegrityError:
        return 0  # another sweep recorded it first
    return 1


@service
def _record_procedure_alert(case: Case, *, kind: str, light: str, due_on: dt.date, what: str) -> None:
    CaseAlert.objects.create(case=case, department_id=case.department_id, kind=kind, light=light,
                             clock_due_on=due_on, created_at=timezone.now())
    label = LIGHT_LABELS[Light(light)]
    notify_on_commit(
        supervisors_and_leader_ids(case.department_id), case_id=case.pk, kind=f"alert_{kind}_{light}",
        title=f"电子监察{label}：{case.number}", body=f"{case.department.name}·{case.item_version.name}，{what}。",
    )
