"""Benchmark of the audit chain's append: chains per shard against the single chain under one advisory lock.

    uv run python benchmarks/audit.py

PostgreSQL database `bench_audit` on 127.0.0.1:5432 (created if missing, never dropped; DATABASE_URL overrides).
Each append is one transaction, as an act's last write: the new design through `core.audit.record` (its
shard's head row lock, the event insert), the baseline written here by hand in raw SQL as the single chain
did it — the one advisory lock of the whole deployment, the last hash, the insert — into a table of the old
layout (`bench_audit_single_chain`, emptied each run). Both run with 1 and 8 threads, each thread on its own
connection; rates are printed beside the baseline's in the same run, and the chain is verified at the end.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
NAME = "bench_audit"
OLD_LOCK_KEY = 7_302_011  # the single chain's advisory lock
OLD_TABLE = "bench_audit_single_chain"


def choose_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    import psycopg

    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone():
        admin.execute(f"CREATE DATABASE {NAME}")
    admin.close()
    return f"postgres://postgres@127.0.0.1:5432/{NAME}"


os.environ["DATABASE_URL"] = choose_database()
os.environ.setdefault("DATABASE_POOL_SIZE", "10")  # 8 writers, each with a connection of its own
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from onewindow.core import audit  # noqa: E402

if connection.vendor != "postgresql":
    sys.exit("this benchmark compares PostgreSQL locks; set DATABASE_URL to a PostgreSQL database")

# The single-chain layout: the audit event table as it was before shards (same columns, same indexes).
OLD_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {OLD_TABLE} (
    id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor_id bigint NULL, actor_label varchar(150) NOT NULL,
    action varchar(64) NOT NULL, object_type varchar(64) NOT NULL, object_id varchar(64) NOT NULL,
    before jsonb NULL, after jsonb NULL, reason text NOT NULL, prev_hash varchar(64) NOT NULL,
    hash varchar(64) NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS {OLD_TABLE}_at ON {OLD_TABLE} (at);
CREATE INDEX IF NOT EXISTS {OLD_TABLE}_action ON {OLD_TABLE} (action);
CREATE INDEX IF NOT EXISTS {OLD_TABLE}_object_id ON {OLD_TABLE} (object_id);
CREATE INDEX IF NOT EXISTS {OLD_TABLE}_object ON {OLD_TABLE} (object_type, object_id);
TRUNCATE {OLD_TABLE};
"""


def content(rng: random.Random) -> dict:
    return {"action": "case.accept", "object_type": "cases.case", "object_id": str(rng.randrange(1_000_000)),
            "before": {"state": "submitted"}, "after": {"state": "accepted", "due_on": "2026-12-15"}}


def append_single_chain(rng: random.Random) -> None:
    """The baseline: the old append, by hand — lock the whole chain, read its last hash, insert."""
    c = content(rng)
    at = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OLD_LOCK_KEY])
        cursor.execute(f"SELECT hash FROM {OLD_TABLE} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        prev = row[0] if row else audit.GENESIS
        digest = audit.event_digest(prev_hash=prev, at=at.isoformat(timespec="microseconds"), actor_id=None,
                                    actor_label="system", reason="", **c)
        cursor.execute(
            f"INSERT INTO {OLD_TABLE} (at, actor_id, actor_label, action, object_type, object_id, before, after, "
            "reason, prev_hash, hash) VALUES (%s, NULL, 'system', %s, %s, %s, %s::jsonb, %s::jsonb, '', %s, %s)",
            [at, c["action"], c["object_type"], c["object_id"], audit.json.dumps(c["before"]),
             audit.json.dumps(c["after"]), prev, digest],
        )


def append_sharded(rng: random.Random) -> None:
    """The new append: one act's last write, through the service kit's `record`."""
    with transaction.atomic(durable=True):
        audit.record(**content(rng))


def run(append, threads: int) -> tuple[int, float, list[float]]:
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)
    deadline = [0.0]

    def work(index: int) -> None:
        rng = random.Random(index)
        try:
            append(rng)  # the connection is open before the clock starts
            barrier.wait()
            deadline[0] = deadline[0] or time.perf_counter() + SECONDS
            while time.perf_counter() < deadline[0]:
                started = time.perf_counter()
                append(rng)
                latencies[index].append(time.perf_counter() - started)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    elapsed = time.perf_counter() - started
    flat = [x for per in latencies for x in per]
    return len(flat), min(elapsed, SECONDS + 0.5), flat


def ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000:.1f}" if ordered else "-"


def main() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(OLD_SCHEMA)
    connection.close()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}, {SECONDS:.0f} s per run, "
          f"{audit.DEFAULT_SHARDS if not os.environ.get('AUDIT_CHAIN_SHARDS') else os.environ['AUDIT_CHAIN_SHARDS']}"
          " shards")
    print(f"{'append (one transaction each)':<44}{'threads':>8}{'appends':>9}{'per s':>8}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'vs single chain':>17}")
    for threads in (1, 8):
        base_n, base_s, base_lat = run(append_single_chain, threads)
        new_n, new_s, new_lat = run(append_sharded, threads)
        base_rate, new_rate = base_n / base_s, new_n / new_s
        print(f"{'single chain, one advisory lock (baseline)':<44}{threads:>8}{base_n:>9}{base_rate:>8.0f}"
              f"{statistics.median(base_lat) * 1000:>8.1f}{ms(base_lat, 0.99):>8}{'1.00×':>17}")
        print(f"{'chains per shard, head row lock (record)':<44}{threads:>8}{new_n:>9}{new_rate:>8.0f}"
              f"{statistics.median(new_lat) * 1000:>8.1f}{ms(new_lat, 0.99):>8}{new_rate / base_rate:>16.2f}×")
    anchor = audit.anchor_chain()
    started = time.perf_counter()
    report = audit.verify_chain()
    took = time.perf_counter() - started
    print(f"anchor: event #{anchor.pk if anchor else '-'}; audit verify: {'OK' if report.ok else 'BROKEN'} — "
          f"{report.checked} events in {report.shards} chains and {report.anchors} anchors, {took:.1f} s"
          + ("" if report.ok else f" — #{report.broken_at}: {report.problem}"))


if __name__ == "__main__":
    main()
