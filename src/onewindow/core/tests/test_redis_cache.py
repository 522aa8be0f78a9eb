"""`core.redis_cache`: the cache backends of every thread of a process share one Redis connection pool and client,
so a request in a thread of its own (the ASGI server's) opens no new connection. Needs Redis (REDIS_URL, or the
local server); skipped where there is none."""

import os
import threading

import pytest
from django.core.cache import CacheHandler

redis = pytest.importorskip("redis")

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def caches():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis here")
    return {"default": {"BACKEND": "onewindow.core.redis_cache.RedisCache", "LOCATION": URL,
                        "KEY_PREFIX": "test-redis-cache"}}


def test_every_thread_uses_the_one_pool_and_client_and_values_round_trip(caches, monkeypatch):
    made = []
    real = redis.connection.ConnectionPool.make_connection
    monkeypatch.setattr(redis.connection.ConnectionPool, "make_connection",
                        lambda pool: made.append(pool) or real(pool))
    clients, errors = [], []

    def request(n: int) -> None:
        try:
            backend = CacheHandler(caches)["default"]  # what a new thread gets: a backend of its own
            backend.set(f"k{n}", {"n": n}, 30)
            assert backend.get(f"k{n}") == {"n": n}
            assert backend.get_many([f"k{n}", "absent"]) == {f"k{n}": {"n": n}}
            clients.append(backend._cache.get_client())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
        thread.join()
    assert errors == []
    assert len({id(client) for client in clients}) == 1
    assert len(made) <= 1, "at most one connection, reused by every thread in turn"
