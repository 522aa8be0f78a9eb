"""Notices to people (站内消息 and e-mail), written and sent only after the act that causes them has committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q

from onewindow.cases.models import Notice
from onewindow.core.events import after_commit
from onewindow.core.models import Role, User

log = logging.getLogger(__name__)


def deliver_notices(recipient_ids: Iterable[int], *, case_id: int | None, kind: str, title: str, body: str) -> int:
    """Write the inbox rows and send the e-mails now; returns how many people were notified."""
    recipients = list(User.objects.filter(pk__in=set(recipient_ids), is_active=True))
    Notice.objects.bulk_create(
        Notice(recipient=user, case_id=case_id, kind=kind, title=title, body=body) for user in recipients
    )
    emails = [u.email for u in recipients if u.email]
    if emails:
        try:
            send_mail(title, body, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=False)
        except Exception:  # noqa: BLE001 - a mail outage must not lose the inbox rows already written
            log.exception("case notice e-mail failed: %s", title)
    return len(recipients)


def notify_on_commit(recipient_ids: Iterable[int], *, case_id: int | None, kind: str, title: str, body: str) -> None:
    """Queue the notice for after the current transaction commits (nothing is sent if it rolls back)."""
    ids = [i for i in recipient_ids if i]
    if not ids:
        return
    after_commit(lambda: deliver_notices(ids, case_id=case_id, kind=kind, title=title, body=body),
                 what=f"notice {kind}: {title}")


def supervisors_and_leader_ids(department_id: int) -> list[int]:
    """The department's leaders and the center's supervisors: who receives 电子监察 alerts."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.SUPERVISOR) | Q(role=Role.LEADER, assignment__department_id=department_id))
        .values_list("pk", flat=True)
    )
