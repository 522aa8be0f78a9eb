"""Refuse once (不予受理): the package closes, and every sub-case with it, for the same reason."""

from __future__ import annotations

import datetime as dt

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import check_window, desk_actor, fresh_case, move, tell
from onewindow.bundles.lifecycle import package_transition
from onewindow.bundles.models import Package, PackageCorrection
from onewindow.cases import acts as case_acts
from onewindow.cases.lifecycle import State
from onewindow.core import kit
from onewindow.core.models import User


@kit.composable
def refuse_package(
    package: Package, *, by: User, reason: str, legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Package:
    """Refuse to accept the package (不予受理): every sub-case is refused or withdrawn with the same reason."""
    check_window(by, package)
    kit.check_version(package, expected_version)
    package_transition("refuse", package.state)
    reason = kit.require_text(reason, "reason", "不予受理理由")
    when, _ = kit.moment(at)
    # The package closes first: the reactions to its sub-cases' refusals then leave it, and them, to this act.
    move(package, "refuse", by=by, changes={"closed_reason": reason}, reason=reason)
    PackageCorrection.objects.filter(package=package, resolved_at__isnull=True).update(resolved_at=when)
    for sub in selectors.sub_cases_of(package):
        case = fresh_case(sub.case_id)
        if case.state == State.SUBMITTED:
            case_acts.refuse_case(case, by=desk_actor(by, case), reason=reason, legal_basis=legal_basis, at=when)
        elif case.state in (State.DRAFT, State.CORRECTION_REQUESTED):
            case_acts.withdraw_case(case, by=desk_actor(by, case), reason=f"一件事不予受理：{reason}", at=when)
    tell(package, "package_refused", "不予受理", f"理由：{reason}")
    return package
