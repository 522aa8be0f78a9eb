"""The service hall's data (服务大厅), one module per sub-domain: configuration (rules, priorities, categories),
windows, tickets, appointments, lost & found. Table names stay `hall_<model>`."""

from onewindow.hall.models.appointments import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    Confirmation,
    HallOpenDay,
)
from onewindow.hall.models.configuration import DEFAULT_PRIORITY_RANKS, HallPolicy, Priority, ServiceCategory
from onewindow.hall.models.lost_found import FoundItem, FoundItemKind, FoundItemState
from onewindow.hall.models.tickets import ACTIVE_AT_WINDOW, Ticket, TicketState
from onewindow.hall.models.windows import Window, WindowStatus

__all__ = [
    "ACTIVE_AT_WINDOW", "DEFAULT_PRIORITY_RANKS", "Appointment", "AppointmentSlot", "AppointmentState", "Confirmation",
    "FoundItem", "FoundItemKind", "FoundItemState", "HallOpenDay", "HallPolicy", "Priority", "ServiceCategory", "Ticket", "TicketState",
    "Window", "WindowStatus",
]
