"""Writes of 一链监管 (审管分离): the hand-off of every approval's issued result to its supervising department,
signing for it, replaying a webhook delivery. Composable acts; `supervision.services` publishes the ones a person
performs.

审管分离 hands over approvals: the licensee the supervising department now watches (事中事后监管). A denial's
written decision is issued to the applicant and handed to nobody — there is no licensee to supervise. Whether a
result follows an approval is the case's decision (the state `result_issued` left, its `previous_state`), never
whether a licence number was typed.

The hand-off is the receiver of `cases.events.result_issued`, inside the issuing act's transaction: the inbox
entry and one pending delivery per active endpoint are an outbox that exists exactly when the result does, and
the webhook calls leave only after commit.

The payload's `case` object holds the case's own facts, plus one field per entry of `SUPERVISION_CASE_FIELDS`
(name → dotted path of a function `(case) -> JSON value`): how an app beside this one (the 一件事 package
number) adds a reference to the payload without either app importing the other. Those functions run inside the
transaction, must only read, and may not replace a field of the case's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from onewindow.cases.events import CaseEvent
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.catalog.models import Department
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.events import after_commit
from onewindow.core.identity import mask_identity
from onewindow.core.models import User
from onewindow.supervision import tasks, webhooks
from onewindow.supervision.models import SupervisionEvent, WebhookDelivery, WebhookEndpoint

# The fields of the payload's `case` object that are the case's own (SUPERVISION_CASE_FIELDS may not replace them).
CASE_FIELDS = ("number", "item_code", "item_name", "department", "decision", "licence_number", "decided_on",
               "result_issued_at", "applicant")


@cache
def _extra_fields(configured: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Callable[[Case], Any]], ...]:
    clashes = [name for name, _ in configured if name in CASE_FIELDS]
    if clashes:
        raise ImproperlyConfigured(f"SUPERVISION_CASE_FIELDS may not replace the case's own fields: {clashes}")
    return tuple((name, import_string(path)) for name, path in configured)


def extra_case_fields() -> tuple[tuple[str, Callable[[Case], Any]], ...]:
    """The configured `SUPERVISION_CASE_FIELDS` as (name, function) pairs, in their order."""
    return _extra_fields(tuple(getattr(settings, "SUPERVISION_CASE_FIELDS", {}).items()))


def event_payload(case: Case, department: Department) -> dict[str, Any]:
    """What the supervising department receives about an approval's issued result (the inbox entry and the webhook
    body). `decision` is always `approved`: only approvals are handed off."""
    version = case.item_version
    organization = case.applicant_kind == "organization"
    facts: dict[str, Any] = {
        "number": case.number,
        "item_code": case.item.implementation_code,
        "item_name": version.name,
        "department": {"code": case.department.code, "name": case.department.name},
        "decision": "approved",
        "licence_number": case.licence_number,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "result_issued_at": case.result_issued_at.isoformat() if case.result_issued_at else None,
        "applicant": {
            "kind": case.applicant_kind,
            "name": case.applicant_name if organization else case.applicant_name_masked,
            # A licensee's credit code is public; a person's identity number is not.
            "id_number": case.applicant_id_number if organization else mask_identity(case.applicant_id_number),
        },
    }
    for name, value_of in extra_case_fields():
        facts[name] = value_of(case)
    return {"event": "result_issued", "case": facts,
            "supervising_department": {"code": department.code, "name": department.name}}


@kit.composable
def hand_off_result(case: Case) -> SupervisionEvent:
    """Hand an approval's issued result off: an inbox entry for the supervising department (the approving one if
    none is set) and one webhook delivery per active endpoint of that department, sent after commit."""
    case = Case.objects.select_related("item", "item_version", "item_version__supervising_department",
                                       "department").get(pk=case.pk)
    department = case.item_version.supervising_department or case.department
    now = timezone.now()
    event = SupervisionEvent.objects.create(department=department, case=case, payload={}, created_at=now)
    event.payload = {**event_payload(case, department), "id": event.pk, "occurred_at": now.isoformat()}
    event.save(update_fields=["payload"])
    body = webhooks.encode(event.payload)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, body=body, next_attempt_at=now, created_at=now)
        for endpoint in WebhookEndpoint.objects.filter(department=department, active=True)
    )
    ids = [d.pk for d in deliveries]
    if ids:
        after_commit(lambda: tasks.enqueue(ids), what=f"supervision webhooks of {case.number}")
    audit.record("supervision.hand_off", obj=event, by=None,
                 after={"case": case.number, "department": department.code, "deliveries": ids})
    return event


def on_result_issued(payload: CaseEvent) -> None:
    """Receiver of `cases.events.result_issued` (inside the act's transaction): hand the result of an approval off;
    the result of a denial (`previous_state` denied) is handed to nobody."""
    if payload.previous_state == State.APPROVED:
        hand_off_result(payload.case)


@kit.composable
def acknowledge_event(event: SupervisionEvent, *, by: User) -> SupervisionEvent:
    """The supervising department signs for an event in its inbox (签收); signing again changes nothing."""
    kit.require_signed_in(by)
    if not (by.is_center_wide or department_id_of(by) == event.department_id):
        raise NotFound("监管事件不存在或无权查看")
    if event.acknowledged_at is not None:
        return event
    now = timezone.now()
    SupervisionEvent.objects.filter(pk=event.pk).update(acknowledged_at=now, acknowledged_by=by)
    event.acknowledged_at, event.acknowledged_by = now, by
    audit.record("supervision.acknowledge", obj=event, by=by, after={"acknowledged_at": now.isoformat()})
    return event


@kit.composable
def replay_delivery(delivery: WebhookDelivery, *, by: User) -> WebhookDelivery:
    """Send a delivery again (重放): it becomes pending with a fresh run of tries, the first one after commit."""
    kit.require_signed_in(by)
    if not by.is_center_wide:
        raise PermissionDenied("只有中心管理员可以重放推送")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING, attempts=0,
                                                          next_attempt_at=timezone.now(), last_error="")
    delivery.refresh_from_db()
    pk = delivery.pk
    after_commit(lambda: tasks.enqueue([pk], replay=True), what=f"supervision webhook replay {pk}")
    audit.record("supervision.replay", obj=delivery, by=by, before=before,
                 after={"status": delivery.status, "attempts": 0})
    return delivery
