"""Configuration acts (大厅配置): the hall's rules, service categories, windows and appointment slots.

The center's administrators edit them in the admin (`hall.admin` calls these acts); the demo seeds them as the
system (`by=None`). Each save or delete is validated, then audited once as `<what>.create|change|delete` with
before → after of what changed. Rows still in use are not deleted: a category that has tickets or bookings, a
slot with bookings and a window with a ticket at it are refused (409), so their history stays whole; a category
is retired by unticking 启用 (active) instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import composable
from onewindow.core.models import Role
from onewindow.hall.acts.common import WindowBusy
from onewindow.hall.models import (
    ACTIVE_AT_WINDOW,
    Appointment,
    AppointmentSlot,
    HallOpenDay,
    HallPolicy,
    ServiceCategory,
    Ticket,
    Window,
    WindowStatus,
)

M = TypeVar("M", bound=Model)

CONFIGURATION_ROLES = frozenset({Role.ADMIN})

# How each configured thing is named in the audit chain.
_AUDIT_NAMES: dict[type[Model], str] = {
    HallPolicy: "hall_policy", ServiceCategory: "category", Window: "window", AppointmentSlot: "slot",
    HallOpenDay: "hall_open_day",
}
# Window fields the calling acts own (status, operator, current ticket): configuration never writes them.
_WINDOW_LIVE_FIELDS = ("status", "operator", "current_ticket")


def may_configure(user: Any) -> bool:
    """Whether `user` may change a hall's configuration: the center's administrators (and superusers)."""
    return kit.is_signed_in(user) and (user.is_superuser or user.role in CONFIGURATION_ROLES)


def _require_configurator(by: Any) -> None:
    if by is not None:  # the system: demo seeding
        kit.require_role(by, CONFIGURATION_ROLES, "只有中心管理员可以修改大厅配置")


def check_band(start: dt.time, end: dt.time, *, field: str = "end") -> None:
    """A time band ends after it starts."""
    if end <= start:
        raise InvalidInput(f"时段 {start:%H:%M}-{end:%H:%M} 结束时间须晚于开始时间", fields={field: "order"})


def _full_clean(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """The model's own field rules (formats, ranges, choices, `clean()`), as one InvalidInput naming each field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        by_field = exc.message_dict
        labels = {f.name: str(f.verbose_name) for f in obj._meta.fields}
        message = "；".join(f"{labels.get(name, name)}：{'；'.join(texts)}" for name, texts in by_field.items())
        raise InvalidInput(message, fields={name: "invalid" for name in by_field}) from None


def _snapshot(obj: Model, m2m: Iterable[str]) -> dict[str, Any]:
    values = {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    return values | {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in m2m}


def _save(obj: M, *, by: Any, m2m: dict[str, Iterable[Model]] | None = None) -> M:
    """Write a checked row and its many-to-many sets; audit what changed (nothing changed: no event)."""
    m2m = m2m or {}
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    before = _snapshot(stored, m2m) if stored is not None else None
    obj.save()
    for name, values in m2m.items():
        getattr(obj, name).set(values)
    after = _snapshot(obj, m2m)
    name = _AUDIT_NAMES[type(obj)]
    if before is None:
        audit.record(f"{name}.create", obj=obj, by=by, after=after)
    elif changed := [key for key in after if after[key] != before[key]]:
        audit.record(f"{name}.change", obj=obj, by=by, before={k: before[k] for k in changed},
                     after={k: after[k] for k in changed})
    return obj


def _delete(obj: Model, *, by: Any, m2m: Iterable[str] = ()) -> None:
    before, label, pk = _snapshot(obj, m2m), obj._meta.label_lower, str(obj.pk)
    obj.delete()
    audit.record(f"{_AUDIT_NAMES[type(obj)]}.delete", object_type=label, object_id=pk, by=by, before=before)


@composable
def delete_configuration(rows: Iterable[M], *, delete_act: Callable[..., None], by: Any) -> int:
    """Delete several configuration rows of one kind together (批量删除), all or none, each through `delete_act`
    (delete_category, delete_slot…), so each is checked and audited; returns how many."""
    return kit.each(delete_act)(rows, by=by)


# -- rules ------------------------------------------------------------------------------------------------


def check_policy(policy: HallPolicy) -> None:
    """InvalidInput (422) unless the rules are valid and the hall has no other rules row."""
    _full_clean(policy)
    if HallPolicy.objects.filter(hall_id=policy.hall_id).exclude(pk=policy.pk).exists():
        raise InvalidInput("该大厅已有规则，请修改原有规则", fields={"hall": "taken"})


@composable
def save_policy(policy: HallPolicy, *, by: Any) -> HallPolicy:
    """Create or change a hall's rules (大厅规则): recalls, reactivation, booking and lost & found periods."""
    _require_configurator(by)
    check_policy(policy)
    return _save(policy, by=by)


@composable
def delete_policy(policy: HallPolicy, *, by: Any) -> None:
    """Delete a hall's rules: the hall falls back to the defaults."""
    _require_configurator(by)
    _delete(policy, by=by)


# -- categories --------------------------------------------------------------------------------------------


def check_category(category: ServiceCategory) -> None:
    """InvalidInput (422) unless the category is valid, its prefix unique in its hall, and a category with tickets
    stays in its hall."""
    _full_clean(category, exclude=["items"])
    if ServiceCategory.objects.filter(hall_id=category.hall_id, prefix=category.prefix).exclude(pk=category.pk).exists():
        raise InvalidInput(f"本大厅已有前缀为 {category.prefix} 的业务类别", fields={"prefix": "taken"})
    if category.pk and ServiceCategory.objects.filter(pk=category.pk).exclude(hall_id=category.hall_id).exists() \
            and Ticket.objects.filter(category=category).exists():
        raise InvalidInput("已有号票的业务类别不能改到其他大厅", fields={"hall": "in_use"})


@composable
def save_category(category: ServiceCategory, *, by: Any, items: Iterable[Model] | None = None) -> ServiceCategory:
    """Create or change a service category (业务类别); its prefix is unique in its hall. `items`, when given,
    replace the service items it covers."""
    _require_configurator(by)
    check_category(category)
    return _save(category, by=by, m2m={"items": items} if items is not None else None)


@composable
def delete_category(category: ServiceCategory, *, by: Any) -> None:
    """Delete a category nobody has queued or booked in; one with tickets or bookings is refused (409 in_use)."""
    _require_configurator(by)
    check_category_deletable(category)
    _delete(category, by=by, m2m=["items"])


def check_category_deletable(category: ServiceCategory) -> None:
    """Conflict (409 in_use) when tickets or bookings refer to the category."""
    if Ticket.objects.filter(category=category).exists() or Appointment.objects.filter(slot__category=category).exists():
        raise Conflict(f"业务类别“{category.name}”已有号票或预约，不能删除；可取消“启用”将其停用",
                       code=ErrorCode.IN_USE)


# -- windows -----------------------------------------------------------------------------------------------


def check_window(window: Window, *, categories: Iterable[ServiceCategory] | None = None) -> None:
    """InvalidInput (422) unless the window is valid, its number unique in its hall, and it serves only that
    hall's categories."""
    _full_clean(window, exclude=["categories", *_WINDOW_LIVE_FIELDS])
    if Window.objects.filter(hall_id=window.hall_id, number=window.number).exclude(pk=window.pk).exists():
        raise InvalidInput(f"本大厅已有{window.number}号窗口", fields={"number": "taken"})
    if categories is not None and any(category.hall_id != window.hall_id for category in categories):
        raise InvalidInput("可办类别须属于本窗口所在大厅", fields={"categories": "other_hall"})


@composable
def save_window(window: Window, *, by: Any, categories: Iterable[ServiceCategory] | None = None) -> Window:
    """Create or change a window (窗口): its number is unique in its hall and it serves only that hall's
    categories. Its status, operator and current ticket belong to the calling acts and are left as stored."""
    _require_configurator(by)
    categories = list(categories) if categories is not None else None
    check_window(window, categories=categories)
    stored = Window.objects.filter(pk=window.pk).first() if window.pk else None
    if stored is None:
        window.status, window.operator_id, window.current_ticket_id = WindowStatus.CLOSED, None, None
    else:
        window.status, window.operator_id, window.current_ticket_id = (
            stored.status, stored.operator_id, stored.current_ticket_id)
    return _save(window, by=by, m2m={"categories": categories} if categories is not None else None)


@composable
def delete_window(window: Window, *, by: Any) -> None:
    """Delete a window; refused (WindowBusy, 409) while a ticket is at it."""
    _require_configurator(by)
    check_window_deletable(window)
    _delete(window, by=by, m2m=["categories"])


def check_window_deletable(window: Window) -> None:
    """WindowBusy (409) while a ticket is called to or served at the window."""
    current = window.current_ticket
    if current is not None and current.state in ACTIVE_AT_WINDOW:
        raise WindowBusy(f"{window}正在处理 {current.number}，不能删除")


# -- appointment slots -------------------------------------------------------------------------------------


def check_slot(slot: AppointmentSlot) -> None:
    """InvalidInput (422) unless the band ends after it starts, takes at least one person and no fewer than it
    has booked, does not start when another band of its category that day starts, and — once booked — keeps its
    category, day and times."""
    _full_clean(slot, exclude=["capacity", "booked"])
    check_band(slot.start, slot.end)
    least = max(slot.booked, 1)
    if slot.capacity is None or slot.capacity < least:
        raise InvalidInput(f"可约人数须至少为 {least}（已约 {slot.booked} 人）", fields={"capacity": "min"})
    stored = AppointmentSlot.objects.filter(pk=slot.pk).first() if slot.pk else None
    if stored and Appointment.objects.filter(slot=slot).exists() and any(
            getattr(stored, name) != getattr(slot, name) for name in ("category_id", "day", "start", "end")):
        raise InvalidInput("已有预约的时段只能调整可约人数", fields={"start": "booked"})
    if AppointmentSlot.objects.filter(category_id=slot.category_id, day=slot.day, start=slot.start) \
            .exclude(pk=slot.pk).exists():
        raise InvalidInput(f"{slot.day} {slot.start:%H:%M} 已有该类别的时段", fields={"start": "taken"})
    if not stored or stored.day != slot.day or stored.category_id != slot.category_id:
        _require_open_for_slot(slot)


def _require_open_for_slot(slot: AppointmentSlot) -> None:
    """A new band, or one moved to another day, only on a day its hall is open (see `appointments.require_open`)."""
    from onewindow.hall.selectors import is_open_on

    if not is_open_on(slot.category.hall_id, slot.day):
        raise InvalidInput(f"{slot.day:%Y-%m-%d} 为休息日（法定节假日或周末），本大厅未声明当天开放，不能开放时段",
                           code=ErrorCode.HALL_CLOSED, fields={"day": "closed"})


@composable
def save_slot(slot: AppointmentSlot, *, by: Any) -> AppointmentSlot:
    """Create or change a bookable time band (预约时段); its booked count is the bookings', never the caller's."""
    _require_configurator(by)
    stored = AppointmentSlot.objects.filter(pk=slot.pk).first() if slot.pk else None
    slot.booked = stored.booked if stored else 0
    check_slot(slot)
    return _save(slot, by=by)


@composable
def delete_slot(slot: AppointmentSlot, *, by: Any) -> None:
    """Delete a time band nobody has booked; one with bookings is refused (409 in_use)."""
    _require_configurator(by)
    check_slot_deletable(slot)
    _delete(slot, by=by)


def check_slot_deletable(slot: AppointmentSlot) -> None:
    """Conflict (409 in_use) when the band has bookings (even cancelled ones: they are its history)."""
    if Appointment.objects.filter(slot=slot).exists():
        raise Conflict(f"时段“{slot}”已有预约记录，不能删除", code=ErrorCode.IN_USE)


# -- rest days on which a hall is open (休息日开放) -----------------------------------------------------------------


def check_open_day(open_day: HallOpenDay) -> None:
    """InvalidInput (422) unless the day is a rest day by the calendar (a working day needs no declaration), has a
    reason, and is not declared twice for the hall; CalendarNotLoaded when no calendar year knows the day."""
    from onewindow.workdays.selectors import is_working_day

    _full_clean(open_day)
    if is_working_day(open_day.day):
        raise InvalidInput(f"{open_day.day:%Y-%m-%d} 是工作日，无须声明开放", fields={"day": "working_day"})
    if HallOpenDay.objects.filter(hall_id=open_day.hall_id, day=open_day.day).exclude(pk=open_day.pk).exists():
        raise InvalidInput(f"{open_day.day:%Y-%m-%d} 已声明开放", fields={"day": "taken"})
    stored = HallOpenDay.objects.filter(pk=open_day.pk).first() if open_day.pk else None
    if stored and (stored.hall_id, stored.day) != (open_day.hall_id, open_day.day):
        check_open_day_deletable(stored)


@composable
def save_open_day(open_day: HallOpenDay, *, by: Any) -> HallOpenDay:
    """Declare a hall open on a rest day (休息日开放声明), or change the declaration's reason; audited."""
    _require_configurator(by)
    check_open_day(open_day)
    return _save(open_day, by=by)


def check_open_day_deletable(open_day: HallOpenDay) -> None:
    """Conflict (409 in_use) while the hall has time bands that day: delete them (or let them pass) first."""
    if AppointmentSlot.objects.filter(category__hall_id=open_day.hall_id, day=open_day.day).exists():
        raise Conflict(f"{open_day.day:%Y-%m-%d} 已开放预约时段，不能撤销开放声明", code=ErrorCode.IN_USE)


@composable
def delete_open_day(open_day: HallOpenDay, *, by: Any) -> None:
    """Withdraw a declaration (撤销休息日开放) while no time band of the hall is open that day; audited."""
    _require_configurator(by)
    check_open_day_deletable(open_day)
    _delete(open_day, by=by)
