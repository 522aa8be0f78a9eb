"""The hall's composable acts (they run inside a caller's transaction), one module per sub-domain: tickets,
windows, appointments, lost & found, configuration. `hall.services` publishes the ones people perform.

Callers use the package: `acts.call_next(window=…, by=…)`, `acts.save_category(category, by=…)`.
"""

from onewindow.hall.acts.appointments import (
    ConfirmOutcome,
    book_appointment,
    cancel_appointment,
    check_in,
    confirm_appointment,
    create_slots,
    expire_appointments,
)
from onewindow.hall.acts.common import (
    WINDOW_ROLES,
    BookingBlocked,
    WindowBusy,
    holder_key,
    identity_key,
    may_operate,
    require_operator,
)
from onewindow.hall.acts.configuration import (
    delete_category,
    delete_policy,
    delete_slot,
    delete_window,
    save_category,
    save_policy,
    save_slot,
    save_window,
)
from onewindow.hall.acts.lost_found import dispose_found_item, hand_over_found_item, register_found_item
from onewindow.hall.acts.tickets import (
    act_at_window,
    call_next,
    cancel_ticket,
    finish,
    issue_ticket,
    mark_no_show,
    reactivate_ticket,
    recall,
    start_serving,
    transfer,
)
from onewindow.hall.acts.windows import close_window, open_window, pause_window, resume_window, set_window_status

__all__ = [
    "WINDOW_ROLES", "BookingBlocked", "ConfirmOutcome", "WindowBusy", "act_at_window", "book_appointment",
    "call_next", "cancel_appointment", "cancel_ticket", "check_in", "close_window", "confirm_appointment", "create_slots", "delete_category",
    "delete_policy", "delete_slot", "delete_window", "dispose_found_item", "expire_appointments", "finish",
    "hand_over_found_item", "holder_key", "identity_key", "issue_ticket", "mark_no_show", "may_operate",
    "open_window", "pause_window", "reactivate_ticket", "recall", "register_found_item", "require_operator",
    "resume_window", "save_category", "save_policy",
    "save_slot", "save_window", "set_window_status", "start_serving", "transfer",
]
