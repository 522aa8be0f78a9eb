"""幂等键 (Idempotency-Key): a retried request answers its first result and writes nothing; the same key sent with a
different request is refused (409 `idempotency_key_reused`) and writes nothing either.

What a key created keeps the digest of the request that created it: the SHA-256 of its canonical form — the use-case
and every field it was given, files by their SHA-256 and name. A request with the same key is a replay exactly when
its digest is the same. Every use-case that honours a key (a case opened, a window intake, an online application,
a 一件事 package) follows this one rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import Model

from onewindow.cases import limits
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput

HEADER = "Idempotency-Key"  # the request's own name for the key: the errors about it name this field
HEADER_DESCRIPTION = (
    "幂等键（最长80个字符）：同一账号以同一个键重复发送相同的请求时，返回首次的结果（200），不再写入；同一个键用于"
    "不同的请求（字段或文件不同）时返回 409 idempotency_key_reused，不写入任何内容。")


def checked_key(value: str | None) -> str:
    """The key stripped; InvalidInput (422) when it is longer than the column keeps."""
    key = (value or "").strip()
    if len(key) > limits.IDEMPOTENCY_KEY:
        raise InvalidInput(f"Idempotency-Key 不能超过{limits.IDEMPOTENCY_KEY}个字符", fields={HEADER: "too_long"})
    return key


def file_fingerprint(content: bytes, filename: str) -> dict[str, str]:
    """A file as the digest sees it: its content's SHA-256 and its name."""
    return {"sha256": hashlib.sha256(content).hexdigest(), "name": filename or ""}


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(f"{type(value).__name__} has no canonical form")


def request_digest(use_case: str, fields: dict[str, Any]) -> str:
    """The SHA-256 of the request's canonical form: `use_case` and `fields` as sorted JSON (rows by their key,
    dates in ISO 8601, dataclasses by their fields, bytes by their SHA-256)."""
    canonical = json.dumps({"use_case": use_case, "fields": fields}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=_plain)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_replay(first_digest: str, digest: str, *, first: str) -> None:
    """Conflict (409 `idempotency_key_reused`) unless the request repeats the one that created `first`.

    A row written before digests were kept (`first_digest` empty) answers its first result, as it did then."""
    if first_digest and first_digest != digest:
        raise Conflict(f"Idempotency-Key 已用于另一个请求（{first}），与本次请求的内容不同；新的请求请换一个键",
                       code=ErrorCode.IDEMPOTENCY_KEY_REUSED, fields={HEADER: "reused"})
