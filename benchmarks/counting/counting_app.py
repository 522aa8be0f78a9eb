"""The application as deployed, with a count of the SQL statements it runs: for `benchmarks/http.py` only.

    uvicorn counting_app:asgi --app-dir benchmarks/counting …       (ASGI, as the README deploys it)
    gunicorn counting_app:wsgi --pythonpath benchmarks/counting …   (the same API from WSGI workers)

Every statement Django sends through a cursor (`execute` or `executemany`: what `django_assert_max_num_queries`
counts in the tests, savepoints included; not the driver's own BEGIN/COMMIT) adds one to a counter of this
process, and every HTTP request one to another. The counters live in a small file per process under
$BENCH_STATS_DIR (`<pid>.counts`, two little-endian 64-bit integers), which the benchmark sums over the server's
processes before and after each run. Counting costs a lock and a store per statement, well under 1 % of a request.

This folder holds nothing else, so that putting it on sys.path cannot shadow a standard module (the benchmark
itself is named `http.py`).
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
from pathlib import Path

_FORMAT = "<qq"  # statements, requests
_lock = threading.Lock()
_counts = [0, 0]
_map: mmap.mmap | None = None
_pid = 0


def _store() -> mmap.mmap:
    """This process's counter file, opened afresh after a fork."""
    global _map, _pid, _counts
    if _map is None or _pid != os.getpid():
        folder = Path(os.environ["BENCH_STATS_DIR"])
        path = folder / f"{os.getpid()}.counts"
        with open(path, "wb") as f:
            f.write(b"\0" * struct.calcsize(_FORMAT))
        with open(path, "r+b") as f:
            _map = mmap.mmap(f.fileno(), struct.calcsize(_FORMAT))
        _pid, _counts = os.getpid(), [0, 0]
    return _map


def _add(index: int) -> None:
    with _lock:
        store = _store()
        _counts[index] += 1
        struct.pack_into(_FORMAT, store, 0, *_counts)


def _install() -> None:
    from django.db.backends import utils

    original = utils.CursorWrapper._execute_with_wrappers

    def counted(self, sql, params, many, executor):
        _add(0)
        return original(self, sql, params, many, executor)

    utils.CursorWrapper._execute_with_wrappers = counted


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
_install()

if os.environ.get("BENCH_INTERFACE") == "wsgi":
    from onewindow.wsgi import application as _wsgi_application
else:
    from onewindow.asgi import application as _asgi_application


async def asgi(scope, receive, send):
    """The project's ASGI application, counting HTTP requests."""
    if scope["type"] == "http":
        _add(1)
    await _asgi_application(scope, receive, send)


def wsgi(environ, start_response):
    """The project's WSGI application, counting requests."""
    _add(1)
    return _wsgi_application(environ, start_response)
