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


# -- every app's job, run by the scheduler (the wiring gathers them, so these tests live with it) --------------
from onewindow.cases.tests.conftest import _media_in_tmp, calendar_loaded, world  # noqa: E402, F401


@pytest.mark.django_db
def test_one_round_of_the_embedded_scheduler_runs_the_case_alert_sweep(world):  # noqa: F811
    import time_machine

    from onewindow.cases import services
    from onewindow.cases.models import CaseAlert
    from onewindow.cases.tests.factories import at, complete_materials, new_case

    case = new_case(world, when=at("2025-09-01"))
    complete_materials(case, by=world.clerk_a, when=at("2025-09-01"))
    services.accept_case(case, by=world.clerk_a, at=at("2025-09-01"))  # due Mon 15 Sep 2025
    last_run = {"cases.sweep_alerts": -3600.0}  # the sweep last ran an hour ago
    with time_machine.travel(at("2025-09-11"), tick=False):
        assert "cases.sweep_alerts" in scheduler.run_due_beat_tasks(0.0, last_run)
        assert CaseAlert.objects.count() == 1
        assert scheduler.run_due_beat_tasks(1.0, last_run) == []


@pytest.mark.django_db
def test_the_embedded_scheduler_runs_the_licence_sweep_at_its_interval(world, settings, time_machine):  # noqa: F811
    from onewindow.cases.tests.factories import at
    from onewindow.licences.models import LicenceState
    from onewindow.licences.tests.factories import issued_licence

    settings.CELERY_BEAT_SCHEDULE = {"licences-sweep": settings.CELERY_BEAT_SCHEDULE["licences-sweep"]}
    licence = issued_licence(world)
    time_machine.move_to(at("2026-09-01", 3))
    last_run = {"licences.sweep": 0.0}
    assert scheduler.run_due_beat_tasks(10_000.0, last_run) == ["licences.sweep"]
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED


@pytest.mark.django_db
def test_the_embedded_scheduler_anchors_the_audit_chain_at_its_interval(settings):
    from onewindow.core import audit
    from onewindow.core.models import AuditEvent

    entry = settings.CELERY_BEAT_SCHEDULE["core-audit-anchor"]
    assert entry["schedule"] == float(settings.AUDIT_ANCHOR_SECONDS)
    settings.CELERY_BEAT_SCHEDULE = {"core-audit-anchor": entry}
    audit.record("case.accept", object_type="cases.case", object_id="1")
    last_run = {"core.anchor_audit_chain": 0.0}
    assert scheduler.run_due_beat_tasks(entry["schedule"], last_run) == ["core.anchor_audit_chain"]
    anchors = AuditEvent.objects.filter(shard=audit.ANCHOR_SHARD)
    assert anchors.count() == 1 and audit.verify_chain().anchors == 1
    assert scheduler.run_due_beat_tasks(2 * entry["schedule"], last_run) == ["core.anchor_audit_chain"]
    assert anchors.count() == 1, "no chain moved: no new anchor"
