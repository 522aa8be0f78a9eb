"""Rows that rarely change, kept in each process's memory (进程内缓存), and dropped when they change.

A request reads the same few rows again and again — a bearer token's account, a hall's configuration, a service
item and its version in force, the version's materials, a clerk's department — while they change a few times a
day. `ProcessCache` keeps such values in the process, per *namespace* (`"catalog"`, `"core.tokens"`), each stored
with the namespace's **generation**:

- `changed(namespace)` (or `ProcessCache.forget()`) moves the generation: at once (this process, and in this
  transaction reads load again) and once more when the writing transaction commits (so a read between the write
  and the commit, which still saw the old rows, is not kept). Writers need not call it themselves:
  `InvalidatingQuerySet` (as a model's manager) and `invalidate_on_change` (model signals) call it for every save,
  delete, `update()` and bulk write of a model; a cache may also connect its own receivers that call `forget()`.
- The generation lives in Django's cache: Redis when REDIS_URL is set, so every process sees it; the process's
  own memory otherwise (the embedded mode is one process). How soon another process sees a change is the cache's
  `recheck` (seconds; each process looks at the shared generation at most that often): `GENERATION_RECHECK_SECONDS`
  by default, `0` — one read of the shared cache (no SQL) on every read — where a change must count in every
  process from the next request (a revoked token, a deactivated account). Whatever the backend, an entry is used
  at most `ttl` seconds (`CACHE_TTL_SECONDS`, default 60): the bound on staleness for a process that cannot see
  another's change. When the shared cache loses a generation (restarted, cleared), a new one is stored and every
  process loads its rows again.
- Within one HTTP request (`RequestGenerations`, the first middleware) the generations are read at most once, all
  namespaces together in one round trip (`get_many`), and then stand for the rest of the request: a request sees
  one consistent state of what it reads, and `recheck=0` costs one read of the shared cache per request, not one
  per value. A change the request itself makes counts for it at once.

Values from `get()` are shared by every request of the process: treat them as read-only (never assign to their
attributes). A caller that may change one takes `copy()` instead (a shallow copy of its own).

    items = ProcessCache("catalog")
    item = items.get(("item", item_id), lambda: ServiceItem.objects.filter(pk=item_id).first())
    tokens = ProcessCache("core.tokens", recheck=0, keep_none=False)

`reset()` forgets everything this process holds (tests call it between tests: their transactions roll back).
"""

from __future__ import annotations

import contextvars
import copy
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache as shared
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

# How often (seconds) a process asks the shared cache whether a namespace's generation moved (a cache's default).
GENERATION_RECHECK_SECONDS = 1.0
_KEY = "onewindow:generation:{}"
_MISSING = object()

_lock = threading.Lock()
# namespace -> (generation token, monotonic time it was read from the shared cache)
_known: dict[str, tuple[str, float]] = {}
_caches: list[ProcessCache] = []
# The generations this request has read (namespace -> token), or None outside a request (`RequestGenerations`).
_request: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("onewindow_generations",
                                                                                   default=None)


def _new_token() -> str:
    return uuid.uuid4().hex


def _read_shared(namespaces: list[str]) -> dict[str, str]:
    """The shared generations of `namespaces`, in one round trip; a namespace the shared cache does not know
    (never changed, or cleared) gets one."""
    keys = {_KEY.format(namespace): namespace for namespace in namespaces}
    found = shared.get_many(list(keys))
    tokens = {}
    for key, namespace in keys.items():
        token = found.get(key)
        if token is None:
            shared.add(key, _new_token(), None)
            token = shared.get(key) or _new_token()
        tokens[namespace] = token
    return tokens


def generation(namespace: str, recheck: float = GENERATION_RECHECK_SECONDS) -> str:
    """The namespace's current generation (an opaque token), read from the shared cache at most once every
    `recheck` seconds (`0`: on every call) — and, inside a request, at most once per request, together with every
    other namespace this process keeps."""
    request = _request.get()
    if request is not None and namespace in request:
        return request[namespace]
    now = time.monotonic()
    known = _known.get(namespace)
    if known is not None and now - known[1] < recheck:
        return known[0]
    if request is None:
        token = _read_shared([namespace])[namespace]
        _known[namespace] = (token, now)
        return token
    namespaces = {namespace, *(kept.namespace for kept in _caches)}
    tokens = _read_shared(sorted(namespaces))
    for name, token in tokens.items():
        _known[name] = (token, now)
    request.update(tokens)
    return tokens[namespace]


def _bump(namespace: str) -> None:
    token = _new_token()
    shared.set(_KEY.format(namespace), token, None)
    _known[namespace] = (token, time.monotonic())
    request = _request.get()
    if request is not None:
        request[namespace] = token


class RequestGenerations:
    """Middleware (the first): the generations of the process caches are read once per request (`generation`)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        held = _request.set({})
        try:
            return self.get_response(request)
        finally:
            _request.reset(held)


def changed(namespace: str) -> None:
    """Rows of `namespace` changed: every process drops what it keeps of it — now, and again when the current
    transaction commits (if one is open; once per transaction however many rows it writes)."""
    _bump(namespace)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    if any(getattr(callback, "cache_namespace", None) == namespace for _sids, callback, _robust in
           connection.run_on_commit):
        return

    def bump_on_commit() -> None:
        _bump(namespace)

    bump_on_commit.cache_namespace = namespace  # type: ignore[attr-defined]
    transaction.on_commit(bump_on_commit)


class ProcessCache:
    """Values of one namespace kept in this process: `get(key, load)` answers the kept value while the
    namespace's generation stands and for at most `ttl` seconds, else calls `load()` and keeps its result.

    `recheck`: at most how many seconds a change made by another process goes unseen (`0`: never — the shared
    generation is read on every `get`). `keep_none`: whether a None from `load()` is kept (False: looked up again
    each time, as for an unknown token). `max_entries`: past it, the cache starts empty again. Thread-safe; a
    value is shared by every thread of the process."""

    def __init__(self, namespace: str, *, ttl: float | None = None, recheck: float = GENERATION_RECHECK_SECONDS,
                 keep_none: bool = True, max_entries: int = 10_000) -> None:
        self.namespace = namespace
        self.ttl = ttl
        self.recheck = recheck
        self.keep_none = keep_none
        self.max_entries = max_entries
        # key -> (generation, monotonic time it was loaded, value)
        self._rows: dict[Hashable, tuple[str, float, Any]] = {}
        with _lock:
            _caches.append(self)

    def _ttl(self) -> float:
        return self.ttl if self.ttl is not None else float(getattr(settings, "CACHE_TTL_SECONDS", 60))

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The kept value of `key`, or `load()`'s (kept, unless None and not `keep_none`). Read-only: the same
        object serves every request of the process."""
        token = generation(self.namespace, self.recheck)
        now = time.monotonic()
        entry = self._rows.get(key)
        if entry is not None and entry[0] == token and now - entry[1] < self._ttl():
            return entry[2]
        value = load()
        if value is None and not self.keep_none:
            self._rows.pop(key, None)
            return value
        if len(self._rows) >= self.max_entries:
            self._rows.clear()
        self._rows[key] = (token, now, value)
        return value

    def copy(self, key: Hashable, load: Callable[[], T]) -> T:
        """`get()`, as a shallow copy the caller may change (a model instance: its own attributes and
        related-object cache; the related objects themselves are still shared)."""
        value = self.get(key, load)
        return copy.copy(value) if value is not None else value

    def peek(self, key: Hashable, default: Any = _MISSING) -> Any:
        """The kept value of `key` if it is still good, else `default` (None unless given); never loads."""
        entry = self._rows.get(key)
        if entry is not None and entry[0] == generation(self.namespace, self.recheck) \
                and time.monotonic() - entry[1] < self._ttl():
            return entry[2]
        return None if default is _MISSING else default

    def forget(self) -> None:
        """A row of this cache's namespace was written: every process drops what it keeps of the namespace, now
        and once the write commits (`changed`)."""
        changed(self.namespace)

    def clear(self) -> None:
        """Drop what this process keeps, leaving the shared generation as it is."""
        self._rows.clear()


def reset() -> None:
    """Forget every value and generation this process keeps (not the shared cache's)."""
    with _lock:
        for kept in _caches:
            kept.clear()
        _known.clear()


class InvalidatingQuerySet(models.QuerySet):
    """A queryset whose writes that send no model signals — `update()`, `bulk_create()`, `bulk_update()`, `delete()`
    — mark the model's namespace changed (`changed`). Use it as the manager of a model whose rows are kept in a
    `ProcessCache`, with `invalidate_on_change` for the saves: `objects = InvalidatingQuerySet.as_manager()` and
    `cache_namespace = "catalog"` on the model."""

    def _changed(self) -> None:
        namespace = getattr(self.model, "cache_namespace", None)
        if namespace:
            changed(namespace)

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        self._changed()
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        rows = super().bulk_create(*args, **kwargs)
        self._changed()
        return rows

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        count = super().bulk_update(*args, **kwargs)
        self._changed()
        return count

    def delete(self) -> Any:
        result = super().delete()
        self._changed()
        return result

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def invalidate_on_change(namespace: str, models_: Iterable[type[models.Model]]) -> None:
    """Mark `namespace` changed whenever a row of one of `models_` is saved or deleted (model signals; the writes
    that send none are `InvalidatingQuerySet`'s)."""

    def on_change(sender: Any, **kwargs: Any) -> None:
        changed(namespace)

    for model in models_:
        uid = f"onewindow.cache.{namespace}.{model._meta.label_lower}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
