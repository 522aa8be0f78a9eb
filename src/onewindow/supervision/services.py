"""The public services of 一链监管: one durable transaction each, for the inbox page, the API and the admin.

The hand-off itself is no one's act: it is the receiver of `cases.events.result_issued` (`supervision.acts`).
"""

from __future__ import annotations

from onewindow.core.kit import service
from onewindow.supervision import acts

acknowledge_event = service(acts.acknowledge_event)
replay_delivery = service(acts.replay_delivery)
