"""Reads of the hall, one module per sub-domain: configuration, the board, tickets, appointments, lost & found,
metrics. Callers use the package: `selectors.policy_for(hall_id)`, `selectors.queue_position(ticket)`."""

from onewindow.hall.selectors.appointments import (
    appointment_for_check_in,
    bookable_slots,
    booking_blocked_until,
    booking_days,
    closed_days,
    is_open_on,
    missed_count,
)
from onewindow.hall.selectors.board import board_snapshot, waiting_counts, window_snapshot
from onewindow.hall.selectors.configuration import (
    categories_of,
    category_by_id,
    category_by_prefix,
    first_bookable_hall,
    get_hall,
    policy_for,
    window_facts,
)
from onewindow.hall.selectors.lost_found import public_found_items, search_found_items, unclaimed_found_items
from onewindow.hall.selectors.metrics import HourHistory, hall_metrics, hourly_history, percentile
from onewindow.hall.selectors.tickets import (
    DEFAULT_SERVICE_MINUTES,
    QueuePosition,
    average_service_minutes,
    queue_position,
    ticket_by_code,
    ticket_by_number,
)

__all__ = [
    "DEFAULT_SERVICE_MINUTES", "HourHistory", "QueuePosition", "appointment_for_check_in", "average_service_minutes",
    "board_snapshot", "bookable_slots", "category_by_id", "category_by_prefix", "booking_blocked_until", "booking_days", "categories_of", "closed_days", "first_bookable_hall", "get_hall", "hall_metrics",
    "hourly_history", "is_open_on", "missed_count", "percentile", "policy_for", "public_found_items", "queue_position", "search_found_items",
    "ticket_by_code", "ticket_by_number", "unclaimed_found_items", "waiting_counts", "window_facts", "window_snapshot",
]
