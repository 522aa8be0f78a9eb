"""How a package follows its sub-cases: receivers of the case engine's declared events (`cases.events`), connected
in `BundlesConfig.ready()` to run inside the act's transaction, so that a package never disagrees with its cases.

Whoever caused the case act — a department, the applicant, or this app's own package acts — the reaction is the
same, and correct:

- every receiver first looks the case up among the sub-cases (one indexed query) and returns at once for a case
  on its own: a plain case's act never runs package code;
- the package row is locked and re-read at every level, so a reaction never writes an outdated package version,
  and two departments deciding the last two items at once finish the package exactly once;
- a package act moves the package first and then drives its sub-cases: a package that is no longer in progress
  (refused, decided, delivered) is left alone by the reactions, its act handles its sub-cases;
- a sub-case is re-read before each act on it: a reaction one level down may already have moved it.
"""

from __future__ import annotations

import datetime as dt

from onewindow.bundles.acts import acceptance, delivery
from onewindow.bundles.acts.base import WAITING_STATES, agent_for, fresh_case, locked
from onewindow.bundles.acts.correction import gather_case_correction
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases.events import CaseDecided, CaseEvent, CorrectionRequested
from onewindow.cases.models import Case

# Package states in which its sub-cases' decisions still start or stop other items.
IN_PROGRESS = frozenset({PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED, PackageState.ACCEPTED})


def sub_case_of(case: Case) -> SubCase | None:
    """The package link of `case`, None for a case on its own (one query on the unique case column)."""
    return SubCase.objects.select_related("theme_item__item").filter(case_id=case.pk).first()


def on_case_decided(payload: CaseDecided) -> None:
    """Receiver of `case_decided`: an approved item starts what waited for it, a denied one stops it."""
    _follow_decision(payload.case, approved=payload.approved, when=payload.at)


def on_case_ended(payload: CaseEvent) -> None:
    """Receiver of `case_refused`, `case_withdrawn`, `case_terminated`: the item will never be approved."""
    _follow_decision(payload.case, approved=False, when=payload.at)


def on_correction_requested(payload: CorrectionRequested) -> None:
    """Receiver of `correction_requested`: the sub-case's notice joins the package's one notice."""
    sub = sub_case_of(payload.case)
    if sub is None:
        return
    gather_case_correction(locked(sub.package_id), case=payload.case, notice=payload.notice, by=payload.by)


def on_result_issued(payload: CaseEvent) -> None:
    """Receiver of `result_issued`: when the last result of a decided package is issued, tell the applicant."""
    sub = sub_case_of(payload.case)
    if sub is None:
        return
    package = locked(sub.package_id)
    if package.state == PackageState.DECIDED:
        delivery.results_ready(package)


def _follow_decision(case: Case, *, approved: bool, when: dt.datetime) -> None:
    sub = sub_case_of(case)
    if sub is None:
        return
    package = locked(sub.package_id)
    if package.state not in IN_PROGRESS:
        return
    if approved:
        if package.state == PackageState.ACCEPTED:
            acceptance.start_dependents(sub, when=when)
    else:
        _stop_dependents(sub, when=when)
    # A withdrawal one level down reacted in turn, and may have finished the package already.
    package.refresh_from_db()
    delivery.finish_if_decided(package, when=when)


def _stop_dependents(sub: SubCase, *, when: dt.datetime) -> None:
    """Items that need a result which will not come cannot be handled: their waiting sub-cases are withdrawn.

    Each withdrawal sends `case_withdrawn`, whose reaction stops the next level in turn.
    """
    reason = f"前置事项“{sub.theme_item.item.name}”未获许可，本事项无法办理"
    for case_id in SubCase.objects.filter(requires=sub).order_by("order", "id").values_list("case_id", flat=True):
        case = fresh_case(case_id)
        if case.state in WAITING_STATES:
            case_acts.withdraw_case(case, by=agent_for(case.department), reason=reason, at=when)
