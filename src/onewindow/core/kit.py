"""The service kit (服务工具): what every write of every app does the same way.

- `service(act)` publishes a composable act as a public service, the outermost transaction
  (`atomic(durable=True)`); `composable` marks an act that runs inside a caller's transaction; `each(act)` is the
  act done to several rows together, all or none (a bulk delete). Views, the API,
  admin actions, commands and the demo call services; one app composing another's acts (a package driving
  its sub-cases) calls the acts, so the whole use-case commits or rolls back as one.
- `moment(at)`: the instant of an act and its Beijing date; `at` back-dates an act (demo, imports).
- `require_text`, `require_signed_in`, `require_role`: the checks every service starts with.
- `versioned_update(obj, …)`: the optimistic lock (409 `version_conflict` when someone changed the row since it
  was read), the `version` bump and the audit event, for every model with a `version` column.
- `next_in_sequence(name, day)`: one daily sequence table for every numbered thing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, NotAuthenticated, PermissionDenied, VersionConflict
from onewindow.core.identity import clean_text
from onewindow.core.models import DailySequence

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Model)

# The largest value a daily sequence gives: numbers carry it in six digits.
SEQUENCE_MAX = 999_999


# -- transactions ------------------------------------------------------------------------------------------
def composable(act: Callable[P, R]) -> Callable[P, R]:
    """Mark an act that composes inside its caller's transaction; calling it outside one is a programming error."""

    @functools.wraps(act)
    def inside(*args: P.args, **kwargs: P.kwargs) -> R:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{act.__module__}.{act.__qualname__} runs inside a service's transaction; "
                               "call its public service instead")
        return act(*args, **kwargs)

    inside.composable = True  # type: ignore[attr-defined]
    return inside


def service(act: Callable[P, R]) -> Callable[P, R]:
    """Publish `act` as a public service: the same function as the outermost, durable transaction.

    Calling a public service inside another transaction raises RuntimeError (Django's durable check): compose
    the act instead, so that nobody mistakes a nested call for a committed one.
    """

    @functools.wraps(act)
    def public(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return act(*args, **kwargs)

    public.act = act  # type: ignore[attr-defined]
    return public


def each(act: Callable[..., Any]) -> Callable[..., int]:
    """The composable act that does `act` to each of several rows together (批量), in the caller's transaction, all
    or none: `each(act)(rows, **kwargs)` calls `act(row, **kwargs)` row by row and returns how many rows it did."""

    def on_each(rows: Iterable[Any], **kwargs: Any) -> int:
        count = 0
        for row in rows:
            act(row, **kwargs)
            count += 1
        return count

    on_each.__module__ = act.__module__
    on_each.__name__ = on_each.__qualname__ = f"each({act.__qualname__})"
    on_each.__doc__ = f"{act.__qualname__} for each of several rows, all or none; returns how many."
    return composable(on_each)


# -- moment and checks --------------------------------------------------------------------------------------
def moment(at: dt.datetime | None = None) -> tuple[dt.datetime, dt.date]:
    """The instant of an act (aware) and its date in Beijing (Asia/Shanghai); `at` back-dates it, default now."""
    when = at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when, timezone.localdate(when)


def require_text(value: str | None, field: str, label: str, max_length: int = 2000) -> str:
    """`value` stripped of spaces and invisible characters at its ends (`identity.clean_text`); InvalidInput (422,
    `fields[field]` = required / too_long) when empty — or only invisible characters — or too long."""
    text = clean_text(value or "")
    if not text:
        raise InvalidInput(f"请填写{label}", fields={field: "required"})
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符", fields={field: "too_long"})
    return text


def is_signed_in(user: Any) -> bool:
    """A real, active account (not None, not anonymous, not deactivated)."""
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def require_signed_in(by: Any) -> None:
    """NotAuthenticated (401) unless `by` is a signed-in, active account."""
    if not is_signed_in(by):
        raise NotAuthenticated("需要登录")


def require_role(by: Any, roles: Collection[str], message: str) -> None:
    """Signed in and holding one of `roles` (superusers always pass); else PermissionDenied (403, `message`)."""
    require_signed_in(by)
    if not (by.is_superuser or by.role in roles):
        raise PermissionDenied(message)


# -- the versioned update -----------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """A value as the audit chain keeps it: rows by their key, dates in ISO 8601, files by their stored name."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def check_version(obj: Model, expected_version: int | None) -> None:
    """VersionConflict (409) when the caller acted on a view of `obj` older than the stored one."""
    current = obj.version  # type: ignore[attr-defined]
    if expected_version is not None and expected_version != current:
        raise VersionConflict(
            f"{obj._meta.verbose_name}已被更新（当前版本 {current}，请求基于版本 {expected_version}），请刷新后重试",
            fields={"version": str(current)},
        )


def versioned_update(
    obj: M, *, action: str, by: Any, changes: dict[str, Any], reason: str = "", extra: dict[str, Any] | None = None,
) -> M:
    """Write `changes` only if nobody changed `obj` since it was read, bump `version`, append to the audit chain.

    The audit action is `<model name>.<action>` (`case.accept`, `package.deliver`) with before → after of the
    changed fields plus `extra`. Raises VersionConflict (409) when the row moved on; nothing is written then.
    """
    model = type(obj)
    before = values_before(obj, changes)
    updated = model._default_manager.filter(pk=obj.pk, version=obj.version).update(  # type: ignore[attr-defined]
        version=F("version") + 1, **changes)
    if updated != 1:
        raise VersionConflict(f"{model._meta.verbose_name}刚被他人更新，本次操作未生效，请刷新后重试")
    apply_in_memory(obj, changes)
    record_update(obj, action=action, by=by, before=before, changes=changes, reason=reason, extra=extra)
    return obj


def values_before(obj: Model, changes: dict[str, Any]) -> dict[str, Any]:
    """The values `changes` will replace, as the audit chain keeps them (`plain`)."""
    return {key: plain(getattr(obj, key)) for key in changes}


def apply_in_memory(obj: Model, changes: dict[str, Any]) -> None:
    """Set `changes` on `obj` and move it to its next version, as `versioned_update` does after writing them —
    for a row written with them already (a new row inserted as it stands after its first act)."""
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.version += 1  # type: ignore[attr-defined]


def record_update(
    obj: Model, *, action: str, by: Any, before: dict[str, Any], changes: dict[str, Any], reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """The audit event of a versioned update (`<model name>.<action>`, before → after of the changed fields plus
    `extra`), appended to the chain — the one `versioned_update` appends."""
    after = {key: plain(value) for key, value in changes.items()} | (extra or {})
    audit.record(f"{type(obj)._meta.model_name}.{action}", obj=obj, by=by, before=before, after=after, reason=reason)


# -- daily sequences ----------------------------------------------------------------------------------------
def next_in_sequence(name: str, day: dt.date, *, limit: int = SEQUENCE_MAX) -> int:
    """The next value (from 1) of the daily sequence `name` on `day` (每日流水号), taken under its row lock.

    One upsert that returns the new value, on PostgreSQL and SQLite alike: two clerks numbering at once wait
    for each other on this one row, never on the whole table, and never get the same value. Raises Conflict
    (409 `number_exhausted`) past `limit`; the caller's transaction then rolls the value back.
    """
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, day, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (name, day) DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [name, day],
        )
        value = int(cursor.fetchone()[0])
    if value > limit:
        raise Conflict(f"{day:%Y-%m-%d} 的编号已用完（{name}）", code=ErrorCode.NUMBER_EXHAUSTED)
    return value
