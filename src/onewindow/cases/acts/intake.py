"""Intake (收件): open a case, submit it (提交申请) and bind the item version in force."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from onewindow.cases import clock
from onewindow.cases.acts.base import (
    CITIZEN_CHANNELS,
    CLERK_CHANNELS,
    QUERY_CODE_ALPHABET,
    Agent,
    Applicant,
    check_actor,
    check_delivery_offered,
    clock_columns,
    commit,
    next_number,
    validated_agent,
    validated_applicant,
)
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    Case,
    Channel,
    CorrectionNotice,
    DeliveryMethod,
)
from onewindow.catalog.models import ServiceItem, ServicePoint
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import InvalidInput, PermissionDenied
from onewindow.core.identity import mask_identity
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar


def create_case(
    *,
    by: User,
    item: ServiceItem,
    applicant: Applicant,
    channel: str,
    service_point: ServicePoint | None = None,
    agent: Agent | None = None,
    applicant_user: User | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    postal_address: str = "",
    idempotency_key: str = "",
    submit: bool = False,
    at: dt.datetime | None = None,
) -> tuple[Case, bool]:
    """Open a case (收件) as a draft, optionally submitting it at once; returns (case, created).

    A repeated `idempotency_key` from the same user returns the first case and changes nothing.
    """
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise InvalidInput("Idempotency-Key 不能超过80个字符", fields={"idempotency_key": "too_long"})
    if key:
        existing = Case.objects.filter(created_by=by, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            case = _create_case(
                by=by, item=item, applicant=applicant, channel=channel, service_point=service_point, agent=agent,
                applicant_user=applicant_user, delivery_method=delivery_method, postal_address=postal_address,
                key=key, at=at,
            )
            if submit:
                submit_case(case, by=by, at=at)
    except IntegrityError:
        # The same key raced in from a second request: the first one's case is the answer.
        existing = Case.objects.filter(created_by=by, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return case, True


def _create_case(
    *, by: User, item: ServiceItem, applicant: Applicant, channel: str, service_point: ServicePoint | None,
    agent: Agent | None, applicant_user: User | None, delivery_method: str, postal_address: str, key: str,
    at: dt.datetime | None,
) -> Case:
    when, day = kit.moment(at)
    version = item.published_version
    if version is None:
        raise InvalidInput("该事项尚未发布，不能申请", fields={"item": "unpublished"})
    if channel not in Channel.values:
        raise InvalidInput(f"申报渠道“{channel}”无效", fields={"channel": "choice"})
    kit.require_signed_in(by)
    if by.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise InvalidInput("群众自行申报的渠道为网上、移动端或自助终端", fields={"channel": "citizen"})
        applicant_user = by
    elif by.role == Role.CLERK:
        if channel not in CLERK_CHANNELS:
            raise InvalidInput("窗口人员录入的渠道为窗口受理或邮寄申请", fields={"channel": "clerk"})
        if department_id_of(by) != version.department_id and not (department_id_of(by) is None and version.central_acceptance):
            raise PermissionDenied("该事项不属于本部门，也未授权综合窗口受理", fields={"item": "scope"})
    else:
        raise PermissionDenied("只有申请人或窗口人员可以申报办件")
    if applicant_user is not None and applicant_user.role != Role.CITIZEN:
        raise InvalidInput("申请人账号应为群众账号", fields={"applicant_user": "role"})
    if delivery_method not in DeliveryMethod.values:
        raise InvalidInput(f"送达方式“{delivery_method}”无效", fields={"delivery_method": "choice"})
    check_delivery_offered(version, delivery_method)
    if delivery_method == DeliveryMethod.POST:
        postal_address = kit.require_text(postal_address, "postal_address", "邮寄地址")
    fields = {**validated_applicant(applicant), **validated_agent(agent)}
    case = Case.objects.create(
        number=next_number(version.department, day),
        query_code="".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6)),
        state=State.DRAFT,
        item=item,
        item_version=version,
        department=version.department,
        channel=channel,
        service_point=service_point,
        applicant_user=applicant_user,
        created_by=by,
        idempotency_key=key,
        created_at=when,
        delivery_method=delivery_method,
        postal_address=(postal_address or "").strip(),
        promised_days=version.promised_days,
        statutory_days=version.statutory_days,
        **fields,
    )
    audit.record(
        "case.create", obj=case, by=by,
        after={"number": case.number, "item_version": version.pk, "channel": channel,
               "applicant": mask_identity(case.applicant_id_number), "agent": bool(case.agent_name),
               "agent_is_center": case.agent_is_center},
    )
    return case


@composable


def submit_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """Submit (提交申请) or resubmit after correction; binds the item version in force and starts the 5-day clock."""
    check_actor(case, by, "submit")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    changes: dict[str, Any] = {"state": State.SUBMITTED, "submitted_at": when, "submitted_on": day}
    if case.state == State.DRAFT:
        version = case.item.published_version
        if version is None:
            raise InvalidInput("该事项已停止发布，不能提交", fields={"item": "unpublished"})
        changes.update(item_version=version, promised_days=version.promised_days,
                       statutory_days=version.statutory_days)
    else:
        # 补正后重新提交: the acceptance clock restarts from the day the materials arrive.
        CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=when)
    changes["acceptance_due_on"] = clock.acceptance_due(get_calendar(), day)
    changes.update(clock_columns(case, state=State.SUBMITTED, today=day,
                                  acceptance_due_on=changes["acceptance_due_on"]))
    return commit(case, action="submit", by=by, changes=changes, at=when)
