"""Demo data for the hall: categories, windows and rules for every hall, bookable slots, lost & found, and
today's tickets in every state, all made through the acts (so the audit chain and counters are real); the
demo runs them inside its own transaction.

`seed_hall_demo(seed=…)` is idempotent: it only adds what is missing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from onewindow.catalog import acts as catalog_acts
from onewindow.catalog.models import Department, Hall, Level, ServiceItem
from onewindow.core.errors import Conflict
from onewindow.core.identity import id_check_char
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.hall import acts, selectors
from onewindow.hall.acts.appointments import new_confirmation_code
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    FoundItem,
    HallPolicy,
    Priority,
    ServiceCategory,
    Ticket,
    TicketState,
    Window,
    WindowStatus,
)

BANDS = [(dt.time(9, 0), dt.time(10, 0)), (dt.time(10, 0), dt.time(11, 0)), (dt.time(11, 0), dt.time(12, 0)),
         (dt.time(13, 30), dt.time(14, 30)), (dt.time(14, 30), dt.time(15, 30)), (dt.time(15, 30), dt.time(17, 0))]
PREFIXES = "ABCDEFGH"


def demo_identity_number(rng: random.Random) -> str:
    """A valid resident identity number from 渝中区 (500103) for demo people."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18000))
    first17 = f"500103{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def demo_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def _clerk_for(department: Department | None, made: list[str]) -> User:
    """A clerk who may operate a window of this department; created (unusable password) only if none exists."""
    clerks = User.objects.filter(role=Role.CLERK, is_active=True)
    if department is None:
        found = clerks.filter(assignment__isnull=True).order_by("id").first()
    else:
        found = clerks.filter(assignment__department=department).order_by("id").first()
    if found:
        return found
    username = f"hall-clerk-{department.code if department else 'general'}".lower()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = catalog_acts.create_staff(
            username=username, role=Role.CLERK, department=department, by=None,
            display_name=f"{department.short_name or department.name if department else '综合'}窗口人员")
        made.append(username)
    return user


def _setup_hall(hall: Hall, made_users: list[str]) -> tuple[list[ServiceCategory], list[Window]]:
    if not HallPolicy.objects.filter(hall=hall).exists():
        acts.save_policy(HallPolicy(hall=hall), by=None)
    if hall.service_point.level == Level.DISTRICT:
        departments = list(
            Department.objects.annotate(n=Count("items")).filter(n__gt=0).order_by("sort_order", "code")[:4]
        )
        specs = [(d.short_name or d.name[:12], d) for d in departments] or [("综合受理", None)]
    else:
        specs = [("综合受理", None), ("社保医保", None)]
    specs.append(("咨询取件", None))
    categories = []
    for index, (name, department) in enumerate(specs[: len(PREFIXES)]):
        category = ServiceCategory.objects.filter(hall=hall, prefix=PREFIXES[index]).first()
        if category is None:
            covered = (ServiceItem.objects.filter(department=department) if department is not None
                       else ServiceItem.objects.all() if name == "综合受理" else ServiceItem.objects.none())
            category = acts.save_category(
                ServiceCategory(hall=hall, prefix=PREFIXES[index], name=name, sort_order=index, bookable=index < 3),
                items=covered[:60], by=None)
        categories.append((category, department))
    windows = []
    number = 1
    for category, department in categories:
        for _ in range(2 if department is not None else 1):
            windows.append(_window(hall, number, department=department, zone="A区" if number <= 6 else "B区",
                                   categories=[category]))
            number += 1
    windows.append(_window(hall, number, department=None, zone="综合区", categories=[c for c, _ in categories]))
    for window in windows:
        _clerk_for(window.department, made_users)
    return [c for c, _ in categories], windows


def _window(hall: Hall, number: int, *, department: Department | None, zone: str,
            categories: list[ServiceCategory]) -> Window:
    """The hall's window of this number, set up once (a later run keeps what an administrator changed)."""
    window = Window.objects.filter(hall=hall, number=str(number)).first()
    if window is None:
        window = acts.save_window(Window(hall=hall, number=str(number), department=department, zone=zone,
                                         sort_order=number), categories=categories, by=None)
    return window


@dataclass
class _Desk:
    window: Window
    clerk: User
    ticket: Ticket | None = None
    next_step: dt.datetime | None = None
    plan: list[str] = field(default_factory=list)


def _seed_slots(categories: list[ServiceCategory], clerk: User, today: dt.date) -> None:
    """Bands on every day of each hall's booking horizon (its policy's open days from today), so that the booking page
    offers as many days as it promises; none over holidays or weekends the hall is not open."""
    for category in categories:
        if not category.bookable:
            continue
        horizon = selectors.policy_for(category.hall_id).booking_horizon_days
        for day in selectors.booking_days(category.hall_id, today=today, horizon=horizon):
            acts.create_slots(category=category, day=day, bands=BANDS, capacity=4, by=clerk)


def _booked_arrivals(categories: list[ServiceCategory], start: dt.datetime, now: dt.datetime,
                     rng: random.Random) -> list[tuple[dt.datetime, str, Any]]:
    """Bookings made yesterday for today's past bands; most check in, some miss their time."""
    arrivals: list[tuple[dt.datetime, str, Any]] = []
    bookable = [c for c in categories if c.bookable]
    for slot in AppointmentSlot.objects.filter(category__in=bookable, day=timezone.localdate(now)).order_by("start"):
        slot_start = timezone.make_aware(dt.datetime.combine(slot.day, slot.start))
        if slot_start - dt.timedelta(minutes=30) > now or slot_start < start:
            continue
        try:
            booked_at = slot_start - dt.timedelta(days=1)
            appointment = acts.book_appointment(
                slot=slot, identity_number=demo_identity_number(rng), mobile=demo_mobile(rng), at=booked_at,
            )
            # The demo's person confirms with the code their phone received (issued again here to read it).
            code = new_confirmation_code(appointment)
            outcome = acts.confirm_appointment(appointment=appointment, code=code, at=booked_at)
            if outcome.error is not None:
                continue
            appointment = outcome.appointment
        except Conflict:  # the same demo person drawn twice for one day
            continue
        if rng.random() < 0.8:
            arrivals.append((max(slot_start - dt.timedelta(minutes=rng.randint(0, 20)), start), "checkin",
                             appointment))
    return arrivals


def _walk_ins(hall: Hall, categories: list[ServiceCategory], windows: list[Window], start: dt.datetime,
              rng: random.Random) -> list[tuple[dt.datetime, str, Any]]:
    """A modest day of walk-ins: enough to fill the board and the metrics without making the demo slow."""
    visitors = min(2 * len(windows), 24) if hall.service_point.level == Level.DISTRICT else 6
    arrivals: list[tuple[dt.datetime, str, Any]] = []
    for _ in range(visitors):
        at = start + dt.timedelta(minutes=rng.randint(0, 175))
        priority = Priority.NORMAL if rng.random() < 0.88 else rng.choice(
            [Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT, Priority.MILITARY]
        )
        arrivals.append((at, priority, rng.choice(categories)))
    return arrivals


@dataclass
class _Simulation:
    """The simulated day, minute by minute: people arrive, desks call and serve; what it remembers between."""

    categories: list[ServiceCategory]
    desks: list[_Desk]
    rng: random.Random
    no_shows: list[Ticket] = field(default_factory=list)
    cancelled: int = 0
    reactivated: bool = False

    def arrive(self, at: dt.datetime, kind: str, subject: Any) -> None:
        if kind == "checkin":
            acts.check_in(appointment=subject, at=at)
            return
        ticket = acts.issue_ticket(
            category=subject, priority=kind,
            identity_number=demo_identity_number(self.rng) if self.rng.random() < 0.3 else "", at=at,
        )
        if self.cancelled < 2 and self.rng.random() < 0.03:
            acts.cancel_ticket(ticket=ticket, reason="群众离开")
            self.cancelled += 1

    def work(self, desk: _Desk, t: dt.datetime, anyone_waiting: bool) -> None:
        """One desk at minute `t`: call the next person, or take its ticket one step along its plan."""
        if desk.next_step and desk.next_step > t:
            return
        if desk.ticket is None:
            if anyone_waiting:
                self._call(desk, t)
            return
        step = desk.plan.pop(0)
        window, clerk = desk.window, desk.clerk
        if step == "recall":
            acts.recall(window=window, by=clerk, at=t)
            desk.next_step = t + dt.timedelta(minutes=2)
            return
        if step == "start":
            acts.start_serving(window=window, by=clerk, at=t)
            desk.next_step = t + dt.timedelta(minutes=self.rng.randint(3, 14))
            return
        if step == "no_show":
            self.no_shows.append(acts.mark_no_show(window=window, by=clerk, at=t))
        elif step == "transfer":
            others = [c for c in self.categories if c.pk != desk.ticket.category_id]
            acts.transfer(window=window, by=clerk, category=self.rng.choice(others) if others else None,
                          target_window=None if others else next(d.window for d in self.desks if d is not desk),
                          reason="需到其他业务窗口办理", at=t)
        else:
            acts.finish(window=window, by=clerk, at=t)
        desk.ticket, desk.next_step = None, t + dt.timedelta(minutes=self.rng.randint(0, 2))

    def _call(self, desk: _Desk, t: dt.datetime) -> None:
        desk.ticket = acts.call_next(window=desk.window, by=desk.clerk, at=t)
        if desk.ticket is None:
            desk.next_step = t + dt.timedelta(minutes=5)
            return
        roll = self.rng.random()
        desk.plan = (["recall", "no_show"] if roll < 0.07 else ["start", "transfer"] if roll < 0.12
                     else ["start", "finish"])
        desk.next_step = t + dt.timedelta(minutes=1)

    def reactivate_one(self, t: dt.datetime) -> None:
        """The first no-show comes back after five minutes, once in the day."""
        if self.reactivated or not self.no_shows:
            return
        first = self.no_shows[0]
        if first.no_show_at is not None and t - first.no_show_at >= dt.timedelta(minutes=5):
            acts.reactivate_ticket(ticket=first, by=self.desks[0].clerk, at=t)
            self.reactivated = True


def _seed_day(hall: Hall, categories: list[ServiceCategory], windows: list[Window], rng: random.Random) -> dict:
    """Today's queue, simulated minute by minute from three hours ago to now."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(hours=3)
    today = timezone.localdate(now)
    desks = [_Desk(window=w, clerk=_clerk_for(w.department, [])) for w in windows]
    for desk in desks:
        if desk.window.status == WindowStatus.CLOSED:
            acts.open_window(window=desk.window, by=desk.clerk)
    _seed_slots(categories, desks[0].clerk, today)
    arrivals = _booked_arrivals(categories, start, now, rng) + _walk_ins(hall, categories, windows, start, rng)
    arrivals.sort(key=lambda a: a[0])

    day = _Simulation(categories=categories, desks=desks, rng=rng)
    t = start
    while t <= now:
        while arrivals and arrivals[0][0] <= t:
            day.arrive(*arrivals.pop(0))
        anyone_waiting = Ticket.objects.filter(hall=hall, day=timezone.localdate(t),
                                               state=TicketState.WAITING).exists()
        for desk in desks:
            day.work(desk, t, anyone_waiting)
        day.reactivate_one(t)
        t += dt.timedelta(minutes=1)

    _ensure_every_state(hall, categories, desks, rng, now)
    return {
        "tickets": Ticket.objects.filter(hall=hall, day=today).count(),
        "appointments": Appointment.objects.filter(slot__category__hall=hall).count(),
    }


def _ensure_every_state(hall: Hall, categories: list[ServiceCategory], desks: list[_Desk], rng: random.Random,
                        now: dt.datetime) -> None:
    """Top up a quiet simulated day so the board and the lists show every ticket state."""
    today = timezone.localdate(now)

    def missing(state: str) -> bool:
        return not Ticket.objects.filter(hall=hall, day=today, state=state).exists()

    free = [d for d in desks if d.ticket is None]
    for desk in [d for d in desks if d.ticket is not None][: max(0, 2 - len(free))]:
        acts.finish(window=desk.window, by=desk.clerk, at=now)
        desk.ticket = None
        free.append(desk)

    def call(desk: _Desk) -> Ticket:
        served = list(desk.window.categories.all()) or categories
        acts.issue_ticket(category=rng.choice(served), at=now)
        ticket = acts.call_next(window=desk.window, by=desk.clerk, at=now)
        desk.ticket = ticket
        return ticket

    first, second = free[0], free[1]
    if missing(TicketState.DONE):
        call(first)
        acts.finish(window=first.window, by=first.clerk, at=now)
    if missing(TicketState.NO_SHOW):
        call(first)
        acts.mark_no_show(window=first.window, by=first.clerk, at=now)
    if missing(TicketState.TRANSFERRED):
        ticket = call(first)
        others = [c for c in categories if c.pk != ticket.category_id]
        acts.transfer(window=first.window, by=first.clerk, category=others[0], reason="需到其他业务窗口办理", at=now)
    first.ticket = None
    if missing(TicketState.CANCELLED):
        acts.cancel_ticket(ticket=acts.issue_ticket(category=categories[-1], at=now), reason="群众离开")
    if missing(TicketState.SERVING):
        call(first)
        acts.start_serving(window=first.window, by=first.clerk, at=now)
    if missing(TicketState.CALLED):
        call(second)
    while Ticket.objects.filter(hall=hall, day=today, state=TicketState.WAITING).count() < 3:
        acts.issue_ticket(category=rng.choice(categories), at=now)


def _seed_found(hall: Hall, clerk: User, rng: random.Random) -> int:
    if FoundItem.objects.filter(hall=hall).exists():
        return 0
    now = timezone.now()
    specs = [("bag", "黑色双肩包（内有雨伞）", "1楼等候区", 2), ("other", "银色保温杯", "综合受理区", 5),
             ("other", "蓝色布面笔记本", "自助区", 120), ("keys", "一串钥匙（3 把，红色钥匙扣）", "3号窗口台面", 1),
             ("document", "驾驶证（已登记，凭本人身份证认领）", "自助取号机旁", 3),
             ("umbrella", "深蓝色折叠伞", "大厅入口伞架", 7)]
    items = []
    for kind, description, place, days_ago in specs:
        items.append(acts.register_found_item(
            hall=hall, kind=kind, description=description, found_place=place, found_at=now - dt.timedelta(days=days_ago),
            storage_place="服务台失物柜", finder_note="保洁人员交来", by=clerk,
        ))
    acts.hand_over_found_item(item=items[1], owner_name="王女士", identity_number=demo_identity_number(rng),
                              identity_checked=True, by=clerk)
    return len(items)


@composable
def seed_hall_demo(*, seed: int) -> dict:
    """Create the hall's demo world for every staffed hall (self-service areas have no queue)."""
    rng = random.Random(seed)
    made_users: list[str] = []
    summary: dict = {"halls": 0, "categories": 0, "windows": 0, "tickets": 0, "appointments": 0, "found_items": 0}
    halls = Hall.objects.select_related("service_point").filter(self_service=False).order_by("pk")
    today = timezone.localdate()
    for hall in halls:
        categories, windows = _setup_hall(hall, made_users)
        summary["halls"] += 1
        summary["categories"] += len(categories)
        summary["windows"] += len(windows)
        clerk = _clerk_for(windows[-1].department, made_users)
        summary["found_items"] += _seed_found(hall, clerk, rng)
        if Ticket.objects.filter(hall=hall, day=today).exists():
            continue
        counts = _seed_day(hall, categories, windows, rng)
        summary["tickets"] += counts["tickets"]
        summary["appointments"] += counts["appointments"]
    summary["users_created"] = made_users
    summary["ticket_states"] = dict(
        Ticket.objects.filter(day=today).values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    summary["open_windows"] = Window.objects.filter(~Q(status=WindowStatus.CLOSED)).count()
    return summary
