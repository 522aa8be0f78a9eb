"""The register's daily work (the scheduler's job `licences.sweep`): renewals deemed granted (art. 50), expiries,
and reminders before expiry — each judged on a Beijing date, each done once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef

from onewindow.cases.lifecycle import State
from onewindow.core import audit, kit
from onewindow.core.kit import composable
from onewindow.licences import validity
from onewindow.licences.acts.base import tell_holder
from onewindow.licences.acts.register import deem_renewed, expire_licence
from onewindow.licences.models import ExpiryReminder, Licence, LicenceState, Renewal, RenewalOutcome
from onewindow.licences.selectors import renewal_deadline

# A renewal still before its department's decision: submitted (acceptance pending or deemed), accepted, in
# review or in a special procedure. One waiting for the applicant's correction is not: the delay is the applicant's.
UNDECIDED = (State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED)


def reminder_days() -> list[int]:
    """`LICENCES_REMINDER_DAYS` (default 60 and 30), largest first."""
    return sorted({int(d) for d in getattr(settings, "LICENCES_REMINDER_DAYS", (60, 30)) if int(d) > 0},
                  reverse=True)


@composable
def deem_overdue_renewals(*, at: dt.datetime | None = None) -> int:
    """Every renewal applied for in time and not decided by the licence's last day of validity is deemed granted
    the day after (art. 50). Returns how many."""
    _when, today = kit.moment(at)
    renewals = (Renewal.objects.select_related("licence", "licence__item", "case", "case__item")
                .filter(outcome=RenewalOutcome.PENDING, applied_on__isnull=False, case__state__in=UNDECIDED,
                        licence__state=LicenceState.VALID, licence__valid_until__lt=today)
                .order_by("id"))
    count = 0
    for renewal in renewals:
        deem_renewed(renewal, at=at)
        count += 1
    return count


@composable
def expire_licences(*, at: dt.datetime | None = None) -> int:
    """Every valid licence past its last day of validity expires (after the deemed renewals have been taken).
    Returns how many."""
    _when, today = kit.moment(at)
    count = 0
    for licence in Licence.objects.filter(state=LicenceState.VALID, valid_until__lt=today).order_by("id"):
        expire_licence(licence, at=at)
        count += 1
    return count


def _reminder_text(licence: Licence, today: dt.date) -> str:
    assert licence.valid_until is not None
    left = (licence.valid_until - today).days
    text = f"您的{licence.name}（编号 {licence.number}）有效期至 {licence.valid_until}，还有 {left} 天到期。"
    deadline = renewal_deadline(licence)
    if deadline is not None and today <= deadline:
        text += f"如需延续，请于 {deadline} 前提出延续申请（《中华人民共和国行政许可法》第五十条）。"
    else:
        text += "已过延续申请期限，到期后如需继续从事相关活动，请重新申请许可。"
    return text


@composable
def send_expiry_reminders(*, at: dt.datetime | None = None) -> int:
    """Remind each holder of a valid licence `LICENCES_REMINDER_DAYS` days before expiry, once for each number of
    days (a day missed by the scheduler is caught up with one notice for the nearest). Not while a submitted
    renewal runs. Returns how many notices."""
    _when, today = kit.moment(at)
    days = reminder_days()
    if not days:
        return 0
    running = Renewal.objects.filter(licence=OuterRef("pk"), outcome=RenewalOutcome.PENDING,
                                     applied_on__isnull=False)
    candidates = (Licence.objects.filter(state=LicenceState.VALID, valid_until__gte=today,
                                         valid_until__lte=today + dt.timedelta(days=days[0]))
                  .exclude(Exists(running)).select_related("item").order_by("id"))
    sent = 0
    for licence in candidates:
        assert licence.valid_until is not None
        done = set(ExpiryReminder.objects.filter(licence=licence).values_list("days_before", flat=True))
        due = [d for d in days if d not in done and validity.reminder_due(licence.valid_until, today, d)]
        if not due:
            continue
        ExpiryReminder.objects.bulk_create(ExpiryReminder(licence=licence, days_before=d, sent_on=today) for d in due)
        audit.record("licence.remind", obj=licence, by=None,
                     after={"days_before": due, "valid_until": licence.valid_until.isoformat(),
                            "sent_on": today.isoformat()})
        tell_holder(licence, "licence_expiring", "证照即将到期", _reminder_text(licence, today))
        sent += 1
    return sent
