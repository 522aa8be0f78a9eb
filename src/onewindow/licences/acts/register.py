"""The register's own entries: a licence issued on an approval (证照登记), a renewal granted by the issued licence
of its case or deemed by law (art. 50), a licence's expiry."""

from __future__ import annotations

import datetime as dt

from onewindow.cases.models import Case
from onewindow.core import kit
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.licences import validity
from onewindow.licences.acts.base import ART_50, create_entry, move, tell_department, tell_holder
from onewindow.licences.models import Licence, LicenceState, Renewal, RenewalOutcome
from onewindow.licences.selectors import term_of


def _name_of(case: Case) -> str:
    version = case.item_version
    return version.result_name or version.name


@composable
def register_licence(case: Case, *, by: User | None = None, at: dt.datetime | None = None) -> Licence:
    """Enter the licence of an approved case's issued result in the register: valid from the day of issue for the
    item's validity (`term_of`), or without a fixed term."""
    when, day = kit.moment(at)
    years = term_of(case.item).validity_years
    return create_entry(case=case, number=case.licence_number, name=_name_of(case), item_id=case.item_id,
                        holder_of=case, issued_on=day, valid_from=day,
                        valid_until=validity.valid_until(day, years), when=when, by=by)


def _renewal_years(renewal: Renewal) -> int | None:
    """The renewed period: the renewal item's term, else the licence's item's, else as long as the old period."""
    old = renewal.licence
    years = term_of(renewal.case.item).validity_years or term_of(old.item).validity_years
    if years or old.valid_until is None:
        return years
    return max(1, round(((old.valid_until - old.valid_from).days + 1) / 365.25))


def _continue(old: Licence, *, renewal: Renewal, number: str, name: str, day: dt.date, when: dt.datetime,
              by: User | None, deemed: bool, reason: str, basis: str) -> Licence:
    """The successor entry of `old` for the renewed period (from the day after `old` expires), `old` renewed."""
    start = old.valid_until + dt.timedelta(days=1) if old.valid_until else day
    successor = create_entry(case=renewal.case, number=number, name=name, item_id=old.item_id, holder_of=old,
                             issued_on=day, valid_from=start, valid_until=validity.valid_until(start,
                                                                                               _renewal_years(renewal)),
                             when=when, by=by, renewed_from=old, deemed=deemed)
    if old.state in (LicenceState.VALID, LicenceState.EXPIRED):
        move(old, action="renew", by=None, when=when, reason=reason, basis=basis,
             extra={"successor": successor.pk, "case": renewal.case.number})
    return successor


@composable
def renew_by_issued_result(renewal: Renewal, *, by: User | None, at: dt.datetime | None = None) -> Licence:
    """An approved renewal's licence was issued (准予延续): the licence continues in a new entry with the issued
    number. After a deemed renewal the issued document takes the deemed entry's place for the same period."""
    when, day = kit.moment(at)
    case = renewal.case
    name = _name_of(case)
    if renewal.outcome == RenewalOutcome.DEEMED and renewal.successor is not None:
        deemed = renewal.successor
        successor = create_entry(case=case, number=case.licence_number, name=name, item_id=deemed.item_id,
                                 holder_of=deemed, issued_on=day, valid_from=deemed.valid_from,
                                 valid_until=deemed.valid_until, when=when, by=by, renewed_from=deemed)
        if deemed.state in (LicenceState.VALID, LicenceState.EXPIRED):
            move(deemed, action="renew", by=None, when=when, reason="准予延续决定作出，换发证照",
                 extra={"successor": successor.pk, "case": case.number})
    else:
        successor = _continue(renewal.licence, renewal=renewal, number=case.licence_number, name=name, day=day,
                              when=when, by=by, deemed=False, reason=f"准予延续（办件 {case.number}）", basis="")
    Renewal.objects.filter(pk=renewal.pk).update(outcome=RenewalOutcome.RENEWED, successor=successor, settled_at=when)
    tell_holder(successor, "licence_renewed", "证照已延续",
                f"您的{successor.name}已准予延续，新证照编号 {successor.number}，有效期 {successor.valid_from} 至 "
                f"{successor.valid_until or '长期'}。")
    return successor


@composable
def deem_renewed(renewal: Renewal, *, at: dt.datetime | None = None) -> Licence:
    """The department did not decide on a renewal applied for in time before the licence expired: the renewal is
    deemed granted (视为准予延续, art. 50), recorded as a new entry with the same number, and the holder and the
    department are told."""
    when, day = kit.moment(at)
    old = renewal.licence
    reason = f"延续申请（办件 {renewal.case.number}）在有效期届满前未作决定，视为准予延续"
    successor = _continue(old, renewal=renewal, number=old.number, name=old.name, day=day, when=when, by=None,
                          deemed=True, reason=reason, basis=ART_50)
    Renewal.objects.filter(pk=renewal.pk).update(outcome=RenewalOutcome.DEEMED, successor=successor, settled_at=when)
    renewal.outcome, renewal.successor = RenewalOutcome.DEEMED, successor
    body = (f"{reason}（{ART_50}）。延续后有效期 {successor.valid_from} 至 {successor.valid_until or '长期'}。")
    tell_holder(successor, "licence_deemed_renewed", "视为准予延续", body)
    tell_department(successor, "licence_deemed_renewed", "延续申请逾期未决定，视为准予延续", body)
    return successor


@composable
def expire_licence(licence: Licence, *, at: dt.datetime | None = None) -> Licence:
    """A licence past its last day of validity expires (到期失效); a renewal never submitted ends with it."""
    when, _day = kit.moment(at)
    move(licence, action="expire", by=None, when=when, reason=f"有效期至 {licence.valid_until} 届满")
    Renewal.objects.filter(licence=licence, outcome=RenewalOutcome.PENDING, applied_on__isnull=True).update(
        outcome=RenewalOutcome.ENDED, settled_at=when)
    tell_holder(licence, "licence_expired", "证照已过期",
                f"您的{licence.name}有效期已于 {licence.valid_until} 届满，证照已失效。")
    return licence
