"""Reads of lost and found: the public list (no personal data) and the items past their hall's period."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.catalog.models import Hall
from onewindow.hall.models import FoundItem, FoundItemState, HallPolicy


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
