"""Declared events of the hall (大厅领域事件): what later apps (ratings, staff, statistics) and the display board
learn of each ticket, window and appointment act.

Each act sends its event once, after its rows and its audit event are written, with a frozen payload that
carries plain values (ids, numbers, instants), never model rows. Receivers connect in their `AppConfig.ready()`
(core.events): in-transaction receivers share the act's fate; after-commit receivers (the display board,
`hall.board`) run only once it has committed and can never undo it.

Instants are aware datetimes; `staff_id` is the hall staff member who performed the act (None for a kiosk, a
citizen, or the system).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.core.events import Event


@dataclass(frozen=True)
class TicketFacts:
    """A ticket as it stands right after an act (号票事件): who, where, when.

    `action` is the act's row in `hall.lifecycle.TICKET_ACTIONS` (issue, call, recall, start, finish, no_show,
    transfer, cancel, reactivate); `at` is its moment. The four stamps tell the ticket's story so far: waits are
    `called_at - issued_at`, service times `finished_at - serving_started_at` (for a ticket finished without a
    formal start, service counts from the call).
    """

    ticket_id: int
    number: str
    hall_id: int
    category_id: int
    category_name: str
    day: dt.date
    state: str
    priority: str
    appointment_id: int | None
    window_id: int | None
    window_number: str
    staff_id: int | None
    action: str
    at: dt.datetime
    issued_at: dt.datetime
    called_at: dt.datetime | None
    serving_started_at: dt.datetime | None
    finished_at: dt.datetime | None
    recall_count: int


@dataclass(frozen=True)
class TicketCalled(TicketFacts):
    """A ticket called to a window (叫号), or called again (重呼)."""

    @property
    def is_recall(self) -> bool:
        return self.action == "recall"


@dataclass(frozen=True)
class TicketTransferred(TicketFacts):
    """The closed row of a transferred ticket (转移), and where the person now waits.

    The new row keeps the number, the code and the place in line; `new_ticket_id` is its id.
    """

    new_ticket_id: int
    new_category_id: int
    target_window_id: int | None


@dataclass(frozen=True)
class WindowStatusChanged:
    """A window opened, paused, resumed or closed (开窗、暂停、恢复、关窗)."""

    window_id: int
    window_number: str
    hall_id: int
    action: str
    before: str
    status: str
    operator_id: int | None
    staff_id: int | None
    at: dt.datetime


@dataclass(frozen=True)
class AppointmentFacts:
    """A booking (预约) right after an act on it; `slot_start`/`slot_end` bound the booked time band."""

    appointment_id: int
    code: str
    hall_id: int
    category_id: int
    slot_id: int
    day: dt.date
    slot_start: dt.datetime
    slot_end: dt.datetime
    state: str
    staff_id: int | None
    at: dt.datetime


@dataclass(frozen=True)
class AppointmentCheckedIn(AppointmentFacts):
    """A booking checked in (签到): it became the appointment-priority ticket `ticket_id`."""

    ticket_id: int
    ticket_number: str


ticket_issued = Event("hall.ticket_issued", TicketFacts, """A ticket was issued (取号) at the kiosk, by staff, through
the API, or by an appointment check-in (then `appointment_id` is set). It waits in its category's queue.""")

ticket_called = Event("hall.ticket_called", TicketCalled, """A ticket was called to a window (叫号), or called again
(重呼: `is_recall`, `recall_count` counts them). `window_id` and `staff_id` say where and by whom.""")

ticket_serving = Event("hall.ticket_serving", TicketFacts, """The person arrived at the window and handling started
(开始办理); `serving_started_at` is set.""")

ticket_finished = Event("hall.ticket_finished", TicketFacts, """A ticket was finished at a window (办结): the one to rate
(好差评) by window and staff member, with its wait and service time in the stamps.""")

ticket_no_show = Event("hall.ticket_no_show", TicketFacts, """Nobody came to the window (过号); the ticket may be
reactivated once within the hall's time.""")

ticket_transferred = Event("hall.ticket_transferred", TicketTransferred, """A ticket left its window for another
category or a named window (转移); the payload is the closed row, `new_ticket_id` the waiting one.""")

ticket_cancelled = Event("hall.ticket_cancelled", TicketFacts, """A waiting ticket was withdrawn (取消).""")

ticket_reactivated = Event("hall.ticket_reactivated", TicketFacts, """A no-show ticket went back to the end of the
queue (过号恢复).""")

window_status_changed = Event("hall.window_status_changed", WindowStatusChanged, """A window opened, paused, resumed
or closed; `operator_id` is the clerk at it afterwards (None once closed).""")

appointment_booked = Event("hall.appointment_booked", AppointmentFacts, """A time band was booked (预约) online, at
the counter or through the API; `staff_id` is set when hall staff booked it.""")

appointment_cancelled = Event("hall.appointment_cancelled", AppointmentFacts, """A booking was cancelled (取消预约) by
its holder or by staff; its place went back to the band.""")

appointment_checked_in = Event("hall.appointment_checked_in", AppointmentCheckedIn, """A booking was checked in
(签到) at the kiosk or a window; `ticket_issued` for its priority ticket is sent just before.""")

TICKET_EVENTS = (ticket_issued, ticket_called, ticket_serving, ticket_finished, ticket_no_show, ticket_transferred,
                 ticket_cancelled, ticket_reactivated)
