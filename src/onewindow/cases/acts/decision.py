"""Decision, result and delivery (决定、出证、送达), and the endings before a decision (撤回、终止)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from onewindow.cases import clock, limits
from onewindow.cases.acts.base import (
    check_actor,
    check_delivery_offered,
    clock_columns,
    commit,
    due_on_of,
    not_before,
    optional_text,
    tell_applicant,
)
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    Case,
    DeliveryMethod,
    Hearing,
    HearingState,
    Suspension,
)
from onewindow.cases.uploads import files_discarded_on_failure, store
from onewindow.core import kit
from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.identity import same_code
from onewindow.core.kit import composable
from onewindow.core.language import in_chinese
from onewindow.core.models import User
from onewindow.workdays.selectors import get_calendar


def _decide(case: Case, *, by: User, action: str, state: str, reason: str, legal_basis: str,
            at: dt.datetime | None) -> Case:
    when, day = kit.moment(at)
    not_before(day, case.accepted_on, "受理日期")
    delivery_due_on = clock.delivery_due(get_calendar(), day)
    changes = {
        "state": state, "decided_at": when, "decided_on": day, "decided_by": by,
        "timeliness": clock.timeliness(day, due_on_of(case)), "decision_reason": reason,
        "legal_basis": legal_basis, "delivery_due_on": delivery_due_on,
        **clock_columns(case, state=state, today=day, delivery_due_on=delivery_due_on),
    }
    # 第四十八条第二款: a decision after a hearing is made on its record, and says so.
    hearing = Hearing.objects.filter(case=case, state=HearingState.HELD).order_by("-id").first()
    extra = {"hearing": hearing.pk, "hearing_held_on": hearing.held_on.isoformat()} \
        if hearing is not None and hearing.held_on else None
    return commit(case, action=action, by=by, changes=changes, at=when, reason=reason, audit_extra=extra,
                  approved=state == State.APPROVED)


@composable
def approve_case(
    case: Case, *, by: User, reason: str = "", legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Approve (准予许可); the clock stops and the case is bucketed early / on time / late."""
    check_actor(case, by, "approve")
    kit.check_version(case, expected_version)
    reason = optional_text(reason, "reason", "审查意见", limits.DECISION_REASON)
    legal_basis = optional_text(legal_basis, "legal_basis", "法律依据", limits.LEGAL_BASIS)
    _decide(case, by=by, action="approve", state=State.APPROVED, reason=reason, legal_basis=legal_basis, at=at)
    tell_applicant(case, "approved", "准予许可", "您的申请已准予许可，结果文书制作后将按您选择的方式送达。")
    return case


@composable
def deny_case(
    case: Case, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Deny (不予许可) with the reason and the legal basis."""
    check_actor(case, by, "deny")
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "不予许可理由", max_length=limits.DECISION_REASON)
    legal_basis = kit.require_text(legal_basis, "legal_basis", "法律依据", max_length=limits.LEGAL_BASIS)
    _decide(case, by=by, action="deny", state=State.DENIED, reason=reason, legal_basis=legal_basis, at=at)
    tell_applicant(case, "denied", "不予许可", f"理由：{reason}（依据：{legal_basis}）")
    return case


@composable
def issue_result(
    case: Case, *, by: User, licence_number: str = "", document: bytes | None = None, document_name: str = "",
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Issue the licence of an approval (出证): its licence / certificate number (required) and optionally the
    result document; a pick-up code if collected. The delivery clock (第四十四条) keeps running until delivery.
    A denial's result is `issue_denial`."""
    check_actor(case, by, "issue_result", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    not_before(day, case.decided_on, "决定日期")
    licence_number = kit.require_text(licence_number, "licence_number", "证照编号", max_length=limits.LICENCE_NUMBER)
    if document is not None and not document:
        raise InvalidInput("结果文书为空文件", fields={"document": "empty"})
    _issue(case, by=by, action="issue_result", when=when, document=document,
           name=f"{case.number}-{{sha}}{_suffix(document_name, '.pdf')}", changes={"licence_number": licence_number})
    body = f"结果已出具（{licence_number}）。"
    if case.pickup_code:
        body += f"请凭取件码 {case.pickup_code} 到窗口领取。"
    tell_applicant(case, "result_issued", "结果已出具", body)
    return case


def _issue(case: Case, *, by: User, action: str, when: dt.datetime, document: bytes | None, name: str,
           changes: dict[str, Any]) -> None:
    """Store the result document (its SHA-256 on the audit chain), set a pick-up code, move to result_issued."""
    changes = {"state": State.RESULT_ISSUED, "result_issued_at": when, **changes}
    if case.delivery_method == DeliveryMethod.PICKUP:
        changes["pickup_code"] = f"{secrets.randbelow(1_000_000):06d}"
    sha = ""
    with files_discarded_on_failure():
        if document:
            sha = hashlib.sha256(document).hexdigest()
            changes["result_document"] = store(f"cases/results/{name.format(sha=sha[:12])}", document)
        commit(case, action=action, by=by, changes=changes, at=when,
               audit_extra={"document_sha256": sha} if sha else None)


@composable
def issue_denial(
    case: Case, *, by: User, document: bytes | None = None, document_name: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Issue the written denial decision (出具不予行政许可决定书, 第三十八条): its reasons, its legal basis and the
    applicant's rights — administrative review within 60 days, litigation within 6 months. The decision is
    rendered as the case's `denial` notice PDF and kept as the result document, unless a signed scan is given.
    No licence, no licence number; the delivery clock keeps running until it is delivered."""
    from onewindow.cases import documents

    check_actor(case, by, "issue_denial", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    not_before(day, case.decided_on, "决定日期")
    if document is not None and not document:
        raise InvalidInput("决定书为空文件", fields={"document": "empty"})
    if document:
        suffix = _suffix(document_name, ".pdf")
    else:
        document, _ = documents.render_case_notice(case, documents.NoticeKind.DENIAL)
        suffix = ".pdf"
    _issue(case, by=by, action="issue_denial", when=when, document=document,
           name=f"{case.number}-denial-{{sha}}{suffix}", changes={"licence_number": ""})
    body = "不予行政许可决定书已出具，载明理由及申请行政复议（六十日内）、提起行政诉讼（六个月内）的权利。"
    if case.pickup_code:
        body += f"请凭取件码 {case.pickup_code} 到窗口领取。"
    tell_applicant(case, "result_issued", "不予许可决定书已出具", body)
    return case


def _suffix(name: str, default: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]{1,5}$", name or "")
    return match.group(0).lower() if match else default


@composable
def deliver_case(
    case: Case, *, by: User, method: str | None = None, pickup_code: str = "", tracking_number: str = "",
    postal_address: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Deliver the result (送达) and close the case (办结): pick-up with the code, free post, or electronic."""
    check_actor(case, by, "deliver", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    method = method or case.delivery_method
    if method not in DeliveryMethod.values:
        raise InvalidInput(f"送达方式“{method}”无效", fields={"method": "choice"})
    check_delivery_offered(case.item_version, method, field="method")
    changes: dict[str, Any] = {"state": State.DELIVERED, "delivery_method": method, "delivered_at": when,
                               "delivered_on": day, "closed_at": when,
                               **clock_columns(case, state=State.DELIVERED, today=day)}
    if method == DeliveryMethod.PICKUP:
        if not same_code(case.pickup_code, pickup_code):
            raise InvalidInput("取件码不正确", code=ErrorCode.WRONG_PICKUP_CODE, fields={"pickup_code": "mismatch"})
    elif method == DeliveryMethod.POST:
        address = (postal_address or case.postal_address or "").strip()
        changes["postal_address"] = kit.require_text(address, "postal_address", "邮寄地址",
                                                     max_length=limits.POSTAL_ADDRESS)
        changes["tracking_number"] = kit.require_text(tracking_number, "tracking_number", "快递单号",
                                                      max_length=limits.TRACKING_NUMBER)
    commit(case, action="deliver", by=by, changes=changes, at=when)
    tell_applicant(case, "delivered", "已办结", f"结果已送达（{in_chinese(DeliveryMethod(method).label)}），感谢您的办理。")
    return case


@composable
def withdraw_case(
    case: Case, *, by: User, reason: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Withdraw the application (撤回申请) before a decision, by the applicant or the window for them."""
    check_actor(case, by, "withdraw")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    reason = optional_text(reason, "reason", "撤回原因", limits.CLOSED_REASON) or "申请人撤回"
    changes = {"state": State.WITHDRAWN, "closed_reason": reason, "closed_at": when,
               **clock_columns(case, state=State.WITHDRAWN, today=day)}
    Suspension.objects.filter(case=case, ended_on__isnull=True).update(ended_on=day, ended_by=by)
    commit(case, action="withdraw", by=by, changes=changes, at=when, reason=reason)
    return case


@composable
def terminate_case(
    case: Case, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Terminate (终止办理) with a legal reason, by the department leader."""
    check_actor(case, by, "terminate")
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "终止理由", max_length=limits.CLOSED_REASON)
    legal_basis = kit.require_text(legal_basis, "legal_basis", "法律依据", max_length=limits.LEGAL_BASIS)
    when, day = kit.moment(at)
    changes = {"state": State.TERMINATED, "closed_reason": reason, "legal_basis": legal_basis, "closed_at": when,
               **clock_columns(case, state=State.TERMINATED, today=day)}
    Suspension.objects.filter(case=case, ended_on__isnull=True).update(ended_on=day, ended_by=by)
    commit(case, action="terminate", by=by, changes=changes, at=when, reason=reason)
    tell_applicant(case, "terminated", "终止办理", f"理由：{reason}（依据：{legal_basis}）")
    return case


@composable
def revoke_approval(
    case: Case, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Revoke an approval whose tolerated (容缺) material was not brought by its promised day (撤销准予许可决定),
    by the department leader, with the reason and the legal basis: no licence is issued and the case ends
    (terminated). Before the promised day passes the material may still come (`add_material`)."""
    check_actor(case, by, "revoke_approval", at=at)
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "撤销理由", max_length=limits.CLOSED_REASON)
    legal_basis = kit.require_text(legal_basis, "legal_basis", "法律依据", max_length=limits.LEGAL_BASIS)
    when, day = kit.moment(at)
    changes = {"state": State.TERMINATED, "closed_reason": reason, "legal_basis": legal_basis, "closed_at": when,
               **clock_columns(case, state=State.TERMINATED, today=day)}
    commit(case, action="revoke_approval", by=by, changes=changes, at=when, reason=reason,
           audit_extra={"tolerance_due_on": case.tolerance_due_on.isoformat() if case.tolerance_due_on else None})
    tell_applicant(case, "approval_revoked", "准予许可决定已撤销",
                   f"容缺材料未在承诺期限内补齐。理由：{reason}（依据：{legal_basis}）")
    return case
