"""电子监察 of packages handled jointly: a package still undecided past its statutory date (45 working days, +15 when
extended; 行政许可法第四十二条第二款) raises an alert once per date — an inbox notice (and e-mail) to the center's
supervisors and the leaders of the theme's lead department — recorded on the package (`statutory_alert_on`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.cases.notifications import notify_on_commit, supervisors_and_leader_ids
from onewindow.core import audit
from onewindow.core.kit import service


def sweep_statutory_limits(*, today: dt.date | None = None) -> int:
    """Alert for every accepted package past its `legal_due_on` not yet alerted for that date; returns how many."""
    today = today or timezone.localdate()
    due = Package.objects.filter(state=PackageState.ACCEPTED, legal_due_on__lt=today).filter(
        Q(statutory_alert_on__isnull=True) | ~Q(statutory_alert_on=F("legal_due_on")))
    return sum(_alert(package_id) for package_id in list(due.values_list("pk", flat=True)))


@service
def _alert(package_id: int) -> bool:
    package = Package.objects.select_for_update().select_related("theme").get(pk=package_id)
    if package.legal_due_on is None or package.statutory_alert_on == package.legal_due_on:
        return False
    Package.objects.filter(pk=package.pk).update(statutory_alert_on=package.legal_due_on)
    audit.record("package.statutory_alert", obj=package, by=None,
                 after={"legal_due_on": package.legal_due_on.isoformat()})
    notify_on_commit(supervisors_and_leader_ids(package.theme.lead_department_id), case_id=None,
                     kind="package_statutory_overdue", title=f"电子监察：一件事 {package.number} 超过法定期限",
                     body=f"{package.theme.name}：法定办结日 {package.legal_due_on:%Y-%m-%d}（统一办理、联合办理45个工作日"
                          f"{'，已延长' if package.extension_days else ''}）已过，尚未全部决定。")
    return True
