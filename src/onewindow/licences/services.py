"""The public services of the licence register: one durable transaction each, for the pages, the API, the admin
and the scheduler. Registering a licence is no one's act: it is the receiver of `cases.events.result_issued`."""

from __future__ import annotations

from onewindow.core.kit import service
from onewindow.licences import acts

apply_for_renewal = service(acts.apply_for_renewal)
revoke_licence = service(acts.revoke_licence)
cancel_licence = service(acts.cancel_licence)
# The scheduler's daily work, in this order (`tasks.sweep_licences`).
deem_overdue_renewals = service(acts.deem_overdue_renewals)
expire_licences = service(acts.expire_licences)
send_expiry_reminders = service(acts.send_expiry_reminders)
