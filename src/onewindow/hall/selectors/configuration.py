"""Reads of a hall's configuration: its rules (with their defaults), the hall by its code, its categories, a
window's fixed facts.

The hall, its rules, its categories and its windows' fixed facts (hall, number, department) rarely change: each
process holds them (`core.cache`), so a ticket issued or called reads none of them from the database. Every
save or delete of a hall, a service point, a hall's rules, a category or a window's fixed facts drops them in
every process (`forget_configuration`, connected in `HallConfig.ready`); a window's live state (status, operator,
current ticket) is never held, and always read with the window's lock.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, When

from onewindow.catalog.models import Hall, Level, ServicePoint
from onewindow.core.cache import ProcessCache
from onewindow.core.errors import NotFound
from onewindow.hall.models import HallPolicy, ServiceCategory, Window

# Each read hands out a copy of its own (`copy`): callers may change what they are given. A hall or category
# that does not exist is not held (looked up again each time).
_configuration = ProcessCache("hall.configuration", ttl=60, recheck=0, keep_none=False)

# A window's fields that change while the hall works (never held, so their saves drop nothing).
WINDOW_LIVE_FIELDS = frozenset({"status", "operator", "current_ticket"})


def policy_for(hall_id: int) -> HallPolicy:
    """The hall's rules; an unsaved row with the defaults when the hall has none."""
    return _configuration.copy(("policy", hall_id), lambda: HallPolicy.objects.filter(hall_id=hall_id).first()
                               or HallPolicy(hall_id=hall_id))


def get_hall(code: str) -> Hall:
    """The hall with this code (with its service point); NotFound (404) when there is none."""
    hall = _configuration.copy(("hall", code),
                               lambda: Hall.objects.select_related("service_point").filter(code=code).first())
    if hall is None:
        raise NotFound(f"大厅“{code}”不存在")
    return hall


def category_by_prefix(hall_id: int, prefix: str) -> ServiceCategory | None:
    """The hall's category with this ticket prefix (active or not), or None."""
    return _configuration.copy(("category", hall_id, prefix),
                               lambda: ServiceCategory.objects.filter(hall_id=hall_id, prefix=prefix).first())


def category_by_id(category_id: int) -> ServiceCategory | None:
    """The category with this id, or None."""
    return _configuration.copy(("category", category_id),
                               lambda: ServiceCategory.objects.filter(pk=category_id).first())


def window_facts(window_id: int) -> Window | None:
    """A window's fixed facts (hall, number, department), with its hall; None when there is no such window. Its
    status, operator and current ticket are as they were when it was first read: read those with the lock."""
    return _configuration.copy(("window", window_id),
                               lambda: Window.objects.select_related("hall").filter(pk=window_id).first())


def forget_configuration(sender: Any = None, **kwargs: Any) -> None:
    """A signal receiver: a hall, service point, hall's rules, category or window was written — every process
    drops the configuration it holds. A save of a window's live fields only (a call, a pause) drops nothing."""
    update_fields = kwargs.get("update_fields")
    if sender is Window and update_fields is not None and set(update_fields) <= WINDOW_LIVE_FIELDS:
        return
    _configuration.forget()


def connect_configuration_cache() -> None:
    """Drop the held configuration on every save or delete of what it holds (called from `HallConfig.ready`)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in (Hall, ServicePoint, HallPolicy, ServiceCategory, Window):
        label = model._meta.label
        post_save.connect(forget_configuration, sender=model, dispatch_uid=f"hall.configuration.save.{label}")
        post_delete.connect(forget_configuration, sender=model, dispatch_uid=f"hall.configuration.delete.{label}")
    m2m_changed.connect(forget_configuration, sender=Window.categories.through,
                        dispatch_uid="hall.configuration.window_categories")


def first_bookable_hall() -> Hall | None:
    """The hall a visitor books in by default (预约): the first staffed hall with an active bookable category, the
    district center's before the streets' (service point level, then order); None when no hall takes bookings."""
    return (Hall.objects.filter(self_service=False, categories__bookable=True, categories__active=True)
            .annotate(district=Case(When(service_point__level=Level.DISTRICT, then=0), default=1))
            .order_by("district", "service_point__sort_order", "sort_order", "code").distinct().first())


def categories_of(hall_id: int) -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(hall_id=hall_id, active=True).order_by("sort_order", "prefix")
