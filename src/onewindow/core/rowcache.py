"""Rows that rarely change, held by each process (行缓存): a token's account, a hall, its categories and rules.

A `RowCache` keeps what its loader returned per key in this process's memory, tagged with the cache's version,
a token kept in Django's shared cache (Redis when REDIS_URL is set, so every uvicorn worker and Celery worker
sees the same one; this process's memory otherwise). A write to one of its rows calls `forget()`: this process
drops what it holds at once, and a new version is stored now and again after the write commits, so every other
process drops its rows at its next read (a read in between, of the rows before the commit, is dropped by the
second new version). An entry is also kept no longer than `ttl` seconds: the bound when the shared cache is
only this process's (several workers without Redis) or a write bypassed the models (a queryset `update()`).

Each read costs one read of the version from the shared cache (no SQL). When the shared cache loses the version
(restarted, cleared), a new one is stored, and every process reloads its rows.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

_ALL: list[RowCache[Any]] = []


class RowCache(Generic[T]):
    """Rows of one kind (or a few that change together) held per process; see the module's docstring."""

    def __init__(self, name: str, *, ttl: float = 60.0) -> None:
        self.name = name
        self.ttl = ttl
        self._key = f"onewindow.rowcache.{name}.version"
        self._rows: dict[Hashable, tuple[str, float, T]] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def version(self) -> str:
        """The version in the shared cache; a new one is stored when it has none."""
        version = cache.get(self._key)
        if version is None:
            cache.add(self._key, uuid.uuid4().hex, None)
            version = cache.get(self._key) or ""
        return version

    def get(self, key: Hashable, load: Callable[[], T | None]) -> T | None:
        """The row held for `key`, or `load()`'s (held when not None). The value is this process's own: callers
        that may change an attribute of it take `copy()` of it."""
        version = self.version()
        now = time.monotonic()
        held = self._rows.get(key)
        if held is not None and held[0] == version and held[1] > now:
            return held[2]
        value = load()
        if value is not None:
            with self._lock:
                self._rows[key] = (version, now + self.ttl, value)
        else:
            self._rows.pop(key, None)
        return value

    def copy(self, key: Hashable, load: Callable[[], T | None]) -> T | None:
        """`get()`, as a shallow copy (a model instance: its own attributes and related-object cache)."""
        value = self.get(key, load)
        return copy.copy(value) if value is not None else None

    def forget(self) -> None:
        """A row of this cache was written: drop what every process holds, now and once the write commits."""
        self._forget_now()
        transaction.on_commit(self._forget_now)

    def _forget_now(self) -> None:
        with self._lock:
            self._rows.clear()
        cache.set(self._key, uuid.uuid4().hex, None)

    def forget_here(self) -> None:
        """Drop what this process holds, leaving the shared version as it is (tests, after a rollback)."""
        with self._lock:
            self._rows.clear()


def forget_all_here() -> None:
    """Every row cache of this process emptied (a test's database was rolled back under it)."""
    for row_cache in _ALL:
        row_cache.forget_here()
