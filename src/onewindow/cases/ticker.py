"""The embedded ticker: in one-machine mode (no REDIS_URL) a daemon thread runs the periodic sweeps.

Started from `CasesConfig.ready()` when a server runs (runserver, daphne, uvicorn, the demo), never under
tests; the demo server may call `start_embedded_ticker()` itself. `tick()` is one round, also for tests.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict = {"thread": None, "stop": None}
_SERVERS = frozenset({"daphne", "uvicorn", "gunicorn"})
_SERVER_COMMANDS = frozenset({"runserver", "demo"})


def tick() -> int:
    """One round of periodic work: the 电子监察 alert sweep. Returns the alerts recorded."""
    from onewindow.cases.alerts import sweep_alerts

    _close_stale_connections()
    try:
        return sweep_alerts()
    finally:
        _close_stale_connections()


def _close_stale_connections() -> None:
    """Like close_old_connections, but never inside a transaction (a caller's, or a test's)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def _run(stop: threading.Event, interval: float) -> None:
    # The first round waits one interval, so migrations and startup finish first.
    while not stop.wait(interval):
        try:
            tick()
        except Exception:  # noqa: BLE001 - a failed round is logged and retried next round
            log.exception("embedded ticker round failed")


def start_embedded_ticker(interval: float | None = None) -> threading.Thread | None:
    """Start the daemon ticker once per process (no-op when REDIS_URL is set: Celery beat does the work)."""
    if getattr(settings, "REDIS_URL", ""):
        return None
    with _lock:
        if _state["thread"] is not None and _state["thread"].is_alive():
            return _state["thread"]
        stop = threading.Event()
        seconds = float(interval if interval is not None else getattr(settings, "CASES_SWEEP_SECONDS", 300))
        thread = threading.Thread(target=_run, args=(stop, seconds), name="onewindow-ticker", daemon=True)
        thread.start()
        _state.update(thread=thread, stop=stop)
        return thread


def stop_embedded_ticker() -> None:
    with _lock:
        if _state["stop"] is not None:
            _state["stop"].set()
        _state.update(thread=None, stop=None)


def should_autostart() -> bool:
    """True in a server process of the embedded mode; False under tests, with Redis, or for other commands."""
    if "pytest" in sys.modules or getattr(settings, "REDIS_URL", ""):
        return False
    if not getattr(settings, "CASES_EMBEDDED_TICKER", True):
        return False
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if program not in _SERVERS and command not in _SERVER_COMMANDS:
        return False
    # runserver's autoreloader imports the app twice; only the child serving requests ticks.
    return not (command == "runserver" and os.environ.get("RUN_MAIN") != "true")
