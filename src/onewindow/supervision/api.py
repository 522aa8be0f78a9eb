"""一链监管 API under /api/v1/supervision: the supervising department's inbox and signing for an event.

The same two operations answer, deprecated, at their paths of the previous release
(/api/v1/packages/supervision/…), for one release, so that integrations keep working while they move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from onewindow.core.auth import api_auth
from onewindow.core.params import Id
from onewindow.supervision import selectors, services
from onewindow.supervision.models import SupervisionEvent

router = Router(tags=["一链监管 supervision"])
# The paths of the previous release (under /api/v1/packages/supervision), kept for one release.
previous_router = Router(tags=["一链监管 supervision"])


class SupervisionEventOut(Schema):
    id: int
    department: str
    case_number: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    payload: dict


def _event_out(event: SupervisionEvent) -> dict[str, Any]:
    return {"id": event.pk, "department": event.department.code, "case_number": event.case.number,
            "created_at": event.created_at, "acknowledged_at": event.acknowledged_at, "payload": event.payload}


def events(request: HttpRequest, unacknowledged: bool = False):
    inbox = selectors.supervision_inbox(request.auth, unacknowledged_only=unacknowledged)[:200]
    return [_event_out(event) for event in inbox]


def acknowledge(request: HttpRequest, event_id: Id):
    event = selectors.event_for(request.auth, event_id)
    return _event_out(services.acknowledge_event(event, by=request.auth))


for target, deprecated, prefix in ((router, False, "supervision"), (previous_router, True, "packages_supervision")):
    target.get("/events", response=list[SupervisionEventOut], auth=api_auth, deprecated=deprecated,
               operation_id=f"{prefix}_events", summary="本部门的事中事后监管事件（最近 200 条）")(events)
    target.post("/events/{event_id}/acknowledge", response=SupervisionEventOut, auth=api_auth, deprecated=deprecated,
                operation_id=f"{prefix}_acknowledge", summary="签收监管事件")(acknowledge)
