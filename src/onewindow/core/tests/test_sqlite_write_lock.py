"""The embedded mode's SQLite writers queue on one lock per process (onewindow.core.sqlite_backend), not in
SQLite's busy handler, which sleeps.

Each test runs a fresh interpreter on a SQLite file with the embedded mode's options (that the project's settings
select this backend however SQLite is named is tested with the settings, in onewindow/tests), and with SQLite's
busy timeout set to 0 on every connection: a writer that ever met SQLite's lock held by another would fail at once with
"database is locked". Only the process's write lock (bounded by the settings' 30 s) lets them wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PRELUDE = textwrap.dedent("""
    import json, sys, threading
    from django.conf import settings
    import os
    # The embedded mode's options (the project's settings select this backend with them: onewindow/tests), with
    # SQLite's own busy timeout 0: meeting another connection's write lock fails at once.
    database = {"ENGINE": "onewindow.core.sqlite_backend", "NAME": os.environ["SQLITE_FILE"],
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout = 0;",
                            "transaction_mode": "IMMEDIATE", "timeout": 30}}
    if len(sys.argv) > 1 and sys.argv[1] == "plain":
        database["ENGINE"] = "django.db.backends.sqlite3"
    settings.configure(DATABASES={"default": database}, INSTALLED_APPS=[], USE_TZ=True)
    import django
    django.setup()
    from django.db import connection, transaction
    from onewindow.core.sqlite_backend.base import write_lock_for
    lock = write_lock_for(str(connection.settings_dict["NAME"]))
    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        c.execute("CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, thread INTEGER, k INTEGER UNIQUE)")
        c.execute("INSERT OR IGNORE INTO counter (id, n) VALUES (1, 0)")
    # This thread's connection stays open (idle): the WAL file stays, so no thread below has to recover it.
""")

CONCURRENT = PRELUDE + textwrap.dedent("""
    THREADS, ROUNDS = 12, 15
    start, errors = threading.Barrier(THREADS), []

    def writer(t):
        start.wait()
        try:
            for r in range(ROUNDS):
                with transaction.atomic():  # BEGIN IMMEDIATE: a read, then writes
                    with connection.cursor() as c:
                        c.execute("SELECT n FROM counter WHERE id = 1")
                        n = c.fetchone()[0]
                        c.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
                with connection.cursor() as c:  # a write outside any transaction (autocommit)
                    c.execute("INSERT INTO entry (thread, k) VALUES (%s, %s)", [t, t * 1000 + r])
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connection.cursor() as c:
        c.execute("SELECT n FROM counter WHERE id = 1")
        n = c.fetchone()[0]
        c.execute("SELECT count(*) FROM entry")
        entries = c.fetchone()[0]
    print(json.dumps({"errors": errors[:3], "failed": len(errors), "counter": n, "entries": entries,
                      "expected": THREADS * ROUNDS, "held_after": lock.locked()}))
""")

AFTER_ERRORS = PRELUDE + textwrap.dedent("""
    from django.db import IntegrityError
    seen = {}
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("INSERT INTO entry (thread, k) VALUES (1, 1)")
            raise ValueError("the act fails after writing")
    except ValueError:
        pass
    seen["after a failed transaction"] = lock.locked()
    with connection.cursor() as c:
        c.execute("INSERT INTO entry (thread, k) VALUES (1, 2)")
        try:
            c.execute("INSERT INTO entry (thread, k) VALUES (1, 2)")  # the same key: refused
        except IntegrityError:
            pass
    seen["after a refused autocommit write"] = lock.locked()
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("INSERT INTO entry (thread, k) VALUES (1, 3)")
                c.execute("INSERT INTO entry (thread, k) VALUES (1, 3)")
    except IntegrityError:
        pass
    seen["after a refused write in a transaction"] = lock.locked()
    with connection.cursor() as c:  # a deferred transaction written as statements: the lock from its first write
        c.execute("BEGIN")
        seen["after a deferred BEGIN"] = lock.locked()
        c.execute("INSERT INTO entry (thread, k) VALUES (1, 6)")
        seen["after its first write"] = lock.locked()
        c.execute("ROLLBACK")
        seen["after its ROLLBACK"] = lock.locked()
    transaction.set_autocommit(False)
    with connection.cursor() as c:
        c.execute("INSERT INTO entry (thread, k) VALUES (1, 4)")
    seen["held in an open transaction"] = lock.locked()
    connection.close()
    seen["after the connection closed mid-transaction"] = lock.locked()
    # Another thread can write now: the lock is free and nothing of the failed acts was kept.
    out = []
    def other():
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO entry (thread, k) VALUES (2, 5)")
            c.execute("SELECT k FROM entry ORDER BY k")
            out.extend(r[0] for r in c.fetchall())
        connection.close()
    t = threading.Thread(target=other)
    t.start()
    t.join(60)
    seen["rows"] = out
    print(json.dumps(seen))
""")

READS = PRELUDE + textwrap.dedent("""
    written, read_done, seen = threading.Event(), threading.Event(), {}

    def writer():
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO entry (thread, k) VALUES (1, 1)")
            written.set()
            # Hold the write transaction (and the lock) until the reader has read, or give up after 60 s.
            seen["reader finished while the writer held the lock"] = read_done.wait(60) and lock.locked()
        connection.close()

    def reader():
        written.wait(60)
        with connection.cursor() as c:  # autocommit read, WAL: beside the writer
            c.execute("SELECT count(*) FROM entry")
            seen["rows the reader saw"] = c.fetchone()[0]
        read_done.set()
        connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM entry")
        seen["rows after commit"] = c.fetchone()[0]
    print(json.dumps(seen))
""")


def _run(script: str, tmp_path: Path, *args: str) -> dict:
    env = {**os.environ, "ONEWINDOW_VAR_DIR": str(tmp_path), "SQLITE_FILE": str(tmp_path / "lock.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_concurrent_writers_all_succeed_without_meeting_sqlites_lock(tmp_path):
    result = _run(CONCURRENT, tmp_path)

    assert result["failed"] == 0, result["errors"]
    # Every read-modify-write counted once (they were serialized), every autocommit insert kept.
    assert result["counter"] == result["expected"] and result["entries"] == result["expected"]
    assert result["held_after"] is False


def test_without_the_lock_the_same_writers_meet_database_is_locked(tmp_path):
    """The check above can fail: Django's plain backend, under the same load, meets SQLite's lock."""
    result = _run(CONCURRENT, tmp_path, "plain")

    assert result["failed"] > 0 and "database is locked" in result["errors"][0]


def test_the_lock_is_released_after_errors_and_when_the_connection_closes(tmp_path):
    seen = _run(AFTER_ERRORS, tmp_path)

    assert seen == {
        "after a failed transaction": False,
        "after a refused autocommit write": False,
        "after a refused write in a transaction": False,
        "after a deferred BEGIN": False,
        "after its first write": True,
        "after its ROLLBACK": False,
        "held in an open transaction": True,
        "after the connection closed mid-transaction": False,
        "rows": [2, 5],  # the failed transactions and the unclosed one kept nothing
    }


def test_reads_outside_a_transaction_are_not_blocked_by_a_writer_holding_the_lock(tmp_path):
    seen = _run(READS, tmp_path)

    assert seen == {"rows the reader saw": 0, "reader finished while the writer held the lock": True,
                    "rows after commit": 1}
