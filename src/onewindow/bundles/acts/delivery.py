"""Finish and deliver once (一口办结): the package is decided when every item is, the applicant is told when every
result is ready, and every result is delivered together."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import check_window, clock_columns, desk_actor, fresh_case, move, tell
from onewindow.bundles.lifecycle import PackageState, package_transition
from onewindow.bundles.models import Package
from onewindow.cases import acts as case_acts
from onewindow.cases.lifecycle import State
from onewindow.cases.models import DeliveryMethod
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.identity import same_code
from onewindow.core.models import User
from onewindow.workdays.selectors import get_calendar

# Sub-case states whose result is still to be issued.
RESULT_PENDING = (State.APPROVED, State.DENIED)


def finish_if_decided(package: Package, *, when: dt.datetime) -> None:
    """Every item decided (or ended without a decision): the package is decided, its clock stops, the applicant
    gets the report of approved and not approved items, and the results-ready notice if nothing is pending."""
    accepted_on = package.accepted_on
    if package.state != PackageState.ACCEPTED or accepted_on is None:
        return
    subs = selectors.sub_cases_of(package)
    if not all(s.case.state in selectors.ENDED_STATES for s in subs):
        return
    day = max([timezone.localdate(when)] + [s.case.decided_on for s in subs if s.case.decided_on])
    days = get_calendar().working_days_between(accepted_on, day) if day >= accepted_on else 0
    move(package, "finish", by=None, changes={"finished_on": day, "working_days": days, **clock_columns(package, None)})
    report = selectors.package_report(subs)
    lines = [f"准予许可：{'、'.join(r['item'] for r in report['approved']) or '无'}"]
    for row in report["not_approved"]:
        lines.append(f"{row['item']}：{row['state_label']}（{row['reason'] or '—'}）")
    tell(package, "package_decided", "全部事项已办理完毕", "；".join(lines) + "。结果将统一送达。")
    results_ready(package)


def results_ready(package: Package) -> None:
    """Once every result is issued, once: a pick-up code for the one collection, or the promise of one post."""
    subs = selectors.sub_cases_of(package)
    if any(s.case.state in RESULT_PENDING for s in subs) or package.pickup_code:
        return
    if package.delivery_method == DeliveryMethod.PICKUP:
        code = f"{secrets.randbelow(1_000_000):06d}"
        Package.objects.filter(pk=package.pk).update(pickup_code=code)
        package.pickup_code = code
        # The code itself stays out of the audit chain: whoever reads the chain must not be able to collect.
        audit.record("package.results_ready", obj=package, by=None, after={"pickup_code_set": True})
        tell(package, "package_results_ready", "结果已全部出具", f"请凭取件码 {code} 到窗口一次领取全部结果（一口办结）。")
    else:
        audit.record("package.results_ready", obj=package, by=None, after={"pickup_code_set": False})
        tell(package, "package_results_ready", "结果已全部出具", "全部结果将一次免费邮寄给您。")


@kit.composable
def deliver_package(
    package: Package, *, by: User, method: str | None = None, pickup_code: str = "", tracking_number: str = "",
    postal_address: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Package:
    """Deliver every result together (一口办结): by pick-up with the package's code, or by free post."""
    check_window(by, package)
    kit.check_version(package, expected_version)
    package_transition("deliver", package.state)
    when, day = kit.moment(at)
    method = method or package.delivery_method
    if method not in (DeliveryMethod.PICKUP, DeliveryMethod.POST):
        raise InvalidInput("送达方式应为窗口领取（pickup）或免费邮寄（post）", fields={"method": "choice"})
    subs = selectors.sub_cases_of(package)
    waiting = [s.theme_item.item.name for s in subs if s.case.state in RESULT_PENDING]
    if waiting:
        raise Conflict(f"以下事项的结果尚未出具，不能统一送达：{'、'.join(waiting)}", code=ErrorCode.RESULTS_PENDING,
                       fields={"items": "、".join(waiting)})
    changes: dict[str, Any] = {"delivery_method": method, "delivered_at": when, "delivered_on": day}
    if method == DeliveryMethod.PICKUP:
        if not same_code(package.pickup_code, pickup_code):
            raise InvalidInput("取件码不正确", code=ErrorCode.WRONG_PICKUP_CODE, fields={"pickup_code": "mismatch"})
    else:
        changes["postal_address"] = kit.require_text(postal_address or package.postal_address, "postal_address",
                                                     "邮寄地址", 300)
        changes["tracking_number"] = kit.require_text(tracking_number, "tracking_number", "快递单号", 40)
    issued = [s for s in subs if s.case.state == State.RESULT_ISSUED]
    # The package is delivered first; its sub-cases follow in the same transaction.
    move(package, "deliver", by=by, changes=changes, extra={"cases": [s.case.number for s in issued]})
    for sub in issued:
        case = fresh_case(sub.case_id)
        if case.state != State.RESULT_ISSUED:
            continue
        case_acts.deliver_case(case, by=desk_actor(by, case), method=method, pickup_code=case.pickup_code,
                               tracking_number=changes.get("tracking_number", ""),
                               postal_address=changes.get("postal_address", ""), at=when)
    how = "窗口领取" if method == DeliveryMethod.PICKUP else f"免费邮寄（快递单号 {changes['tracking_number']}）"
    tell(package, "package_delivered", "已办结", f"全部结果已统一送达（{how}），感谢您的办理。")
    return package
