"""Reads of lost and found: the public list (no personal data) and the items past their hall's period."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.hall.models import FoundItem, FoundItemState, HallPolicy


def public_found_items(hall: Hall | None = None) -> QuerySet[FoundItem]:
    rows = FoundItem.objects.filter(published=True, state=FoundItemState.STORED).select_related("hall__service_point")
    return rows.filter(hall=hall) if hall else rows


def search_found_items(*, text: str = "", kind: str = "", found_from: dt.date | None = None,
                       found_to: dt.date | None = None) -> QuerySet[FoundItem]:
    """The public list (失物招领) narrowed by words in the description or the place found, a kind, and the days it
    was found between (Beijing dates, both included); newest first."""
    rows = public_found_items()
    if text:
        rows = rows.filter(Q(description__icontains=text) | Q(found_place__icontains=text))
    if kind:
        rows = rows.filter(kind=kind)
    if found_from:
        rows = rows.filter(found_at__gte=_start_of(found_from))
    if found_to:
        rows = rows.filter(found_at__lt=_start_of(found_to + dt.timedelta(days=1)))
    return rows.order_by("-found_at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def unclaimed_found_items(*, now: dt.datetime | None = None) -> list[FoundItem]:
    """Items stored longer than their hall's period (逾期未领), oldest first."""
    now = now or timezone.now()
    items = FoundItem.objects.filter(state=FoundItemState.STORED).select_related("hall").order_by("found_at")
    limits = dict(HallPolicy.objects.values_list("hall_id", "unclaimed_after_days"))
    default = HallPolicy._meta.get_field("unclaimed_after_days").default
    return [i for i in items if now - i.found_at > dt.timedelta(days=limits.get(i.hall_id, default))]
