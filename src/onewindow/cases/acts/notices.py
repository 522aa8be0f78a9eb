"""Copies of a case's documents and inbox notices: the audit record of a printed copy, a notice marked read.

A notice is issued by its act — 受理通知书 by `accept`, 补正材料通知书 by `request_correction`, a decision by `approve`
or `deny`… (`documents.ISSUING_ACTS`), audited once as that act under the person who performed it. Printing or
downloading a copy later is another fact: who took a copy of which document, never who issued it."""

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
def record_document_printed(
    case: Case, *, by: User | None, kind: str, sha256: str = "", filename: str = ""
) -> None:
    """Append 'a copy printed' (打印文书副本) to the audit chain: `by` printed or downloaded a copy of the case's
    document `kind` (a `documents.NoticeKind`), with the copy's sha256 and file name. It names who took the copy,
    never the issuer: the issuer is the person of the act that issued the document (`documents.ISSUING_ACTS`)."""
    kind = kit.require_text(kind, "kind", "文书类型")
    audit.record("case.document_printed", obj=case, by=by,
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
