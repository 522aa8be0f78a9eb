"""Reads of a hall's configuration: its rules (with their defaults), the hall by its code, its active categories."""

from __future__ import annotations

from django.db.models import Case, QuerySet, When

from onewindow.catalog.models import Hall, Level
from onewindow.core.errors import NotFound
from onewindow.hall.models import HallPolicy, ServiceCategory


def policy_for(hall_id: int) -> HallPolicy:
    """The hall's rules; an unsaved row with the defaults when the hall has none."""
    return HallPolicy.objects.filter(hall_id=hall_id).first() or HallPolicy(hall_id=hall_id)


def get_hall(code: str) -> Hall:
    hall = Hall.objects.select_related("service_point").filter(code=code).first()
    if hall is None:
        raise NotFound(f"大厅“{code}”不存在")
    return hall


def first_bookable_hall() -> Hall | None:
    """The hall a visitor books in by default (预约): the first staffed hall with an active bookable category, the
    district center's before the streets' (service point level, then order); None when no hall takes bookings."""
    return (Hall.objects.filter(self_service=False, categories__bookable=True, categories__active=True)
            .annotate(district=Case(When(service_point__level=Level.DISTRICT, then=0), default=1))
            .order_by("district", "service_point__sort_order", "sort_order", "code").distinct().first())


def categories_of(hall_id: int) -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(hall_id=hall_id, active=True).order_by("sort_order", "prefix")
