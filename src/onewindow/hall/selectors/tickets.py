"""Reads of tickets: by their public code or number, and a waiting ticket's place in line with a rough wait."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.core.identity import canonical_number
from onewindow.hall.models import Ticket, TicketState, Window, WindowStatus

DEFAULT_SERVICE_MINUTES = 5.0


def ticket_by_code(code: str) -> Ticket | None:
    """The live row of a ticket: after a transfer, the newest row carries the same code."""
    return (
        Ticket.objects.select_related("hall", "category", "window", "target_window")
        .filter(code=canonical_number(code or ""))
        .order_by("-id")
        .first()
    )


def ticket_by_number(hall: Hall, number: str, day: dt.date | None = None) -> Ticket | None:
    return (
        Ticket.objects.select_related("hall", "category", "window", "target_window")
        .filter(hall=hall, day=day or timezone.localdate(), number=canonical_number(number or ""))
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
    durations = [(end - start).total_seconds() / 60 for start, end in rows if start and end]
    return sum(durations) / len(durations) if durations else DEFAULT_SERVICE_MINUTES
