"""Files kept across a refused form (暂存上传): a file chosen on the online application, the window intake or the
corrections is checked as any material is (type by content, size) and kept for the person who chose it, so the form
shown again has it attached; a successful submit consumes it, and unclaimed files expire.

A staged file is input still being typed, not a fact of any case: it is not on the audit chain (the material it
becomes is, with its sha256, when the submit succeeds)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.files.storage import default_storage

from onewindow.cases.models import StagedUpload
from onewindow.cases.uploads import check_upload, files_discarded_on_failure, store
from onewindow.core import kit
from onewindow.core.kit import composable
from onewindow.core.models import User

STAGED_HOURS = 24  # how long a chosen file waits for the form to be submitted again


def _delete(rows: Iterable[StagedUpload]) -> int:
    rows = list(rows)
    for row in rows:
        if row.file.name:
            default_storage.delete(row.file.name)
    StagedUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


@composable
def stage_upload(*, by: User, content: bytes, filename: str, at: dt.datetime | None = None) -> StagedUpload:
    """Keep one chosen file for `by` (signed in) for `STAGED_HOURS`: checked as a material is (InvalidUpload, 422:
    empty, too large, not a PDF/JPEG/PNG/OFD by content, content and extension disagree); expired files go."""
    kit.require_signed_in(by)
    checked = check_upload(content, filename)
    when, _day = kit.moment(at)
    _delete(StagedUpload.objects.filter(expires_at__lte=when)[:100])
    token = secrets.token_urlsafe(24)
    with files_discarded_on_failure():
        name = store(f"cases/staged/{token}{checked.extension}", checked.content)
        return StagedUpload.objects.create(
            token=token, owner=by, file=name, original_name=(filename or "")[:200], content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, created_at=when,
            expires_at=when + dt.timedelta(hours=STAGED_HOURS))


@composable
def discard_staged(*, by: User, tokens: Iterable[str]) -> int:
    """Drop `by`'s staged files named by `tokens` (removed from the form, or consumed by a successful submit);
    another person's tokens are ignored. Returns how many went."""
    kit.require_signed_in(by)
    wanted = [t for t in tokens if t]
    if not wanted:
        return 0
    return _delete(StagedUpload.objects.filter(owner=by, token__in=wanted))
