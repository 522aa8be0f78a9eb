"""Reads of the hall: rules, waiting counts, the board's picture, queue positions, bookings, metrics."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.core.errors import NotFound
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    FoundItem,
    FoundItemState,
    HallPolicy,
    ServiceCategory,
    Ticket,
    TicketState,
    Window,
    WindowStatus,
)

DEFAULT_SERVICE_MINUTES = 5.0


def policy_for(hall_id: int) -> HallPolicy:
    """The hall's rules; an unsaved row with the defaults when the hall has none."""
    return HallPolicy.objects.filter(hall_id=hall_id).first() or HallPolicy(hall_id=hall_id)


def get_hall(code: str) -> Hall:
    hall = Hall.objects.select_related("service_point").filter(code=code).first()
    if hall is None:
        raise NotFound(f"大厅“{code}”不存在")
    return hall


def categories_of(hall_id: int) -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(hall_id=hall_id, active=True).order_by("sort_order", "prefix")


def waiting_counts(hall_id: int, day: dt.date | None = None) -> list[dict]:
    """Waiting tickets per active category of the hall today, zeros included, in one query."""
    day = day or timezone.localdate()
    counts = dict(
        Ticket.objects.filter(hall_id=hall_id, day=day, state=TicketState.WAITING)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    return [
        {"prefix": c.prefix, "name": c.name, "waiting": counts.get(c.pk, 0)}
        for c in categories_of(hall_id)
    ]


def board_snapshot(hall: Hall, *, recent: int = 8) -> dict:
    """Everything the TV shows on connect: tickets at windows, the latest calls, waiting counts."""
    day = timezone.localdate()
    windows = list(
        Window.objects.filter(hall=hall).select_related("current_ticket", "current_ticket__category")
        .order_by("sort_order", "number")
    )
    calling = [
        {
            "ticket": w.current_ticket.number,
            "window": w.number,
            "category": w.current_ticket.category.name,
            "state": w.current_ticket.state,
        }
        for w in windows
        if w.current_ticket and w.current_ticket.state in (TicketState.CALLED, TicketState.SERVING)
    ]
    latest = (
        Ticket.objects.filter(hall=hall, day=day, called_at__isnull=False)
        .select_related("window", "category")
        .order_by("-called_at", "-id")[:recent]
    )
    return {
        "kind": "snapshot",
        "hall": str(hall),
        "calling": calling,
        "recent": [
            {"ticket": t.number, "window": t.window.number if t.window else "", "category": t.category.name,
             "at": timezone.localtime(t.called_at).strftime("%H:%M:%S")}
            for t in latest
        ],
        "waiting": waiting_counts(hall.pk, day),
        "windows": [{"window": w.number, "status": w.status} for w in windows],
    }


def window_snapshot(window: Window) -> dict:
    ticket = window.current_ticket
    active = ticket is not None and ticket.state in (TicketState.CALLED, TicketState.SERVING)
    return {
        "kind": "snapshot",
        "window": window.number,
        "status": window.status,
        "ticket": ticket.number if active else "",
        "state": ticket.state if active else "",
        "category": ticket.category.name if active else "",
    }


def ticket_by_code(code: str) -> Ticket | None:
    """The live row of a ticket: after a transfer, the newest row carries the same code."""
    return (
        Ticket.objects.select_related("hall", "category", "window", "target_window")
        .filter(code=(code or "").strip().upper())
        .order_by("-id")
        .first()
    )


def ticket_by_number(hall: Hall, number: str, day: dt.date | None = None) -> Ticket | None:
    return (
        Ticket.objects.select_related("hall", "category", "window", "target_window")
        .filter(hall=hall, day=day or timezone.localdate(), number=(number or "").strip().upper())
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class QueuePosition:
    ahead: int
    estimated_minutes: int
    open_windows: int


def queue_position(ticket: Ticket) -> QueuePosition:
    """People ahead in the same queue and a rough wait: ahead × average service ÷ open windows."""
    if ticket.state != TicketState.WAITING:
        return QueuePosition(0, 0, 0)
    same_queue = Q(target_window=ticket.target_window) if ticket.target_window_id else Q(
        category_id=ticket.category_id, target_window__isnull=True
    )
    before_me = Q(priority_rank__gt=ticket.priority_rank) | Q(
        priority_rank=ticket.priority_rank, queued_at__lt=ticket.queued_at
    ) | Q(priority_rank=ticket.priority_rank, queued_at=ticket.queued_at, id__lt=ticket.pk)
    ahead = Ticket.objects.filter(same_queue, before_me, hall_id=ticket.hall_id, day=ticket.day,
                                  state=TicketState.WAITING).count()
    open_windows = Window.objects.filter(
        hall_id=ticket.hall_id, status=WindowStatus.OPEN, categories=ticket.category_id
    ).count()
    minutes = average_service_minutes(ticket.hall_id, ticket.category_id, ticket.day)
    estimate = math.ceil(ahead * minutes / max(open_windows, 1))
    return QueuePosition(ahead, estimate, open_windows)


def average_service_minutes(hall_id: int, category_id: int, day: dt.date) -> float:
    rows = Ticket.objects.filter(
        hall_id=hall_id, category_id=category_id, day=day, state=TicketState.DONE,
        serving_started_at__isnull=False, finished_at__isnull=False,
    ).values_list("serving_started_at", "finished_at")[:200]
    durations = [(end - start).total_seconds() / 60 for start, end in rows]
    return sum(durations) / len(durations) if durations else DEFAULT_SERVICE_MINUTES


# -- appointments --------------------------------------------------------------------------------


def bookable_slots(category: ServiceCategory, *, start: dt.date, end: dt.date) -> QuerySet[AppointmentSlot]:
    return AppointmentSlot.objects.filter(category=category, day__gte=start, day__lte=end).order_by("day", "start")


def missed_count(identity_key: str, *, since: dt.date, today: dt.date) -> tuple[int, dt.date | None]:
    """Bookings missed since a day: marked missed, or still booked for a day already past."""
    rows = Appointment.objects.filter(identity_key=identity_key, day__gte=since, day__lte=today).filter(
        Q(state=AppointmentState.MISSED) | Q(state=AppointmentState.BOOKED, day__lt=today)
    )
    agg = rows.aggregate(n=Count("id"), last=Max("day"))
    return agg["n"], agg["last"]


def booking_blocked_until(identity_key: str, *, policy: HallPolicy, today: dt.date) -> dt.date | None:
    """The day online booking opens again for a person who missed too many bookings, else None."""
    since = today - dt.timedelta(days=policy.missed_window_days)
    count, last = missed_count(identity_key, since=since, today=today)
    if count < policy.missed_limit or last is None:
        return None
    until = last + dt.timedelta(days=policy.booking_block_days)
    return until if until > today else None


def appointment_for_check_in(hall: Hall, *, code: str = "", identity_key: str = "") -> Appointment | None:
    """Today's live booking in this hall, by booking code or by the person's identity number."""
    rows = Appointment.objects.select_related("slot__category").filter(
        slot__category__hall=hall, day=timezone.localdate(), state=AppointmentState.BOOKED
    )
    if code:
        return rows.filter(code=code.strip().upper()).first()
    if identity_key:
        return rows.filter(identity_key=identity_key).order_by("slot__start").first()
    return None


# -- lost and found ------------------------------------------------------------------------------


def public_found_items(hall: Hall | None = None) -> QuerySet[FoundItem]:
    rows = FoundItem.objects.filter(published=True, state=FoundItemState.STORED).select_related("hall")
    return rows.filter(hall=hall) if hall else rows


def unclaimed_found_items(*, now: dt.datetime | None = None) -> list[FoundItem]:
    """Items stored longer than their hall's period (逾期未领), oldest first."""
    now = now or timezone.now()
    items = FoundItem.objects.filter(state=FoundItemState.STORED).select_related("hall").order_by("found_at")
    limits = dict(HallPolicy.objects.values_list("hall_id", "unclaimed_after_days"))
    default = HallPolicy._meta.get_field("unclaimed_after_days").default
    return [i for i in items if now - i.found_at > dt.timedelta(days=limits.get(i.hall_id, default))]


# -- metrics -------------------------------------------------------------------------------------


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
        start = t.transferred_from.finished_at if t.transferred_from_id else t.issued_at
        hour = f"{timezone.localtime(start):%H}:00"
        category = f"{t.category.prefix} {t.category.name}"
        window = f"{t.window.number}号窗口" if t.window_id else None
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
