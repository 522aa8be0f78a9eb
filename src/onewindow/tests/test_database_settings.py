"""Issue 10 §6: the database settings hold under real configuration.

- SQLite named by `DATABASE_URL=sqlite:///…` gets the options the default SQLite has (WAL, IMMEDIATE transactions,
  a busy timeout): concurrent case creations all succeed (they once failed 7 in 8 with "database is locked").
- PostgreSQL goes through Django's psycopg pool: under load from more threads than the pool holds, the server never
  sees more of this process's connections than `DATABASE_POOL_SIZE`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def _settings_under(environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """DATABASES['default'] as onewindow.settings computes it under `environment`: the settings file is run afresh
    in this process (it only reads the environment) and completed with Django's defaults as a new process's
    connections would complete it, without the seconds a new interpreter and `django.setup()` cost."""
    import json
    import runpy

    from django.db.utils import ConnectionHandler

    import onewindow.settings

    with monkeypatch.context() as patched:
        for name, value in {"ONEWINDOW_VAR_DIR": str(tmp_path), **environment}.items():
            patched.setenv(name, value)
        patched.delenv("SQLITE_TEST_NAME", raising=False)
        namespace = runpy.run_path(onewindow.settings.__file__, run_name="onewindow_settings_probe")
    databases = ConnectionHandler().configure_settings(namespace["DATABASES"])
    return json.loads(json.dumps(databases["default"], default=str))


def test_sqlite_named_by_database_url_gets_the_default_sqlites_options(tmp_path, monkeypatch):
    default = _settings_under({"DATABASE_URL": ""}, tmp_path, monkeypatch)
    by_url = _settings_under({"DATABASE_URL": f"sqlite:///{tmp_path / 'by-url.sqlite3'}"}, tmp_path, monkeypatch)

    assert by_url["OPTIONS"] == default["OPTIONS"]
    assert by_url["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and by_url["OPTIONS"]["timeout"] == 30
    assert "journal_mode=WAL" in by_url["OPTIONS"]["init_command"]


def test_postgresql_goes_through_a_pool_of_the_documented_size_and_keeps_no_connection_itself(tmp_path, monkeypatch):
    database = _settings_under({"DATABASE_URL": "postgres://u@db.example:5432/x", "DATABASE_POOL_SIZE": "6"},
                               tmp_path, monkeypatch)
    without = _settings_under({"DATABASE_URL": "postgres://u@db.example:5432/x", "DATABASE_POOL_SIZE": "0",
                               "CONN_MAX_AGE": "30"}, tmp_path, monkeypatch)

    assert database["OPTIONS"]["pool"]["max_size"] == 6 and database["CONN_MAX_AGE"] == 0
    assert "pool" not in without["OPTIONS"] and without["CONN_MAX_AGE"] == 30


CONCURRENT_CREATIONS = textwrap.dedent("""
    import threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from onewindow.cases import services
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import make_world, person
    from onewindow.workdays.services import seed_from_package
    seed_from_package(years=[2025, 2026])
    world = make_world()
    connection.close()
    start, outcomes = threading.Barrier(8), []

    def create(n):
        start.wait()
        try:
            services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(n), channel="window",
                                 service_point=world.point, submit=True)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sorted(outcomes), Case.objects.count())
""")


def test_eight_concurrent_case_creations_on_a_sqlite_database_url_all_succeed(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onewindow.settings", "ONEWINDOW_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.sqlite3'}", "EMBEDDED_SCHEDULER": "0",
           "MEDIA_ROOT": str(tmp_path / "media")}
    out = subprocess.run([sys.executable, "-c", CONCURRENT_CREATIONS], env=env, capture_output=True, text=True,
                         timeout=600, cwd=tmp_path)

    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == f"{['ok'] * 8} 8"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_under_load_postgresql_sees_no_more_connections_than_the_pool_holds():
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's")
    import psycopg

    size = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    name = connection.settings_dict["NAME"]
    params = connection.get_connection_params()
    watcher = psycopg.connect(host=params.get("host"), port=params.get("port"), user=params.get("user"),
                              password=params.get("password") or None, dbname=name, autocommit=True)
    # Every connection to the test database but the watcher's own: the pool's, whichever thread holds them.
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    connection.close()
    counts, failures, running = [], [], True

    def client(_: int) -> None:
        try:
            for _ in range(5):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(0.05)")
                connection.close()  # the end of a request: the connection goes back to the pool
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(repr(exc))

    def watch() -> None:
        while running:
            counts.append(watcher.execute(others, [name]).fetchone()[0])
            time.sleep(0.01)

    observer = threading.Thread(target=watch)
    observer.start()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(3 * size)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    running = False
    observer.join()
    watcher.close()

    assert failures == []
    assert 0 < max(counts) <= size, (max(counts), size)


@pytest.mark.parametrize("url", ["", "sqlite:///{tmp}/named.sqlite3"])
def test_the_settings_select_the_locking_backend_however_sqlite_is_named(url, tmp_path, monkeypatch):
    database = _settings_under({"DATABASE_URL": url.format(tmp=tmp_path)}, tmp_path, monkeypatch)

    assert database["ENGINE"] == "onewindow.core.sqlite_backend"
