"""The embedded scheduler: in one-machine mode (no REDIS_URL) a daemon thread runs the beat schedule in-process.

Every app adds its periodic jobs to `CELERY_BEAT_SCHEDULE` (the 电子监察 sweep, webhook retries, expired
appointments…); with Redis, Celery beat sends them to workers; without, each runs here at its own interval,
through the same Celery task. Started when the web application is built (`asgi.py`, `wsgi.py`: runserver,
daphne, uvicorn, the demo), never under tests, never with Redis.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict = {"thread": None, "stop": None}


def _close_stale_connections() -> None:
    """Like close_old_connections, but never inside a transaction (a caller's, or a test's)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def run_due_beat_tasks(now: float, last_run: dict[str, float]) -> list[str]:
    """Run in this process every beat entry whose interval has passed since it last ran; returns their names."""
    from onewindow.celery_app import app

    app.loader.import_default_modules()  # every app's tasks module, as a worker would load them
    ran = []
    for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values():
        name, interval = entry["task"], float(entry["schedule"])
        if now - last_run.setdefault(name, now) < interval:
            continue
        last_run[name] = now
        _close_stale_connections()
        try:
            app.tasks[name].apply(throw=True)
            ran.append(name)
        except Exception:  # noqa: BLE001 - a failed task is logged and tried again at its next interval
            log.exception("embedded beat task %s failed", name)
        finally:
            _close_stale_connections()
    return ran


def _run(stop: threading.Event, interval: float) -> None:
    # Entries wait one interval before their first run, so migrations and startup finish first.
    last_run: dict[str, float] = {}
    while not stop.wait(interval):
        run_due_beat_tasks(time.monotonic(), last_run)


def start_embedded_scheduler(interval: float | None = None) -> threading.Thread | None:
    """Start the daemon scheduler once per process (no-op when REDIS_URL is set: Celery beat does the work)."""
    if getattr(settings, "REDIS_URL", ""):
        return None
    with _lock:
        if _state["thread"] is not None and _state["thread"].is_alive():
            return _state["thread"]
        stop = threading.Event()
        # Wake often enough for the most frequent entry; each entry still runs at its own interval.
        schedules = [float(e["schedule"]) for e in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()]
        seconds = float(interval if interval is not None else max(5.0, min(schedules, default=60.0)))
        thread = threading.Thread(target=_run, args=(stop, seconds), name="onewindow-scheduler", daemon=True)
        thread.start()
        _state.update(thread=thread, stop=stop)
        return thread


def stop_embedded_scheduler() -> None:
    with _lock:
        if _state["stop"] is not None:
            _state["stop"].set()
        _state.update(thread=None, stop=None)


def should_autostart() -> bool:
    """True when a web application is built in the embedded mode; False under tests, with Redis, or when the
    setting EMBEDDED_SCHEDULER is off."""
    if "pytest" in sys.modules or getattr(settings, "REDIS_URL", ""):
        return False
    return bool(getattr(settings, "EMBEDDED_SCHEDULER", True))
