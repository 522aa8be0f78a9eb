"""Django's Redis cache with one connection pool and one client per process.

Django keeps a cache backend per thread (`django.core.cache.caches`), and its `RedisCache` gives each backend its
own connection pool and builds a new `redis.Redis` client around it on every call. Under the ASGI server every
request runs in a thread of its own, so every request opened a new Redis connection and set up a new client (about
a millisecond of CPU with redis-py 8, more than the command itself). Here the backends of a process share one
pool per server and one client per pool: the client is thread-safe and holds no connection of its own, and the
pool hands one out per command and notices a fork. Everything else is Django's.

    CACHES = {"default": {"BACKEND": "onewindow.core.redis_cache.RedisCache", "LOCATION": "redis://…"}}
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends import redis as django_redis
from django.utils.functional import cached_property

_lock = threading.Lock()
# (servers, options) -> the process's cache client for them
_clients: dict[str, Any] = {}


class _HeldClientCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with _lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """`django.core.cache.backends.redis.RedisCache`, with the pools and clients shared (see the module)."""

    @cached_property
    def _cache(self) -> Any:
        key = repr((self._servers, sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _HeldClientCacheClient(self._servers, **self._options)
        return client
