"""The hall's public services: each act a person performs, as the outermost transaction (core.kit.service).

Views, the API, commands and tasks call these; the demo, the admin and other apps' acts compose `hall.acts`.
Errors a caller may want to catch by name (`WindowBusy`, `BookingBlocked`), the roles that staff the hall and
the window acts' own rule of who may operate a window (`may_operate`, `require_operator`) come with them, so that
a page offers only what the acts will do.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow.core.kit import service
from onewindow.core.models import User
from onewindow.hall import acts
from onewindow.hall.acts import WINDOW_ROLES as WINDOW_ROLES
from onewindow.hall.acts import BookingBlocked as BookingBlocked
from onewindow.hall.acts import WindowBusy as WindowBusy
from onewindow.hall.acts import configuration
from onewindow.hall.acts import holder_key as holder_key
from onewindow.hall.acts import identity_key as identity_key
from onewindow.hall.acts import may_operate as may_operate
from onewindow.hall.acts import require_operator as require_operator
from onewindow.hall.models import Appointment

# -- tickets and calling
issue_ticket = service(acts.issue_ticket)
cancel_ticket = service(acts.cancel_ticket)
call_next = service(acts.call_next)
recall = service(acts.recall)
start_serving = service(acts.start_serving)
finish = service(acts.finish)
mark_no_show = service(acts.mark_no_show)
reactivate_ticket = service(acts.reactivate_ticket)
transfer = service(acts.transfer)

# -- windows
open_window = service(acts.open_window)
pause_window = service(acts.pause_window)
resume_window = service(acts.resume_window)
close_window = service(acts.close_window)

# -- appointments
create_slots = service(acts.create_slots)
book_appointment = service(acts.book_appointment)
cancel_appointment = service(acts.cancel_appointment)
check_in = service(acts.check_in)


def confirm_appointment(*, appointment: Appointment, code: str = "", by: User | None = None,
                        at: dt.datetime | None = None) -> Appointment:
    """Confirm a pending booking (确认预约): `acts.confirm_appointment` as the outermost, durable transaction.

    Unlike `core.kit.service`, a refusal is raised only after the transaction commits: a wrong code must stay
    counted (limited attempts) and a lapsed booking released, although the request is refused (422
    wrong_confirmation_code, 409 confirmation_expired / already_booked).
    """
    with transaction.atomic(durable=True):
        outcome = acts.confirm_appointment(appointment=appointment, code=code, by=by, at=at)
    if outcome.error is not None:
        raise outcome.error
    return outcome.appointment


expire_appointments = service(acts.expire_appointments)

# -- lost and found
register_found_item = service(acts.register_found_item)
hand_over_found_item = service(acts.hand_over_found_item)
dispose_found_item = service(acts.dispose_found_item)

# -- configuration (the admin's "delete selected", which Django runs outside any transaction)
delete_configuration = service(configuration.delete_configuration)
