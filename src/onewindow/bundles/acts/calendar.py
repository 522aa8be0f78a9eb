"""The calendar changed (工作日历调整): a package's own working-day dates are counted again in the transaction of the
holiday edit (`workdays.events.calendar_changed`); its sub-cases are counted by the case engine's receiver.

The package's promised date (承诺办结日, `promised_days` working days from acceptance), its light (the yellow-from
day while its clock runs) and, once decided, the working days it took (实际用时) depend on the days between its
acceptance and those dates. Each package that moved is one audited `package.recount` at its version; its applicant
is told after commit while the promised date is still ahead.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from onewindow.bundles.acts.base import clock_columns, tell
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.core import kit
from onewindow.workdays.events import CalendarChanged
from onewindow.workdays.selectors import get_calendar


def recount(package: Package) -> dict[str, Any]:
    """The package's stored working-day dates counted again on the calendar in force: only those that differ."""
    if package.accepted_on is None:
        return {}
    calendar = get_calendar()
    target: dict[str, Any] = {"due_on": calendar.due_date(package.accepted_on, package.promised_days)}
    if package.clock_due_on is not None:
        target.update(clock_columns(package, target["due_on"]))
    if package.finished_on is not None and package.working_days is not None:
        target["working_days"] = (calendar.working_days_between(package.accepted_on, package.finished_on)
                                  if package.finished_on >= package.accepted_on else 0)
    return {key: value for key, value in target.items() if getattr(package, key) != value}


def on_calendar_changed(event: CalendarChanged) -> None:
    """Receiver of `workdays.events.calendar_changed`, inside the edit's transaction: recount every package
    accepted before the last changed day whose promised date or decision is on or after the first."""
    rows = Package.objects.filter(accepted_on__lte=event.last).filter(
        Q(due_on__gte=event.first) | Q(finished_on__gte=event.first)).select_related("theme").order_by("pk")
    for package in rows.select_for_update(of=("self",)):
        changes = recount(package)
        if not changes:
            continue
        before = package.due_on
        kit.versioned_update(package, action="recount", by=event.by, changes=changes,
                             reason=f"工作日历调整：{event.describe()}", extra={"calendar": event.action})
        if "due_on" in changes and before and package.state == PackageState.ACCEPTED:
            tell(package, "calendar_changed", "期限调整",
                 f"因国家节假日安排（工作日历）调整，承诺办结日 {before:%Y-%m-%d} → {package.due_on:%Y-%m-%d}。")
