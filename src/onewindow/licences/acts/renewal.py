"""Renewal (延续, art. 50): the holder applies — or the issuing department's window for them — through the case
engine's own services; the renewal record links the licence to the new case. The application date is the day the
case is submitted: it must be at least 30 days (or the item's lawful lead time) before the licence expires."""

from __future__ import annotations

import datetime as dt

from onewindow.cases import acts as case_acts
from onewindow.cases.models import Case, Channel
from onewindow.catalog.models import ServiceItem
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, DomainError, ErrorCode, IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.licences.acts.base import ART_50
from onewindow.licences.models import Licence, LicenceState, Renewal
from onewindow.licences.selectors import (
    get_licence_for,
    pending_renewal,
    renewal_deadline,
    renewal_items,
    term_of,
)


class RenewalTooLate(Conflict):
    code = ErrorCode.RENEWAL_TOO_LATE


def too_late(licence: Licence, deadline: dt.date, day: dt.date) -> RenewalTooLate:
    """The refusal of a renewal applied for on `day`, after `deadline` (art. 50 or the item's own rule)."""
    term = term_of(licence.item)
    rule = ART_50 if not term.lead_days_basis else term.lead_days_basis
    return RenewalTooLate(
        f"延续申请应在有效期届满{term.renewal_lead_days}日前提出（{rule}）：本证照有效期至 {licence.valid_until}，"
        f"最迟申请日为 {deadline}，{day} 已不能申请延续，请依法重新申请许可",
        fields={"valid_until": licence.valid_until.isoformat() if licence.valid_until else "",
                "latest_on": deadline.isoformat()})


def _refusal(licence: Licence, by: User, day: dt.date) -> DomainError | None:
    if by.role not in (Role.CITIZEN, Role.CLERK):
        return PermissionDenied("延续申请由持证人提出，或由发证部门的窗口人员代为录入")
    if licence.state != LicenceState.VALID:
        return IllegalTransition(f"证照当前状态为“{licence.state_label}”，不能申请延续",
                                 fields={"state": licence.state, "action": "renew"})
    deadline = renewal_deadline(licence)
    if deadline is None:
        return Conflict("本证照长期有效，无需延续", code=ErrorCode.NOT_RENEWABLE, fields={"valid_until": ""})
    if pending_renewal(licence) is not None:
        return Conflict("本证照的延续申请正在办理中", code=ErrorCode.RENEWAL_PENDING, fields={"renewal": "pending"})
    if day > deadline:
        return too_late(licence, deadline, day)
    return None


def renewal_refusal(licence: Licence, by: User | None, *, at: dt.datetime | None = None) -> DomainError | None:
    """Why `by` may not apply for the renewal of `licence` now, whatever they fill in — or None. Never raises."""
    if by is None or not kit.is_signed_in(by):
        return PermissionDenied("需要登录")
    return _refusal(licence, by, kit.moment(at)[1])


@composable
def apply_for_renewal(licence: Licence, *, by: User, item: ServiceItem | None = None, submit: bool = False,
                      at: dt.datetime | None = None) -> Renewal:
    """Apply for the renewal (延续申请) of a valid licence: a case of the licence's item (or of the same matter's
    renewal item, `selectors.renewal_items`) is opened through the case engine for the holder, as a draft to take
    its materials, or submitted at once with `submit`. Refused (409 `renewal_too_late`) later than 30 days before
    expiry (art. 50), or the item's lawful lead time; 409 `renewal_pending` while another renewal runs; 409
    `not_renewable` for a licence without a fixed validity; 404 outside the caller's scope."""
    kit.require_signed_in(by)
    licence = get_licence_for(by, licence.pk)
    when, day = kit.moment(at)
    error = _refusal(licence, by, day)
    if error is not None:
        raise error
    item = item or licence.item
    if not renewal_items(licence).filter(pk=item.pk).exists():
        raise InvalidInput(f"“{item.name}”不是本证照可以申请延续的事项", fields={"item_code": "not_for_renewal"})
    original: Case = licence.case
    applicant = case_acts.Applicant(kind=licence.holder_kind, name=licence.holder_name,
                                    id_number=licence.holder_id_number, mobile=original.applicant_mobile,
                                    legal_representative=original.legal_representative)
    channel = Channel.ONLINE if by.role == Role.CITIZEN else Channel.WINDOW
    case, _created = case_acts.create_case(by=by, item=item, applicant=applicant, channel=channel,
                                           applicant_user=licence.holder_user, at=when)
    deadline = renewal_deadline(licence)
    assert deadline is not None  # _refusal has refused a licence without a fixed validity
    renewal = Renewal.objects.create(licence=licence, case=case, latest_on=deadline, created_by=by, created_at=when)
    audit.record("licence.apply_renewal", obj=licence, by=by,
                 after={"case": case.number, "item": item.implementation_code, "latest_on": deadline.isoformat()})
    if submit:
        case_acts.submit_case(case, by=by, at=when)
        renewal.refresh_from_db()
    return renewal


def check_submission(renewal: Renewal, *, day: dt.date) -> None:
    """A renewal case may be submitted (the application made) only until the last day to apply."""
    if day > renewal.latest_on:
        raise too_late(renewal.licence, renewal.latest_on, day)


