"""Reads of the licence register: who sees which licences (the one scoping rule), a licence's history, terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import department_id_of
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.identity import mask_identity
from onewindow.core.kit import is_signed_in
from onewindow.core.models import AuditEvent, Role
from onewindow.licences.models import (
    STATUTORY_RENEWAL_LEAD_DAYS,
    Licence,
    LicenceState,
    LicenceTerm,
    Renewal,
    RenewalOutcome,
)
from onewindow.licences.validity import latest_renewal_day

DESK_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.LEADER})


def licences_visible_to(user: Any) -> QuerySet[Licence]:
    """The licences a user may see: a holder their own (持证人账号), desk staff their department's (发证部门),
    supervisors and admins every one; nobody else any."""
    licences = Licence.objects.select_related("department", "item", "case", "holder_user")
    if not is_signed_in(user):
        return licences.none()
    if user.is_center_wide:
        return licences
    if user.role == Role.CITIZEN:
        return licences.filter(holder_user_id=user.pk)
    department = department_id_of(user)
    if user.role in DESK_ROLES and department is not None:
        return licences.filter(department_id=department)
    return licences.none()


def list_licences(user: Any, *, state: str | None = None, number: str | None = None) -> QuerySet[Licence]:
    """The user's licences, newest first, optionally of one state or number; InvalidInput (422) on an unknown
    state."""
    licences = licences_visible_to(user)
    if state:
        if state not in LicenceState.values:
            raise InvalidInput(f"证照状态“{state}”无效", fields={"state": "choice"})
        licences = licences.filter(state=state)
    if number:
        licences = licences.filter(number=number.strip())
    # The renewals of every listed licence in one query, not one per row.
    return licences.prefetch_related(Prefetch("renewals", queryset=_renewals())).order_by("-id")


def get_licence_for(user: Any, licence_id: int) -> Licence:
    """One licence the user may see; NotFound (404) when it does not exist or is outside their scope."""
    licence = licences_visible_to(user).filter(pk=licence_id).first()
    if licence is None:
        raise NotFound("证照不存在或无权查看", fields={"licence_id": "not_found"})
    return licence


def holder_identity_for(licence: Licence, user: Any) -> str:
    """The holder's identity number or credit code: whole for desk staff of the issuing department, masked
    (5001**********123X) for everyone else, the holder included — the rule of `cases.selectors.identity_for`."""
    if is_signed_in(user) and user.role in DESK_ROLES and department_id_of(user) == licence.department_id:
        return licence.holder_id_number
    return mask_identity(licence.holder_id_number)


def licence_history(licence: Licence) -> QuerySet[AuditEvent]:
    """Every act on the licence from the audit chain (登记、提醒、延续、撤销、注销、过期), oldest first."""
    return AuditEvent.objects.filter(object_type="licences.licence", object_id=str(licence.pk)).order_by("id")


def _renewals() -> QuerySet[Renewal]:
    return Renewal.objects.select_related("case", "successor").order_by("id")


def renewals_of(licence: Licence) -> QuerySet[Renewal]:
    """The renewals of `licence`, oldest first; from the list's prefetch when `list_licences` read it."""
    if "renewals" in getattr(licence, "_prefetched_objects_cache", {}):
        return licence.renewals.all()
    return _renewals().filter(licence=licence)


def pending_renewal(licence: Licence) -> Renewal | None:
    return Renewal.objects.filter(licence=licence, outcome=RenewalOutcome.PENDING).select_related("case").first()


@dataclass(frozen=True)
class Term:
    """An item's licence validity and renewal lead time (see `LicenceTerm`)."""

    validity_years: int | None
    renewal_lead_days: int = STATUTORY_RENEWAL_LEAD_DAYS
    lead_days_basis: str = ""


def term_of(item: ServiceItem) -> Term:
    """The item's `LicenceTerm`; without one, `LICENCES_DEFAULT_VALIDITY_YEARS` (default none: 长期有效) and the
    30 days of art. 50."""
    term = LicenceTerm.objects.filter(item=item).first()
    if term is None:
        return Term(validity_years=getattr(settings, "LICENCES_DEFAULT_VALIDITY_YEARS", None) or None)
    return Term(validity_years=term.validity_years, renewal_lead_days=term.renewal_lead_days,
                lead_days_basis=term.lead_days_basis)


def renewal_deadline(licence: Licence) -> dt.date | None:
    """The last day to apply for the renewal of `licence` (None: no fixed validity, nothing to renew)."""
    if licence.valid_until is None:
        return None
    return latest_renewal_day(licence.valid_until, term_of(licence.item).renewal_lead_days)


def renewal_items(licence: Licence) -> QuerySet[ServiceItem]:
    """The published items a renewal of `licence` may be applied for under: the licence's own item and the items of
    the same matter (same basic code, e.g. its 延续 situation) of the issuing department."""
    return (ServiceItem.objects.filter(department_id=licence.department_id, published_version__isnull=False,
                                       basic_code=licence.item.basic_code)
            .select_related("published_version").order_by("implementation_code"))
