"""The hall's figures: per category, window and hour (waits, service times, no-shows), and the hourly history
that staffing (Erlang C) starts from."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.hall.models import Ticket, TicketState
from onewindow.hall.selectors.configuration import policy_for
from onewindow.hall.selectors.tickets import DEFAULT_SERVICE_MINUTES


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 < share ≤ 1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass
class _Bucket:
    tickets: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)
    no_shows: int = 0

    def row(self, key: str, target: float) -> dict:
        waits, services = self.waits, self.services
        return {
            "key": key,
            "tickets": self.tickets,
            "avg_wait_minutes": round(sum(waits) / len(waits), 1) if waits else None,
            "p90_wait_minutes": round(percentile(waits, 0.9), 1) if waits else None,
            "avg_service_minutes": round(sum(services) / len(services), 1) if services else None,
            "no_shows": self.no_shows,
            "over_target_share": round(sum(1 for w in waits if w > target) / len(waits), 3) if waits else None,
        }


def hall_metrics(hall: Hall, day: dt.date, *, target_minutes: int | None = None) -> dict:
    """Per category, window and hour: tickets, average and P90 wait, average service, no-shows, share over target."""
    target = float(target_minutes if target_minutes is not None else policy_for(hall.pk).wait_target_minutes)
    rows = (
        Ticket.objects.filter(hall=hall, day=day)
        .select_related("category", "window", "transferred_from")
        .order_by("id")
    )
    by_category: dict[str, _Bucket] = defaultdict(_Bucket)
    by_window: dict[str, _Bucket] = defaultdict(_Bucket)
    by_hour: dict[str, _Bucket] = defaultdict(_Bucket)
    total = _Bucket()
    for t in rows:
        # A transferred ticket waits in its new queue from the moment it left the old one.
        start = (t.transferred_from.finished_at if t.transferred_from else None) or t.issued_at
        hour = f"{timezone.localtime(start):%H}:00"
        category = f"{t.category.prefix} {t.category.name}"
        window = f"{t.window.number}号窗口" if t.window else None
        buckets = [by_category[category], by_hour[hour], total]
        wait = (t.called_at - start).total_seconds() / 60 if t.called_at and start else None
        service = None
        if t.state in (TicketState.DONE, TicketState.TRANSFERRED) and t.serving_started_at and t.finished_at:
            service = (t.finished_at - t.serving_started_at).total_seconds() / 60
        # Each row is a ticket in its own queue; the total counts a person once, where they first queued.
        for bucket in buckets + ([by_window[window]] if window else []):
            if bucket is not total or not t.transferred_from_id:
                bucket.tickets += 1
            if wait is not None:
                bucket.waits.append(wait)
            if service is not None:
                bucket.services.append(service)
            if t.no_show_at:
                bucket.no_shows += 1
    return {
        "hall": str(hall),
        "day": day.isoformat(),
        "target_minutes": target,
        "total": total.row("合计", target),
        "by_category": [by_category[k].row(k, target) for k in sorted(by_category)],
        "by_window": [by_window[k].row(k, target) for k in sorted(by_window, key=lambda s: (len(s), s))],
        "by_hour": [by_hour[k].row(k, target) for k in sorted(by_hour)],
    }


@dataclass(frozen=True)
class HourHistory:
    hour: int
    arrivals_per_hour: float
    service_minutes: float


def hourly_history(hall: Hall, *, before: dt.date, days: int) -> tuple[list[dt.date], list[HourHistory]]:
    """Mean arrivals per hour and mean service minutes over the last `days` days with tickets before a day."""
    recent_days = list(
        Ticket.objects.filter(hall=hall, day__lt=before, day__gte=before - dt.timedelta(days=days))
        .values_list("day", flat=True).distinct().order_by("day")
    )
    if not recent_days:
        return [], []
    rows = Ticket.objects.filter(hall=hall, day__in=recent_days).values_list(
        "issued_at", "serving_started_at", "finished_at", "state", "transferred_from_id"
    )
    arrivals: dict[int, int] = defaultdict(int)
    services: dict[int, list[float]] = defaultdict(list)
    all_services: list[float] = []
    for issued_at, started, finished, state, transferred_from in rows:
        hour = timezone.localtime(issued_at).hour
        if transferred_from is None:
            arrivals[hour] += 1
        if state == TicketState.DONE and started and finished:
            minutes = (finished - started).total_seconds() / 60
            services[hour].append(minutes)
            all_services.append(minutes)
    overall = sum(all_services) / len(all_services) if all_services else DEFAULT_SERVICE_MINUTES
    history = [
        HourHistory(
            hour=h,
            arrivals_per_hour=arrivals[h] / len(recent_days),
            service_minutes=(sum(services[h]) / len(services[h])) if services[h] else overall,
        )
        for h in sorted(set(arrivals) | set(services))
    ]
    return recent_days, history
