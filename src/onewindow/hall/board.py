"""The display board (大屏) and the window screens (窗口屏): after-commit receivers of the hall's events.

Each ticket act becomes one message to its hall's group (`hall.<id>`) and, for an act at a window, to that
window's group (`window.<id>`), of the kind its row of `hall.lifecycle.TICKET_ACTIONS` names; window status
changes become a `window` message. `hall.consumers` relays them to the pages (`static/hall/live.js`). The
receivers run only after the act commits (core.events), so a board that cannot be told never undoes a call,
and a rolled-back call is never announced.

Waiting counts are never read again for a message: an act that changes one sends its change (`waiting_change`:
[{prefix, name, by: +1 or -1}], from its row's `waiting`), which the page adds to the counts it has. A board
that connects (or reconnects after missing messages) gets the counts whole in its snapshot (`hall.consumers`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from onewindow.core import live
from onewindow.hall import events, selectors
from onewindow.hall.lifecycle import TICKET_ACTIONS


def hall_group(hall_id: int) -> str:
    return f"hall.{hall_id}"


def window_group(window_id: int) -> str:
    return f"window.{window_id}"


def call_phrase(number: str, window_number: str) -> str:
    """The sentence the board speaks (普通话): 请 A001 号到 5 号窗口办理."""
    return f"请 {number} 号到 {window_number} 号窗口办理"


def tell(groups: list[str], message: dict[str, Any]) -> None:
    """Send `message` to each group's sockets (`core.live`: under the ASGI server without waiting for it)."""
    live.send(groups, {"type": "hall.event", "event": message})


def waiting_change(facts: events.TicketFacts) -> list[dict[str, Any]]:
    """How the act changed the waiting counts: [{prefix, name, by}] for its category (a transfer: the category
    the new row waits in), or [] for an act that changes none. No statement: categories are held per process."""
    by = TICKET_ACTIONS[facts.action].waiting
    if not by:
        return []
    category_id = facts.new_category_id if isinstance(facts, events.TicketTransferred) else facts.category_id
    category = selectors.category_by_id(category_id)
    if category is None:
        return []
    return [{"prefix": category.prefix, "name": category.name, "by": by}]


def tell_ticket(facts: events.TicketFacts) -> None:
    """A ticket act, as its table row says: a call on the board and the window screen, or a change of the waiting
    counts."""
    row = TICKET_ACTIONS[facts.action]
    change = waiting_change(facts)
    if row.board == "counts":
        tell([hall_group(facts.hall_id)], {"kind": "counts", "waiting_change": change})
        return
    message: dict[str, Any] = {
        "kind": row.board,
        "ticket": facts.number,
        "window": facts.window_number,
        "category": facts.category_name,
        "speech": call_phrase(facts.number, facts.window_number) if row.board in ("call", "recall") else "",
        "at": timezone.localtime(facts.at).strftime("%H:%M:%S"),
    }
    if change:
        message["waiting_change"] = change
    groups = [hall_group(facts.hall_id)]
    if facts.window_id is not None:
        groups.append(window_group(facts.window_id))
    tell(groups, message)


def tell_window(change: events.WindowStatusChanged) -> None:
    """A window opened, paused, resumed or closed."""
    tell([hall_group(change.hall_id), window_group(change.window_id)],
         {"kind": "window", "window": change.window_number, "status": change.status})


def connect() -> None:
    """Subscribe the board to the hall's events, after commit (called from `HallConfig.ready`)."""
    for event in events.TICKET_EVENTS:
        event.connect(tell_ticket, uid=f"hall.board.{event.name}", after_commit=True)
    events.window_status_changed.connect(tell_window, uid="hall.board.window_status", after_commit=True)
