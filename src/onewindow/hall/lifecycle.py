"""The ticket and window lifecycles (号票流程、窗口状态) as tables.

`TICKET_ACTIONS` is every act on a ticket, one row each: from which states, to which state, which timestamp it
stamps with the act's moment, whether it frees the window, what the display board is told, the audit action and
the declared event. The ticket acts consult it (`hall.acts.tickets`), the board reads it (`hall.board`), the tests
walk it. `TICKET_TRANSITIONS` is the same table seen as a state graph. `WINDOW_ACTIONS` does the same for a
window's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.core.events import Event
from onewindow.hall import events
from onewindow.hall.models import TicketState, WindowStatus

_WAITING, _CALLED, _SERVING = TicketState.WAITING, TicketState.CALLED, TicketState.SERVING


@dataclass(frozen=True)
class TicketAction:
    """One row of the ticket table."""

    action: str
    label: str
    sources: frozenset[str]  # empty for `issue`: it makes a new ticket
    target: str
    audit: str
    event: Event
    board: str  # the message kind the board gets: a ticket at a window, or "counts" (waiting counts only)
    stamp: str | None = None  # the Ticket field set to the act's moment
    frees_window: bool = False  # the window's current ticket is cleared: it may call the next
    waiting: int = 0  # how the act changes its category's waiting count (+1, -1): the board's change to apply
    counts_recall: bool = False  # a recall (重呼): counted, up to the hall's limit
    closes_service: bool = False  # a service never formally started counts from the call


TICKET_ACTIONS: dict[str, TicketAction] = {
    row.action: row
    for row in [
        TicketAction("issue", "取号", frozenset(), _WAITING, "ticket.issue", events.ticket_issued, "counts",
                     waiting=+1),
        TicketAction("cancel", "取消", frozenset({_WAITING}), TicketState.CANCELLED, "ticket.cancel",
                     events.ticket_cancelled, "counts", stamp="finished_at", waiting=-1),
        TicketAction("call", "叫号", frozenset({_WAITING}), _CALLED, "ticket.call", events.ticket_called, "call",
                     stamp="called_at", waiting=-1),
        TicketAction("recall", "重呼", frozenset({_CALLED}), _CALLED, "ticket.recall", events.ticket_called, "recall",
                     counts_recall=True),
        TicketAction("start", "开始办理", frozenset({_CALLED}), _SERVING, "ticket.serve", events.ticket_serving,
                     "serving", stamp="serving_started_at"),
        TicketAction("finish", "办结", frozenset({_CALLED, _SERVING}), TicketState.DONE, "ticket.finish",
                     events.ticket_finished, "finish", stamp="finished_at", frees_window=True, closes_service=True),
        TicketAction("no_show", "过号", frozenset({_CALLED}), TicketState.NO_SHOW, "ticket.no_show",
                     events.ticket_no_show, "no_show", stamp="no_show_at", frees_window=True),
        TicketAction("transfer", "转移", frozenset({_CALLED, _SERVING}), TicketState.TRANSFERRED, "ticket.transfer",
                     events.ticket_transferred, "transfer", stamp="finished_at", frees_window=True,
                     waiting=+1, closes_service=True),  # +1: the new row, waiting in its (new) category
        TicketAction("reactivate", "过号恢复", frozenset({TicketState.NO_SHOW}), _WAITING, "ticket.reactivate",
                     events.ticket_reactivated, "counts", stamp="reactivated_at", waiting=+1),
    ]
}

# The acts a clerk takes on the ticket at their window, driven by the table alone (acts.tickets.act_at_window).
WINDOW_TICKET_ACTIONS = ("recall", "start", "finish", "no_show")

# The same table as a state graph: state → the states an act may lead to. (called → called) is a recall.
TICKET_TRANSITIONS: dict[str, set[str]] = {
    state: {row.target for row in TICKET_ACTIONS.values() if state in row.sources} for state in TicketState.values
}


@dataclass(frozen=True)
class WindowAction:
    """One row of the window table."""

    action: str
    label: str
    sources: frozenset[str]
    target: str
    audit: str


WINDOW_ACTIONS: dict[str, WindowAction] = {
    row.action: row
    for row in [
        WindowAction("open", "开窗", frozenset({WindowStatus.CLOSED}), WindowStatus.OPEN, "window.open"),
        WindowAction("pause", "暂停服务", frozenset({WindowStatus.OPEN}), WindowStatus.PAUSED, "window.pause"),
        WindowAction("resume", "恢复服务", frozenset({WindowStatus.PAUSED}), WindowStatus.OPEN, "window.resume"),
        WindowAction("close", "关窗", frozenset({WindowStatus.OPEN, WindowStatus.PAUSED}), WindowStatus.CLOSED,
                     "window.close"),
    ]
}
