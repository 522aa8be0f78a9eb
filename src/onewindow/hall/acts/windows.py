"""Window acts (窗口): open, pause, resume, close; each one row of `hall.lifecycle.WINDOW_ACTIONS`."""

from __future__ import annotations

from typing import Any

from onewindow.core import audit, kit
from onewindow.core.errors import IllegalTransition
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.hall import events
from onewindow.hall.acts.common import WindowBusy, operated_window, staff_id_of
from onewindow.hall.lifecycle import WINDOW_ACTIONS
from onewindow.hall.models import ACTIVE_AT_WINDOW, Window, WindowStatus


@composable
def set_window_status(action: str, *, window: Window, by: User | None) -> Window:
    """Move the window along its table (`action`: open, pause, resume, close); the clerk who opens a closed window
    becomes its operator, closing clears it. A window with a ticket at it cannot close (WindowBusy, 409)."""
    row = WINDOW_ACTIONS[action]
    window = operated_window(window, by)
    before = window.status
    if before not in row.sources:
        raise IllegalTransition(f"{window}当前为“{window.get_status_display()}”，不能改为“{WindowStatus(row.target).label}”",
                                fields={"status": before, "action": action})
    current = window.current_ticket
    if row.target == WindowStatus.CLOSED and current is not None and current.state in ACTIVE_AT_WINDOW:
        raise WindowBusy(f"{window}还有未处理完的 {current.number}")
    changes: dict[str, Any] = {"status": row.target}
    if row.target == WindowStatus.OPEN and before == WindowStatus.CLOSED:
        changes["operator"] = by
    if row.target == WindowStatus.CLOSED:
        changes["operator"] = None
    for name, value in changes.items():
        setattr(window, name, value)
    window.save(update_fields=list(changes))
    audit.record(row.audit, obj=window, by=by, before={"status": before}, after={"status": row.target})
    events.window_status_changed.send(events.WindowStatusChanged(
        window_id=window.pk, window_number=window.number, hall_id=window.hall_id, action=action, before=before,
        status=window.status, operator_id=window.operator_id, staff_id=staff_id_of(by), at=kit.moment()[0],
    ))
    return window


@composable
def open_window(*, window: Window, by: User | None) -> Window:
    """Open the window for the day (开窗) with the signed-in clerk as its operator."""
    return set_window_status("open", window=window, by=by)


@composable
def pause_window(*, window: Window, by: User | None) -> Window:
    """Pause calling (暂停服务); the current ticket can still be finished."""
    return set_window_status("pause", window=window, by=by)


@composable
def resume_window(*, window: Window, by: User | None) -> Window:
    """Resume calling after a pause (恢复服务)."""
    return set_window_status("resume", window=window, by=by)


@composable
def close_window(*, window: Window, by: User | None) -> Window:
    """Close the window (关窗) once its current ticket is dealt with."""
    return set_window_status("close", window=window, by=by)
