"""What the display board and a window screen show: tickets at windows, the latest calls, waiting counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.hall.models import ACTIVE_AT_WINDOW, Ticket, TicketState, Window
from onewindow.hall.selectors.configuration import categories_of


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
        {"ticket": ticket.number, "window": w.number, "category": ticket.category.name, "state": ticket.state}
        for w in windows
        if (ticket := w.current_ticket) is not None and ticket.state in ACTIVE_AT_WINDOW
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
    if ticket is not None and ticket.state not in ACTIVE_AT_WINDOW:
        ticket = None
    return {
        "kind": "snapshot",
        "window": window.number,
        "status": window.status,
        "ticket": ticket.number if ticket else "",
        "state": ticket.state if ticket else "",
        "category": ticket.category.name if ticket else "",
    }
