"""Documents issued and inbox notices: the audit record of a printed notice, a notice marked read."""

from __future__ import annotations

import datetime as dt

from onewindow.cases.models import (
    Case,
    Notice,
)
from onewindow.core import audit, kit
from onewindow.core.errors import NotFound
from onewindow.core.kit import composable
from onewindow.core.models import User


@composable
def record_document_issued(
    case: Case, *, by: User | None, kind: str, sha256: str = "", filename: str = ""
) -> None:
    """Append 'document issued' to the audit chain (受理通知书、补正告知书、决定书…), for the documents module."""
    kind = kit.require_text(kind, "kind", "文书类型")
    audit.record("case.document_issued", obj=case, by=by,
                 after={"kind": kind[:64], "sha256": sha256, "filename": filename[:200]})


@composable
def mark_notice_read(notice: Notice, *, by: User, at: dt.datetime | None = None) -> Notice:
    """Mark an inbox message read (已读), once; only its recipient may (else NotFound, 404). Audited: a notice that
    was read is on record as reaching its recipient."""
    kit.require_signed_in(by)
    if notice.recipient_id != by.pk:
        raise NotFound("消息不存在")
    if notice.read_at is None:
        when, _ = kit.moment(at)
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=when):
            notice.read_at = when
            audit.record("notice.read", obj=notice, by=by, after={"case": notice.case_id, "kind": notice.kind})
    return notice
