"""The embedded scheduler runs every app's periodic jobs in-process when there is no Redis (one machine)."""

import pytest

from onewindow import scheduler


def test_the_scheduler_does_not_start_under_tests_or_with_redis(settings):
    assert scheduler.should_autostart() is False
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert scheduler.start_embedded_scheduler(interval=3600) is None


def test_the_scheduler_starts_once_as_a_daemon_thread(settings):
    settings.REDIS_URL = ""
    try:
        first = scheduler.start_embedded_scheduler(interval=3600)
        assert first is not None and first.daemon and first.is_alive()
        assert scheduler.start_embedded_scheduler(interval=3600) is first
    finally:
        scheduler.stop_embedded_scheduler()


@pytest.mark.django_db
def test_each_beat_entry_runs_at_its_own_interval(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "often": {"task": "cases.sweep_alerts", "schedule": 10.0},
        "rarely": {"task": "hall.expire_appointments", "schedule": 100.0},
    }
    last_run: dict[str, float] = {}
    assert scheduler.run_due_beat_tasks(0.0, last_run) == []  # nothing runs before its first interval
    assert scheduler.run_due_beat_tasks(10.0, last_run) == ["cases.sweep_alerts"]
    assert scheduler.run_due_beat_tasks(15.0, last_run) == []
    assert scheduler.run_due_beat_tasks(100.0, last_run) == ["cases.sweep_alerts", "hall.expire_appointments"]


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(settings, monkeypatch):
    from onewindow.celery_app import app

    settings.CELERY_BEAT_SCHEDULE = {
        "broken": {"task": "cases.sweep_alerts", "schedule": 10.0},
        "fine": {"task": "hall.expire_appointments", "schedule": 10.0},
    }
    app.loader.import_default_modules()
    monkeypatch.setattr(app.tasks["cases.sweep_alerts"], "run", lambda *a, **k: 1 / 0)
    logged: list[str] = []
    monkeypatch.setattr(scheduler.log, "exception", lambda message, *args: logged.append(message % args))
    last_run = {"cases.sweep_alerts": -10.0, "hall.expire_appointments": -10.0}
    assert scheduler.run_due_beat_tasks(0.0, last_run) == ["hall.expire_appointments"]
    assert logged == ["embedded beat task cases.sweep_alerts failed"]
