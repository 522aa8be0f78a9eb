"""Ticket acts (号票): issue, cancel, call the next, the window acts on the current ticket, reactivate, transfer.

Every move of a ticket is a row of `hall.lifecycle.TICKET_ACTIONS`, applied by `_apply`; each act audits last
and sends the row's declared event (the display board hears of it after commit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, IllegalTransition, InvalidInput
from onewindow.core.identity import mask_identity, mask_mobile, normalize_identity_number, normalize_mobile
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.core.prepared import PreparedRead
from onewindow.hall import selectors
from onewindow.hall.acts.common import (
    WindowBusy,
    identity_key,
    operated_window,
    random_code,
    require_hall_staff,
    staff_id_of,
)
from onewindow.hall.lifecycle import TICKET_ACTIONS, WINDOW_TICKET_ACTIONS, TicketAction
from onewindow.hall.models import (
    ACTIVE_AT_WINDOW,
    Appointment,
    Priority,
    ServiceCategory,
    Ticket,
    TicketState,
    Window,
    WindowStatus,
)

# What a transferred ticket carries to its new row: the number, the code and the place in line, and its holder.
_CARRIED = ("day", "sequence", "number", "code", "issued_at", "queued_at",
            "priority", "priority_rank", "identity_key", "identity_masked", "mobile_masked", "appointment_id")


# -- the table, applied ------------------------------------------------------------------------------


def _apply(row: TicketAction, ticket: Ticket, at: dt.datetime, **also: Any) -> str:
    """Move `ticket` along `row` of the table (state, stamp, recall count, service start) and save it with `also`;
    returns the state before. IllegalTransition (409) from a state the row does not list, nothing written."""
    before = ticket.state
    if before not in row.sources:
        raise IllegalTransition(f"号票 {ticket.number} 当前为“{ticket.get_state_display()}”，不能{row.label}",
                                fields={"state": before, "action": row.action})
    changes: dict[str, Any] = {"state": row.target, **also}
    if row.stamp:
        changes[row.stamp] = at
    if row.counts_recall:
        limit = selectors.policy_for(ticket.hall_id).max_recalls
        if ticket.recall_count >= limit:
            raise Conflict(f"{ticket.number} 已重呼 {limit} 次，请做过号处理", code=ErrorCode.RECALL_LIMIT)
        changes["recall_count"] = ticket.recall_count + 1
    if row.closes_service and ticket.serving_started_at is None:
        changes["serving_started_at"] = ticket.called_at
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=list(changes))
    return before


def _announce(row: TicketAction, ticket: Ticket, *, by: User | None, at: dt.datetime, before: str | None,
              window: Window | None = None, was: dict[str, Any] | None = None, changed: dict[str, Any] | None = None,
              reason: str = "", **payload: Any) -> None:
    """Append the act to the audit chain (state `before` → now, with `was` → `changed`), then send the row's event
    with the ticket's facts and `payload`."""
    audit.record(row.audit, obj=ticket, by=by, before={"state": before, **(was or {})} if before else None,
                 after={"state": ticket.state, **(changed or {})}, reason=reason)
    _send(row, ticket, by=by, at=at, window=window, **payload)


def _with_category(ticket: Ticket) -> Ticket:
    """`ticket` with its category set from the held configuration (no statement) unless it has it already."""
    if not Ticket.category.is_cached(ticket):
        category = selectors.category_by_id(ticket.category_id)
        if category is not None:
            ticket.category = category
    return ticket


def _send(row: TicketAction, ticket: Ticket, *, by: User | None, at: dt.datetime, window: Window | None = None,
          **payload: Any) -> None:
    """Send the row's event with the ticket's facts and `payload` (the board hears of it after commit)."""
    window = window or ticket.window
    row.event.send(row.event.payload(
        ticket_id=ticket.pk, number=ticket.number, hall_id=ticket.hall_id, category_id=ticket.category_id,
        category_name=_with_category(ticket).category.name, day=ticket.day, state=ticket.state, priority=ticket.priority,
        appointment_id=ticket.appointment_id, window_id=window.pk if window else None,
        window_number=window.number if window else "", staff_id=staff_id_of(by), action=row.action, at=at,
        issued_at=ticket.issued_at, called_at=ticket.called_at, serving_started_at=ticket.serving_started_at,
        finished_at=ticket.finished_at, recall_count=ticket.recall_count, **payload,
    ))


def _step_at_window(action: str, window: Window, at: dt.datetime | None) -> tuple[Ticket, str, dt.datetime]:
    """Take the window's current ticket (both locked by `operated_window(…, with_current_ticket=True)`) one row
    along the table; free the window if the row says so. Returns the ticket, its state before and the act's
    moment."""
    ticket = window.current_ticket
    if ticket is None:
        raise Conflict(f"{window}当前没有正在叫号或办理的号票", code=ErrorCode.NO_CURRENT_TICKET)
    _with_category(ticket)
    if ticket.window_id == window.pk:
        ticket.window = window  # the answer and the event name the window without reading it again
    row = TICKET_ACTIONS[action]
    now, _ = kit.moment(at)
    before = _apply(row, ticket, now)
    if row.frees_window:
        window.current_ticket = None
        window.save(update_fields=["current_ticket"])
    return ticket, before, now


# -- issuing -------------------------------------------------------------------------------------------


def _ticket_row(category: ServiceCategory, *, at: dt.datetime, carried_from: Ticket | None = None,
                target_window: Window | None = None, **holder: Any) -> Ticket:
    """Build one ticket row (号票) in `category`, waiting.

    A new ticket gets a fresh code and its place in line at `at`, but no number yet (`_take_number` gives it,
    last); `holder` gives its priority and person. A transferred one (转移) carries over the number, code, place
    in line and holder of `carried_from`.
    """
    if carried_from is None:
        fields = {"day": timezone.localdate(at), "sequence": None, "number": "",
                  "code": random_code(10), "issued_at": at, "queued_at": at,
                  "priority_rank": selectors.policy_for(category.hall_id).rank_of(holder["priority"]), **holder}
    else:
        fields = {name: getattr(carried_from, name) for name in _CARRIED}
    return Ticket.objects.create(hall_id=category.hall_id, category=category, target_window=target_window,
                                 transferred_from=carried_from, **fields)


def issue(category: ServiceCategory, *, by: User | None, at: dt.datetime, **holder: Any) -> Ticket:
    """Issue a ticket in an active category to a holder already checked (`issue_ticket`, an appointment check-in):
    audited and announced. `holder`: priority, identity_key, identity_masked, mobile_masked, appointment."""
    if not category.active:
        raise Conflict(f"业务类别“{category.name}”已停用", code=ErrorCode.CATEGORY_INACTIVE)
    row = TICKET_ACTIONS["issue"]
    ticket = _ticket_row(category, at=at, **holder)
    _take_number(ticket, category)
    # The number is evidence: a complaint about "A017 of 3 March" must be traceable in the audit chain, so the
    # append follows the numbering and the counter row stays locked for the append's two statements as well.
    audit.record(row.audit, obj=ticket, by=by, after={"number": ticket.number, "state": ticket.state,
                                                      "priority": ticket.priority, "category": category.prefix,
                                                      "day": ticket.day.isoformat()})
    _send(row, ticket, by=by, at=at)
    return ticket


def _take_number(ticket: Ticket, category: ServiceCategory) -> None:
    """Give a new ticket the category's next number of its day (每日流水号) — the act's last write but the audit
    append: the day's counter row stays locked only from here to commit, so kiosks issuing in one category wait
    for each other's numbering and append, not for each other's whole act."""
    sequence = kit.next_in_sequence(f"hall.category.{category.pk}", ticket.day)
    ticket.sequence, ticket.number = sequence, f"{category.prefix}{sequence:03d}"
    Ticket.objects.filter(pk=ticket.pk).update(sequence=sequence, number=ticket.number)


@composable
def issue_ticket(
    *,
    category: ServiceCategory,
    priority: str = Priority.NORMAL,
    identity_number: str = "",
    mobile: str = "",
    appointment: Appointment | None = None,
    by: User | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """Issue a ticket (取号) in a category; its number is the category prefix and the day's sequence, taken last.

    The ticket is returned with its category, number and place in line; how many wait ahead is read where it is
    shown (`selectors.queue_position`), not here."""
    if priority not in Priority.values:
        raise InvalidInput(f"优先类型“{priority}”无效", fields={"priority": "choice"})
    if priority == Priority.APPOINTMENT and appointment is None:
        raise InvalidInput("预约优先号须通过预约签到领取", fields={"priority": "appointment_required"})
    key = masked = ""
    if identity_number:
        normalized = normalize_identity_number(identity_number, "identity_number")
        key, masked = identity_key(normalized), mask_identity(normalized)
    mobile_masked = mask_mobile(normalize_mobile(mobile)) if mobile else ""
    return issue(category, by=by, at=kit.moment(at)[0], priority=priority, identity_key=key, identity_masked=masked,
                 mobile_masked=mobile_masked, appointment=appointment)


@composable
def cancel_ticket(*, ticket: Ticket, by: User | None = None, reason: str = "", at: dt.datetime | None = None) -> Ticket:
    """Withdraw a waiting ticket (取消)."""
    ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
    row = TICKET_ACTIONS["cancel"]
    now, _ = kit.moment(at)
    before = _apply(row, ticket, now)
    _announce(row, ticket, by=by, at=now, before=before, reason=reason)
    return ticket


# -- at the window ---------------------------------------------------------------------------------------


def _next_waiting(window_id: int, hall_id: int, day: dt.date):
    """The queue a window calls from, best first: tickets sent to it, and those of the active categories it serves."""
    served = ServiceCategory.objects.filter(windows=window_id, active=True).values("pk")
    rows = (
        Ticket.objects.filter(hall_id=hall_id, day=day, state=TicketState.WAITING)
        .filter(Q(target_window_id=window_id) | Q(target_window__isnull=True, category_id__in=served))
        .order_by("-priority_rank", "queued_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        # Another window's transaction holds the best row: take the next one instead of waiting for it.
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    # SQLite has no row locks: the IMMEDIATE transaction (settings) already serializes writers.
    # No join here: the planner can then walk the queue index in order and stop at the first free row.
    return rows[:1]


# Compiled once per process (`core.prepared`): every call at every window runs it.
_NEXT_WAITING = PreparedRead(_next_waiting, window_id=int, hall_id=int, day=dt.date)


def _pick_next(window: Window, day: dt.date) -> Ticket | None:
    """The highest-priority, earliest waiting ticket this window may take, locked for us."""
    return _NEXT_WAITING.first(window_id=window.pk, hall_id=window.hall_id, day=day)


@composable
def call_next(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket | None:
    """Call the next ticket (叫号) to this window; None when nobody waits for it."""
    window = operated_window(window, by)
    if window.status != WindowStatus.OPEN:
        raise Conflict(f"{window}处于“{window.get_status_display()}”状态，不能叫号", code=ErrorCode.WINDOW_NOT_OPEN)
    current = window.current_ticket
    if current is not None and current.state in ACTIVE_AT_WINDOW:
        raise WindowBusy(f"{window}正在处理 {current.number}，请先办结、过号或转移")
    now, day = kit.moment(at)
    ticket = _pick_next(window, day)
    if ticket is None:
        return None
    row = TICKET_ACTIONS["call"]
    before = _apply(row, ticket, now, window=window, called_by=by)
    window.current_ticket = ticket
    window.save(update_fields=["current_ticket"])
    _announce(row, ticket, by=by, at=now, before=before, changed={"window": window.number})
    return ticket


@composable
def act_at_window(action: str, *, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Take the window's current ticket one step along the table: `action` is one of `WINDOW_TICKET_ACTIONS`
    (recall, start, finish, no_show), and its row says everything the act does."""
    if action not in WINDOW_TICKET_ACTIONS:
        raise ValueError(f"{action} is not an act on the ticket at a window")
    row = TICKET_ACTIONS[action]
    window = operated_window(window, by, with_current_ticket=True)
    ticket, before, now = _step_at_window(action, window, at)
    _announce(row, ticket, by=by, at=now, before=before, window=window,
              changed={"recall_count": ticket.recall_count} if row.counts_recall else None)
    return ticket


@composable
def recall(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Call the current ticket again (重呼), up to the hall's limit."""
    return act_at_window("recall", window=window, by=by, at=at)


@composable
def start_serving(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """The person has arrived at the window: start handling (开始办理)."""
    return act_at_window("start", window=window, by=by, at=at)


@composable
def finish(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Finish the current ticket (办结). Finishing a called ticket counts its service from the call."""
    return act_at_window("finish", window=window, by=by, at=at)


@composable
def mark_no_show(*, window: Window, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Nobody came (过号): close the call; the ticket may be reactivated once within the hall's time."""
    return act_at_window("no_show", window=window, by=by, at=at)


@composable
def reactivate_ticket(*, ticket: Ticket, by: User | None, at: dt.datetime | None = None) -> Ticket:
    """Put a no-show ticket back in the queue (过号恢复), once, within the hall's time; it joins the end."""
    require_hall_staff(by)
    ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
    if ticket.state == TicketState.NO_SHOW and ticket.reactivated_at is not None:
        raise Conflict(f"{ticket.number} 已恢复过一次，不能再次恢复，请重新取号", code=ErrorCode.ALREADY_REACTIVATED)
    now, _ = kit.moment(at)
    if ticket.state == TicketState.NO_SHOW:
        minutes = selectors.policy_for(ticket.hall_id).reactivate_within_minutes
        if now - (ticket.no_show_at or now) > dt.timedelta(minutes=minutes):
            raise Conflict(f"{ticket.number} 过号已超过 {minutes} 分钟，请重新取号", code=ErrorCode.REACTIVATION_EXPIRED)
    row = TICKET_ACTIONS["reactivate"]
    before = _apply(row, ticket, now, queued_at=now, window=None)
    _announce(row, ticket, by=by, at=now, before=before)
    return ticket


@composable
def transfer(
    *,
    window: Window,
    by: User | None,
    category: ServiceCategory | None = None,
    target_window: Window | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Ticket:
    """Send the current ticket to another category or a named window (转移); it keeps its place in line."""
    window = operated_window(window, by, with_current_ticket=True)
    if category is None and target_window is None:
        raise InvalidInput("请指定转入的业务类别或窗口", fields={"category": "required"})
    if category is not None and (category.hall_id != window.hall_id or not category.active):
        raise InvalidInput("转入的业务类别不在本大厅或已停用", fields={"category": "other_hall"})
    if target_window is not None:
        if target_window.hall_id != window.hall_id:
            raise InvalidInput("转入的窗口不在本大厅", fields={"window": "other_hall"})
        if target_window.pk == window.pk:
            raise InvalidInput("不能转给本窗口", fields={"window": "same_window"})
    old, before, now = _step_at_window("transfer", window, at)
    new = _ticket_row(category or _with_category(old).category, at=now, carried_from=old, target_window=target_window)
    _announce(
        TICKET_ACTIONS["transfer"], old, by=by, at=now, before=before, window=window, reason=reason,
        was={"category": old.category_id}, changed={"new_ticket": new.pk, "category": new.category_id,
                 "window": target_window.number if target_window else None},
        new_ticket_id=new.pk, new_category_id=new.category_id,
        target_window_id=target_window.pk if target_window else None,
    )
    return new
