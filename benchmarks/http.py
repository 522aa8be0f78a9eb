"""The honest HTTP benchmark: the system started as the README deploys it, driven over real HTTP from separate
client processes, beside a raw-SQL baseline of the same rows in the same run.

    uv run python benchmarks/http.py            # the default run (about 10 minutes on 2 cores)
    uv run python benchmarks/http.py --quick    # a small run, to see that it works
    uv run python benchmarks/http.py --deployments embedded --quick

Deployments (`--deployments`, comma-separated, all three by default):
  asgi      uvicorn with --workers (2) on PostgreSQL through Django's psycopg pool (DATABASE_POOL_SIZE, 4) and Redis
            (REDIS_URL, db --redis-db) for the display boards: the README's "On PostgreSQL and Redis (at scale)".
  wsgi      the same API from gunicorn's threaded WSGI workers (2 × 4 threads), same pool and Redis; websockets
            would stay on an ASGI server beside it (not driven here: the benchmark drives the HTTP API only).
  embedded  the embedded mode: SQLite in a temporary folder, one uvicorn process, no Redis.

Runs in each deployment, in this order (the tickets of a and b are the queue that c0, c and d call):
  a   sequential ticket issues (one kiosk)                         --seq-tickets, 500
  b   20 kiosks issuing at once                                    --kiosks 20 × --kiosk-tickets 1,000 in all
  c0  1 window calling the next and finishing it                   --one-window-pairs, 100 pairs
  c   10 windows, call-next + finish                               --pairs 500 pairs in all
  d   30 windows, call-next + finish                               --pairs 500 pairs in all
  e1  case intake, 1 client: POST /cases (create + submit), then POST /cases/{n}/accept   --cases 200
  e8  the same with 8 clients                                      --cases 200 in all
and then, on the same database, the raw-SQL baselines: the rows of a ticket issue and of a case intake written by
hand (psycopg / sqlite3, no Django), with 1 and 20 (tickets) or 1 and 8 (cases) connections.

For each run: operations per second, p50 and p99 latency as the client saw it, server CPU per operation (the
server's processes' user + system time from /proc, before and after; for the runs of one client alone, c0 and
e1, also split by request, call-next and finish, create + submit and accept), PostgreSQL backends' CPU per operation,
SQL statements per operation (counted inside the server by `benchmarks/counting/counting_app.py`: every statement
Django sends, as `django_assert_max_num_queries` counts them in the tests), the most connections PostgreSQL showed
for the benchmark's database (pg_stat_activity sampled every 20 ms; never to exceed workers × pool size), and
after the concurrent runs: duplicate numbers, tickets called twice, tickets lost, and `onewindow audit verify`.

Databases: PostgreSQL at --pg (postgres@127.0.0.1:5432), a new database `bench_http_<time>_<pid>_<deployment>` for
each deployment, dropped at the end (only those this run created; --keep keeps them). SQLite: a temporary folder.
Everything is seeded through the project's own services (accounts, tokens, the hall, categories, windows, an item).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _stand_in_for_the_standard_librarys_http() -> None:
    """This file is named like the standard library's `http`, and a script run from this folder (another benchmark)
    has the folder on its import path: imported as `http`, this module puts the standard library's package in its
    place, so that `import http.client` and Django's `from http import cookies` there get what they expect."""
    import importlib.machinery
    import importlib.util
    import sysconfig

    spec = importlib.machinery.PathFinder.find_spec("http", [sysconfig.get_path("stdlib")])
    module = importlib.util.module_from_spec(spec)
    sys.modules["http"] = module
    spec.loader.exec_module(module)


if __name__ == "http":
    _stand_in_for_the_standard_librarys_http()
else:
    # Run as the benchmark: keep this folder off the import path, so that `http` is the standard library's.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
APP_DIR = HERE / "counting"
GENESIS = "0" * 64  # core.audit.GENESIS: the link before a shard's first event


# -- seeding (runs in a child process with Django set up on the deployment's database) -------------------------


def seed(out: Path, windows: int, case_clients: int, kiosks: int) -> None:
    """Migrate and seed through the services; write what the clients need as JSON to `out`."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from onewindow.catalog import acts as catalog_acts
    from onewindow.catalog import services as catalog_services
    from onewindow.catalog.models import Department, Hall, ItemType, Level, ServicePoint
    from onewindow.core import audit
    from onewindow.core import services as core_services
    from onewindow.core.models import Role
    from onewindow.hall import acts as hall_acts
    from onewindow.hall import services as hall_services
    from onewindow.hall.models import ServiceCategory, Window
    from onewindow.workdays.services import seed_from_package

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    seed_from_package(years=[today.year - 1, today.year, today.year + 1])
    admin = core_services.create_user(username="bench-admin", role=Role.ADMIN, by=None)
    point = catalog_services.save_reference(ServicePoint(code="BENCH", name="基准中心", level=Level.DISTRICT), by=admin)
    hall = catalog_services.save_reference(Hall(service_point=point, code="BENCH", name="基准大厅"), by=admin)
    department = catalog_services.save_reference(Department(code="SC", name="市场监管局"), by=admin)
    item_type = ItemType.objects.filter(code="01").first() or catalog_services.save_reference(
        ItemType(code="01", name="行政许可"), by=admin)
    draft = catalog_services.create_item(implementation_code="SC-BENCH", basic_code="SC-BENCH", by=admin,
                                         name="基准事项", department=department, item_type=item_type,
                                         statutory_days=20, promised_days=10)
    catalog_services.publish_version(draft, by=admin, reason="基准测试")
    with transaction.atomic():
        categories = [hall_acts.save_category(ServiceCategory(hall=hall, prefix=p, name=f"综合受理{p}"), by=admin)
                      for p in "ABC"]  # A and B are called; C only takes the warm-up tickets
        made = [hall_acts.save_window(Window(hall=hall, number=str(n + 1)), categories=categories[:2], by=admin)
                for n in range(windows)]
        window_clerks = [catalog_acts.create_staff(username=f"bench-window-{n + 1}", role=Role.CLERK,
                                                   department=None, by=admin) for n in range(windows)]
        case_clerks = [catalog_acts.create_staff(username=f"bench-clerk-{n + 1}", role=Role.CLERK,
                                                 department=department, by=admin) for n in range(case_clients)]
        kiosk = catalog_acts.create_staff(username="bench-kiosk", role=Role.CLERK, department=None, by=admin)
    window_specs = []
    for window, clerk in zip(made, window_clerks, strict=True):
        hall_services.open_window(window=window, by=clerk)
        window_specs.append({"id": window.pk, "token": core_services.create_token(clerk, by=admin)[1]})
    data = {
        "hall": hall.code, "hall_id": hall.pk, "categories": {c.prefix: c.pk for c in categories},
        "windows": window_specs,
        "kiosk_tokens": [core_services.create_token(kiosk, by=admin)[1] for _ in range(kiosks)],
        "kiosk_id": kiosk.pk,
        "case_tokens": [core_services.create_token(c, by=admin)[1] for c in case_clerks],
        "clerk_ids": [c.pk for c in case_clerks],
        "item_id": draft.item_id, "department_id": department.pk,
        "audit_shards": min(max(int(getattr(settings, "AUDIT_CHAIN_SHARDS", audit.DEFAULT_SHARDS)), 1), 32767),
    }
    out.write_text(json.dumps(data))


# -- the clients (separate processes; no Django) -----------------------------------------------------------------


def _identity(n: int) -> str:
    """A valid 18-digit resident identity number (GB 11643 check character), different for each n < 10**6."""
    first17 = f"500103{dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000):%Y%m%d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


class Api:
    """One keep-alive HTTP connection with a bearer token."""

    def __init__(self, port: int, token: str):
        self.port, self.headers = port, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            self.conn.request("POST", path, body=json.dumps(body), headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        try:
            return response.status, json.loads(raw or b"{}")
        except ValueError:
            return response.status, {"raw": raw[:200].decode(errors="replace")}


class Job:
    """One client thread's work: latencies by operation, what it got, errors, and when it started and ended."""

    def __init__(self, job: dict, port: int):
        self.job, self.api = job, Api(port, job.get("token", ""))
        self.lat: dict[str, list[float]] = {}
        self.got: list = []
        self.errors: list[str] = []
        # With one client alone (c0, e1), the server's CPU ticks are read around each request and summed by
        # operation: a tick is 10 ms, but over hundreds of requests the sums split the run's CPU between them.
        self.cpu_pids: list[int] = job.get("cpu_pids", [])
        self.cpu: dict[str, int] = {}

    def timed(self, name: str, path: str, body: dict) -> tuple[int, dict]:
        ticks = sum(_cpu_seconds(self.cpu_pids).values()) if self.cpu_pids else 0
        t = time.monotonic()
        try:
            status, payload = self.api.post(path, body)
        except Exception as exc:  # noqa: BLE001 - counted as an error of the run
            status, payload = 0, {"error": repr(exc)}
        self.lat.setdefault(name, []).append(time.monotonic() - t)
        if self.cpu_pids:
            self.cpu[name] = self.cpu.get(name, 0) + sum(_cpu_seconds(self.cpu_pids).values()) - ticks
        return status, payload

    def run(self) -> dict:
        started = time.monotonic()
        getattr(self, self.job["kind"])()
        return {"lat": self.lat, "got": self.got, "errors": self.errors, "start": started, "end": time.monotonic(),
                "cpu": self.cpu}

    def issue(self) -> None:
        job = self.job
        for i in range(job["count"]):
            category = job["categories"][i % len(job["categories"])]
            status, payload = self.timed("issue", f"/api/v1/halls/{job['hall']}/tickets", {"category": category})
            if status == 201:
                self.got.append([payload["id"], payload["number"]])
            else:
                self.errors.append(f"issue {status} {str(payload)[:200]}")

    def call(self) -> None:
        window = self.job["window"]
        for _ in range(self.job["count"]):
            status, payload = self.timed("call", f"/api/v1/windows/{window}/call-next", {})
            if status != 200:
                self.errors.append(f"call {status} {str(payload)[:200]}")
                return
            if payload.get("ticket") is None:
                return  # nobody waits
            self.got.append(payload["ticket"]["id"])
            status, payload = self.timed("finish", f"/api/v1/windows/{window}/finish", {})
            if status != 200:
                self.errors.append(f"finish {status} {str(payload)[:200]}")
                return

    def case(self) -> None:
        job = self.job
        for i in range(job["count"]):
            t = time.monotonic()
            status, payload = self.timed("create+submit", "/api/v1/cases", {
                "item_id": job["item"], "channel": "window", "submit": True,
                "applicant": {"kind": "person", "name": "李四", "id_number": _identity(job["first"] + i),
                              "mobile": "13900139000"}})
            if status != 201:
                self.errors.append(f"create {status} {str(payload)[:200]}")
                continue
            status, accepted = self.timed("accept", f"/api/v1/cases/{payload['number']}/accept", {})
            self.lat.setdefault("intake", []).append(time.monotonic() - t)
            if status != 200:
                self.errors.append(f"accept {status} {str(accepted)[:200]}")
            else:
                self.got.append(payload["number"])

    def _raw(self, write) -> None:
        for i in range(self.job["count"]):
            t = time.monotonic()
            try:
                write(i)
            except Exception as exc:  # noqa: BLE001 - counted as an error of the run
                self.errors.append(f"raw {exc!r}"[:300])
                self.writer.rollback()
            self.lat.setdefault("raw", []).append(time.monotonic() - t)
        self.writer.close()

    def raw_ticket(self) -> None:
        self.writer = RawWriter(self.job)
        self._raw(self.writer.ticket)

    def raw_case(self) -> None:
        self.writer = RawWriter(self.job)
        self._raw(self.writer.case)


def _client_process(jobs: list[dict], port: int, ready, go, results) -> None:
    out: list[dict] = []

    def thread(job: dict) -> None:
        go.wait()
        out.append(Job(job, port).run())

    threads = [threading.Thread(target=thread, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    with ready.get_lock():
        ready.value += 1
    for t in threads:
        t.join()
    results.put(out)


# -- the raw-SQL baseline ------------------------------------------------------------------------------------------


class RawWriter:
    """The rows the API writes, written by hand in as few transactions as the acts have (one per request):

    ticket issue: the day's sequence (one upsert returning the number), the ticket row, its audit event (its shard's
    head upserted, the event inserted): 4 statements, 1 transaction;
    case intake: create + submit in one transaction (the case counter upserted, the case row inserted already
    submitted, the shard's head upserted, the two audit events in one INSERT: 4 statements), accept in a second
    (one UPDATE, the head upserted, one audit event: 3 statements).

    Column values are copied from a row the API wrote in the same run (its template), so the rows are the API's
    rows whatever columns they have; only the keys, numbers and codes differ.
    """

    def __init__(self, job: dict):
        self.job, self.pg = job, job["vendor"] == "postgresql"
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(job["dsn"], autocommit=False)
        else:
            import sqlite3

            self.conn = sqlite3.connect(job["dsn"], timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.mark = "%s" if self.pg else "?"

    def rollback(self) -> None:
        if self.pg:
            self.conn.rollback()
        else:
            self.conn.execute("ROLLBACK") if self.conn.in_transaction else None

    def close(self) -> None:
        self.conn.close()

    def _begin(self):
        cursor = self.conn.cursor()
        if not self.pg:
            cursor.execute("BEGIN IMMEDIATE")
        return cursor

    def _commit(self) -> None:
        self.conn.commit() if self.pg else self.conn.execute("COMMIT")

    def _value(self, value):
        if isinstance(value, dict | list):
            if not self.pg:
                return json.dumps(value, ensure_ascii=False)
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def _insert(self, cursor, table: str, row: dict, returning: bool = True):
        columns = [c for c in row if c != "id"]
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([self.mark] * len(columns))})"
               + (" RETURNING id" if returning else ""))
        cursor.execute(sql, [self._value(row[c]) for c in columns])
        return cursor.fetchone()[0] if returning else None

    def _audit(self, cursor, events: list[dict], object_id) -> None:
        """Append `events` (copies of the API's) as `core.audit.record` does: to the shard of their object (CRC-32
        of type and id modulo AUDIT_CHAIN_SHARDS), whose head row is upserted (its lock; the latest committed head
        returned), then one INSERT of all the events with their links and positions; the trigger moves the head."""
        object_type, object_id = events[0]["object_type"], str(object_id)
        shard = zlib.crc32(f"{object_type}\x1f{object_id}".encode()) % self.job["audit_shards"]
        cursor.execute(
            f"INSERT INTO core_auditchainhead (shard, last_id, last_hash, length) VALUES ({self.mark}, NULL,"
            f" {self.mark}, 0) ON CONFLICT (shard) DO UPDATE SET length = core_auditchainhead.length"
            " RETURNING last_hash, length", [shard, GENESIS])
        prev, length = cursor.fetchone()
        now = dt.datetime.now(dt.UTC)
        rows = []
        for n, template in enumerate(events, 1):
            # Stored as Django stores it: an aware time on PostgreSQL, naive UTC text on SQLite.
            event = {**template, "at": now if self.pg else str(now.replace(tzinfo=None)), "object_id": object_id,
                     "prev_hash": prev, "shard": shard, "seq": length + n}
            event["hash"] = prev = hashlib.sha256(json.dumps(
                [prev, now.isoformat(timespec="microseconds"), *(event[k] for k in (
                    "actor_id", "actor_label", "action", "object_type", "object_id", "before", "after", "reason"))],
                ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
            rows.append(event)
        columns = [c for c in rows[0] if c != "id"]
        values = ", ".join("(" + ", ".join([self.mark] * len(columns)) + ")" for _ in rows)
        cursor.execute(f"INSERT INTO core_auditevent ({', '.join(columns)}) VALUES {values}",
                       [self._value(r[c]) for r in rows for c in columns])

    def ticket(self, i: int) -> None:
        job = self.job
        template, day = job["ticket"], job["ticket"]["day"]
        cursor = self._begin()
        cursor.execute(
            f"INSERT INTO core_dailysequence (name, day, last_value) VALUES ({self.mark}, {self.mark}, 1) ON CONFLICT"
            " (name, day) DO UPDATE SET last_value = core_dailysequence.last_value + 1 RETURNING last_value",
            [job["sequence_name"], day])
        sequence = cursor.fetchone()[0]
        now = dt.datetime.now(dt.UTC)
        stamp = now if self.pg else now.isoformat(sep=" ")
        ticket_id = self._insert(cursor, "hall_ticket", {
            **template, "sequence": sequence, "number": f"R{sequence:03d}", "code": f"R{os.getpid() % 1000:03d}{i:06d}",
            "issued_at": stamp, "queued_at": stamp})
        self._audit(cursor, job["ticket_events"], ticket_id)
        self._commit()

    def case(self, i: int) -> None:
        job = self.job
        template = job["case"]
        cursor = self._begin()
        cursor.execute(
            f"INSERT INTO core_dailysequence (name, day, last_value) VALUES ({self.mark}, {self.mark}, 1) ON CONFLICT"
            " (name, day) DO UPDATE SET last_value = core_dailysequence.last_value + 1 RETURNING last_value",
            [job["sequence_name"], job["counter_day"]])
        value = cursor.fetchone()[0]
        row = {**template, "number": f"RAW{job['counter_day'].replace('-', '')}{value:06d}",
               "applicant_id_number": _identity(500_000 + value), "idempotency_key": "",
               **job["case_submitted"]}
        case_id = self._insert(cursor, "cases_case", row)
        self._audit(cursor, job["case_events"][:-1], case_id)
        self._commit()
        cursor = self._begin()
        changes = job["case_accepted"]
        cursor.execute(f"UPDATE cases_case SET {', '.join(f'{c} = {self.mark}' for c in changes)}"
                       f" WHERE id = {self.mark}", [*changes.values(), case_id])
        self._audit(cursor, job["case_events"][-1:], case_id)
        self._commit()


# -- server processes, /proc, PostgreSQL -----------------------------------------------------------------------


def _ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _cpu_seconds(pids) -> dict[int, int]:
    return {pid: t for pid in pids if (t := _ticks(pid)) is not None}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Watcher(threading.Thread):
    """Samples pg_stat_activity for the benchmark's database every 20 ms: connections, the backends' pids, and how
    many of the active backends wait for a lock (a row, a counter, an advisory lock: wait_event_type 'Lock')."""

    def __init__(self, maintenance: str, database: str):
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(maintenance, autocommit=True)
        self.database, self.running, self.most, self.pids = database, True, 0, set()
        self.active = self.waiting = 0
        self.lock = threading.Lock()

    def reset(self) -> tuple[int, set[int]]:
        """The most connections seen and every backend seen since the last reset (or now)."""
        current = {pid for pid, _, _ in self.sample()}
        with self.lock:
            most, pids = max(self.most, len(current)), self.pids | current
            self.most, self.pids = 0, set()
        return most, pids

    def lock_waits(self) -> tuple[int, int]:
        """(active backends sampled, of them waiting for a lock) since the last call."""
        with self.lock:
            counts, self.active, self.waiting = (self.active, self.waiting), 0, 0
        return counts

    def sample(self) -> list[tuple[int, bool, bool]]:
        return self.conn.execute(
            "SELECT pid, state = 'active', coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]).fetchall()

    def run(self) -> None:
        while self.running:
            rows = self.sample()
            with self.lock:
                self.most = max(self.most, len(rows))
                self.pids |= {pid for pid, _, _ in rows}
                self.active += sum(1 for _, active, _ in rows if active)
                self.waiting += sum(1 for _, active, waiting in rows if active and waiting)
            time.sleep(0.02)


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, sum(values)


# -- results -----------------------------------------------------------------------------------------------------


@dataclass
class Row:
    deployment: str
    name: str
    ops: int
    unit: str
    rate: float
    p50: float | None
    p99: float | None
    cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    statements: float | None = None
    connections: int | None = None
    errors: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)


def _q(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


# -- one deployment ------------------------------------------------------------------------------------------------


def _base_env(temp: Path, run_id: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_POOL_SIZE")}
    env.update({"DJANGO_SETTINGS_MODULE": "onewindow.settings", "ONEWINDOW_VAR_DIR": str(temp), "LOG_LEVEL": "ERROR",
                "DEBUG": "0", "SECRET_KEY": "bench-http-" + run_id, "PYTHONPATH": str(ROOT / "src")})
    return env


def _seed_into(env: dict[str, str], temp: Path, args) -> dict:
    out = temp / "seed.json"
    subprocess.run([sys.executable, str(Path(__file__)), "--seed", str(out), "--kiosks", str(args.kiosks)],
                   env=env, check=True, cwd=temp)
    return json.loads(out.read_text())


def _create_database(maintenance: str, name: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as conn:
        for attempt in range(50):
            try:
                conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
                return
            except psycopg.errors.ObjectInUse:  # the seeding process's connections are still closing
                if attempt == 49:
                    raise
                time.sleep(0.2)


def seed_template(args, run_id: str, created: list[str]) -> dict:
    """Migrate and seed one PostgreSQL database that no server uses: each PostgreSQL deployment starts from a copy."""
    database = f"bench_http_{run_id}_seed"
    _create_database(args.maintenance, database)
    created.append(database)
    temp = Path(tempfile.mkdtemp(prefix="bench-http-seed-"))
    started = time.monotonic()
    try:
        env = {**_base_env(temp, run_id), "DATABASE_POOL_SIZE": "0", "CONN_MAX_AGE": "0",
               "DATABASE_URL": urlunsplit(urlsplit(args.pg)._replace(path=f"/{database}"))}
        data = _seed_into(env, temp, args)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    print(f"PostgreSQL seeded through the services in {time.monotonic() - started:.0f} s ({database}, a template)")
    return {"database": database, "data": data}


def _latency_extras(row: Row, outcome: list[dict]) -> None:
    """The other requests' latencies of a run, and its server CPU split by request when one client ran alone."""
    for other in ("finish", "create+submit", "accept"):
        values = [v for o in outcome for v in o["lat"].get(other, [])]
        if values:
            row.extra[f"{other} p50/p99"] = f"{_q(values, 0.5):.0f}/{_q(values, 0.99):.0f} ms"
    split = {name: ticks for o in outcome for name, ticks in o.get("cpu", {}).items()}
    if len(split) > 1:
        row.extra["server CPU per request"] = ", ".join(
            f"{name} {ticks / TICK * 1000 / len(values):.1f} ms" for name, ticks in split.items()
            if (values := [v for o in outcome for v in o["lat"].get(name, [])]))


class Deployment:
    def __init__(self, name: str, args, run_id: str, created: list[str], template: dict | None = None):
        self.name, self.args, self.rows = name, args, []
        self.temp = Path(tempfile.mkdtemp(prefix=f"bench-http-{name}-"))
        self.stats = self.temp / "stats"
        self.stats.mkdir()
        self.env = {**_base_env(self.temp, run_id), "BENCH_STATS_DIR": str(self.stats)}
        self.watcher: Watcher | None = None
        self.pg = name in ("asgi", "wsgi")
        if self.pg:
            self.database = f"bench_http_{run_id}_{name}"

            # The second PostgreSQL deployment starts from a copy of the first one's seeded database (a template
            # kept untouched for it), which saves migrating and seeding again.
            _create_database(args.maintenance, self.database, template["database"] if template else None)
            created.append(self.database)
            self.template = template
            self.dsn = urlunsplit(urlsplit(args.pg)._replace(path=f"/{self.database}"))
            self.env.update({"DATABASE_URL": self.dsn, "DATABASE_POOL_SIZE": str(args.pool),
                             "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}", "EMBEDDED_SCHEDULER": "0"})
            self.processes = args.workers
            self.limit = args.workers * args.pool
        else:
            self.dsn = str(self.temp / "onewindow.sqlite3")
            self.processes, self.limit = 1, None
        self.server: subprocess.Popen | None = None

    # setup and the server

    def seed(self) -> dict:
        if self.pg and self.template:
            print(f"  seeded: a copy of {self.template['database']}")
            return self.template["data"]
        started = time.monotonic()
        data = _seed_into(self.env, self.temp, self.args)
        print(f"  seeded through the services in {time.monotonic() - started:.0f} s")
        return data

    def start(self) -> None:
        self.port = _free_port()
        if self.name == "wsgi":
            command = [sys.executable, "-m", "gunicorn", "counting_app:wsgi", "--pythonpath", str(APP_DIR),
                       "--workers", str(self.args.workers), "--threads", str(self.args.threads),
                       "--worker-class", "gthread", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                       "--keep-alive", "30"]
            env = {**self.env, "BENCH_INTERFACE": "wsgi"}
        else:
            command = [sys.executable, "-m", "uvicorn", "counting_app:asgi", "--app-dir", str(APP_DIR),
                       "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log", "--log-level", "warning",
                       "--timeout-keep-alive", "30"]
            if self.name == "asgi":
                command += ["--workers", str(self.args.workers)]
            env = self.env
        self.server = subprocess.Popen(command, env=env, cwd=self.temp, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", f"/api/v1/halls/{self.data['hall']}/board")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit(f"{self.name}: the server did not answer within 120 s")
        if self.pg:
            self.watcher = Watcher(self.args.maintenance, self.database)
            self.watcher.start()
        # Warm-up: every worker imports its views and opens its pool (tickets of category C, never called).
        kiosk = Api(self.port, self.data["kiosk_tokens"][0])
        for _ in range(8 * self.processes):
            kiosk.post(f"/api/v1/halls/{self.data['hall']}/tickets", {"category": "C"})
            kiosk.conn.close()
            kiosk.conn = None
        # ...and takes a few cases in, so that the first cases of e1 do not pay for a worker's first intake (its
        # imports, the item's form and clocks read into the process caches): a server runs for days.
        for n in range(4 * self.processes):
            clerk = Job({"kind": "case", "token": self.data["case_tokens"][0], "item": self.data["item_id"],
                         "count": 1, "first": 900_000 + n}, self.port)
            clerk.case()
            if clerk.errors:
                raise SystemExit(f"{self.name}: the warm-up intake failed: {clerk.errors[0]}")

    def stop(self) -> None:
        if self.watcher:
            self.watcher.running = False
            self.watcher.join()
            self.watcher.conn.close()
            self.watcher = None
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()

    def sql(self, query: str, params=()) -> list[tuple]:
        if self.pg:
            import psycopg

            with psycopg.connect(self.dsn) as conn:
                return conn.execute(query, params).fetchall()
        import sqlite3

        conn = sqlite3.connect(self.dsn, timeout=30)
        try:
            return conn.execute(query.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def table_rows(self) -> dict[str, int]:
        if self.pg:
            tables = [r[0] for r in self.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        else:
            tables = [r[0] for r in self.sql("SELECT name FROM sqlite_master WHERE type = 'table'"
                                             " AND name NOT LIKE 'sqlite_%'")]
        # A counter's row and a shard's head row are created once (a day, a shard) and then moved: count what
        # moves, the numbers taken and the links appended, so that a run is not charged for the day's or the
        # shard's first row (the API's first run meets new shards, the baseline after it none).
        moved = {"core_dailysequence": "coalesce(sum(last_value), 0)", "core_auditchainhead": "coalesce(sum(length), 0)"}
        labels = {"core_dailysequence": "core_dailysequence (numbers taken)",
                  "core_auditchainhead": "core_auditchainhead (links moved)"}
        query = " UNION ALL ".join(f"SELECT '{labels.get(t, t)}', {moved.get(t, 'count(*)')} FROM {t}" for t in tables)
        return dict(self.sql(query))

    # one run

    def counts(self) -> tuple[int, int]:
        statements = requests = 0
        for path in self.stats.glob("*.counts"):
            data = path.read_bytes()
            if len(data) >= 16:
                statements += int.from_bytes(data[:8], "little")
                requests += int.from_bytes(data[8:16], "little")
        return statements, requests

    def _bound_extras(self, row: Row, machine0: tuple[int, int], machine1: tuple[int, int], server: bool) -> None:
        """The machine's CPU busy during the run, and the lock waits PostgreSQL's backends showed."""
        if machine1[1] > machine0[1]:
            row.extra["machine busy"] = (machine1[0] - machine0[0]) / (machine1[1] - machine0[1])
        if self.watcher and server:
            active, waiting = self.watcher.lock_waits()
            row.extra["lock waits"] = (waiting, active)

    def drive(self, name: str, jobs: list[dict], *, unit: str, measure: str, rows_of: bool = False,
              server: bool = True) -> tuple[Row, list[dict]]:
        """Run `jobs` (one client thread each) from separate processes at once; one row of results."""
        context = multiprocessing.get_context("fork")
        pids = _descendants(self.server.pid) if server else []
        if len(jobs) == 1 and server:
            jobs = [{**jobs[0], "cpu_pids": pids}]
        procs_count = min(len(jobs), self.args.client_processes)
        groups = [jobs[i::procs_count] for i in range(procs_count)]
        ready, go, results = context.Value("i", 0), context.Event(), context.Queue()
        # Daemons: if the run fails before `go`, the clients waiting for it end with this process.
        procs = [context.Process(target=_client_process, args=(g, self.port if server else 0, ready, go, results),
                                 daemon=True) for g in groups]
        for p in procs:
            p.start()
        while ready.value < len(procs):
            time.sleep(0.01)
        before_rows = self.table_rows() if rows_of else None
        cpu0 = _cpu_seconds(pids)
        backends0 = self.watcher.reset()[1] if self.watcher else set()
        db0 = _cpu_seconds(backends0)
        st0, rq0 = self.counts()
        if self.watcher:
            self.watcher.lock_waits()
        machine0 = _machine_ticks()
        go.set()
        outcome = [item for _ in procs for item in results.get()]
        for p in procs:
            p.join()
        cpu1 = _cpu_seconds(pids)
        machine1 = _machine_ticks()
        st1, rq1 = self.counts()
        connections = None
        db_ticks = None
        if self.watcher:
            connections, backends1 = self.watcher.reset()
            db1 = _cpu_seconds(backends1 | backends0)
            db_ticks = sum(t - db0.get(pid, 0) for pid, t in db1.items())
        latencies = [v for o in outcome for v in o["lat"].get(measure, [])]
        errors = [e for o in outcome for e in o["errors"]]
        ops = len(latencies) if measure != "call" else sum(len(o["got"]) for o in outcome)
        elapsed = max(o["end"] for o in outcome) - min(o["start"] for o in outcome)
        row = Row(self.name, name, ops, unit, ops / elapsed if elapsed else 0.0, _q(latencies, 0.5),
                  _q(latencies, 0.99), errors=len(errors))
        if ops and server:
            row.cpu_ms = sum(t - cpu0.get(pid, 0) for pid, t in cpu1.items()) / TICK * 1000 / ops
            row.statements = (st1 - st0) / ops
            row.extra["requests"] = rq1 - rq0
            if db_ticks is not None:
                row.db_cpu_ms = db_ticks / TICK * 1000 / ops
        row.connections = connections
        if rows_of and ops:
            after_rows = self.table_rows()
            row.extra["rows"] = {t: (after_rows[t] - before_rows.get(t, 0)) / ops for t in after_rows
                                 if after_rows[t] != before_rows.get(t, 0)}
        _latency_extras(row, outcome)
        row.extra["clients"] = len(jobs)
        self._bound_extras(row, machine0, machine1, server)
        if errors:
            row.note = f"{len(errors)} errors, first: {errors[0]}"
        self.rows.append(row)
        print(f"  {name:<34} {ops:>6} {row.rate:>8.1f}/s  p50 {_fmt(row.p50)} ms  p99 {_fmt(row.p99)} ms  "
              f"CPU {_fmt(row.cpu_ms)} ms/op  db {_fmt(row.db_cpu_ms)} ms/op  SQL {_fmt(row.statements)}/op  "
              f"conns {_fmt(connections)}{'  ' + row.note if row.note else ''}", flush=True)
        return row, outcome

    # the runs

    def run(self) -> None:
        print(f"\n## {self.name} — load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
        self.data = self.seed()
        self.start()
        try:
            self._runs()
        finally:
            self.stop()
        self._correctness()
        self._raw()

    def _runs(self) -> None:
        a, d = self.args, self.data
        issue = {"kind": "issue", "hall": d["hall"], "categories": ["A", "B"]}
        _, seq = self.drive("a. ticket issue, sequential", [{**issue, "token": d["kiosk_tokens"][0],
                                                             "count": a.seq_tickets}],
                            unit="tickets", measure="issue", rows_of=True)
        per = a.kiosk_tickets // a.kiosks
        _, kiosks = self.drive(f"b. ticket issue, {a.kiosks} kiosks", [
            {**issue, "token": d["kiosk_tokens"][k], "count": per} for k in range(a.kiosks)],
            unit="tickets", measure="issue")
        self.issued = [tuple(g) for o in seq + kiosks for g in o["got"]]
        self.called: list[int] = []
        for label, windows, pairs in (("c0. call-next + finish, 1 window", 1, a.one_window_pairs),
                                      ("c. call-next + finish, 10 windows", 10, a.pairs),
                                      ("d. call-next + finish, 30 windows", 30, a.pairs)):
            windows = min(windows, len(d["windows"]))
            jobs = [{"kind": "call", "window": w["id"], "token": w["token"],
                     "count": pairs // windows + (1 if n < pairs % windows else 0)}
                    for n, w in enumerate(d["windows"][:windows])]
            row, outcome = self.drive(label, jobs, unit="pairs", measure="call")
            self.called += [t for o in outcome for t in o["got"]]
            row.extra["twice"] = sum(c - 1 for c in Counter(t for o in outcome for t in o["got"]).values() if c > 1)
        case = {"kind": "case", "item": d["item_id"]}
        self.drive("e1. case intake, 1 client", [{**case, "token": d["case_tokens"][0], "count": a.cases,
                                                  "first": 0}], unit="cases", measure="intake", rows_of=True)
        clients = len(d["case_tokens"])
        self.drive(f"e8. case intake, {clients} clients", [
            {**case, "token": d["case_tokens"][c], "count": a.cases // clients, "first": 100_000 + c * 10_000}
            for c in range(clients)], unit="cases", measure="intake")

    def _correctness(self) -> None:
        hall = self.data["hall_id"]
        called_cats = [self.data["categories"]["A"], self.data["categories"]["B"]]
        marks = ", ".join(["%s"] * len(called_cats))
        duplicates = self.sql(
            "SELECT count(*) - count(DISTINCT category_id || '-' || day || '-' || sequence) FROM hall_ticket"
            " WHERE hall_id = %s AND transferred_from_id IS NULL", [hall])[0][0]
        same_number = self.sql("SELECT count(*) FROM (SELECT number, day FROM hall_ticket WHERE hall_id = %s"
                               " AND transferred_from_id IS NULL GROUP BY number, day HAVING count(*) > 1) AS t",
                               [hall])[0][0]
        twice_audit = self.sql("SELECT count(*) FROM (SELECT object_id FROM core_auditevent WHERE action ="
                               " 'ticket.call' GROUP BY object_id HAVING count(*) > 1) AS t")[0][0]
        twice_client = sum(c - 1 for c in Counter(self.called).values() if c > 1)
        states = dict(self.sql(f"SELECT state, count(*) FROM hall_ticket WHERE hall_id = %s AND category_id IN"
                               f" ({marks}) GROUP BY state", [hall, *called_cats]))
        issued_ids = [i for i, _ in self.issued]
        present = {r[0] for r in self.sql("SELECT id FROM hall_ticket WHERE hall_id = %s", [hall])}
        lost = sum(1 for i in issued_ids if i not in present)
        finished_ok = states.get("done", 0) == len(self.called)
        verify = self._verify()
        self.correct = {
            "tickets issued (201)": len(issued_ids), "duplicate numbers": duplicates + same_number,
            "called twice": max(twice_audit, twice_client), "lost": lost,
            "states": states, "done = pairs called": finished_ok,
            "audit verify": "passes" if verify.returncode == 0 else f"FAILS: {(verify.stdout + verify.stderr)[-300:]}",
            "audit verify output": verify.stdout.strip().splitlines()[-1:] if verify.stdout.strip() else [],
        }
        print(f"  correctness: issued {len(issued_ids)}, duplicate numbers {duplicates + same_number}, called twice"
              f" {max(twice_audit, twice_client)}, lost {lost}, states {states}, audit verify"
              f" {self.correct['audit verify']} {self.correct['audit verify output']}", flush=True)

    def _verify(self) -> subprocess.CompletedProcess:
        verify = subprocess.run([sys.executable, "-m", "onewindow", "audit", "verify"], env=self.env,
                                capture_output=True, text=True, cwd=self.temp)
        if verify.returncode != 0 and "No module named onewindow.__main__" in verify.stderr:
            verify = subprocess.run(["onewindow", "audit", "verify"], env=self.env, capture_output=True, text=True,
                                    cwd=self.temp)
        return verify

    def _raw(self) -> None:
        """The baselines, after the checks: templates from the API's rows; then `audit verify` again, over the API's
        and the baseline's events together (the baseline links its events into the same shards)."""
        a, d = self.args, self.data
        vendor = "postgresql" if self.pg else "sqlite"
        ticket_cols = self._columns("hall_ticket")
        tid = self.sql("SELECT id FROM hall_ticket WHERE category_id = %s ORDER BY id LIMIT 1",
                       [d["categories"]["A"]])[0][0]
        ticket = dict(zip(ticket_cols, self.sql("SELECT * FROM hall_ticket WHERE id = %s", [tid])[0], strict=True))
        sequence_name = f"hall.raw.{os.getpid()}"
        ticket = {k: v for k, v in ticket.items() if k != "id"}
        # Category C on a day of its own: the raw numbers never meet the API's.
        ticket.update({"category_id": d["categories"]["C"], "day": "2099-01-01"})
        base = {"vendor": vendor, "dsn": self.dsn, "audit_shards": d["audit_shards"]}
        raw_ticket = {**base, "kind": "raw_ticket", "ticket": ticket, "sequence_name": sequence_name,
                      "ticket_events": self._events("hall.ticket", tid)[:1]}
        case_cols = self._columns("cases_case")
        cid, number = self.sql("SELECT id, number FROM cases_case WHERE state = 'accepted' ORDER BY id LIMIT 1")[0]
        case = dict(zip(case_cols, self.sql("SELECT * FROM cases_case WHERE id = %s", [cid])[0], strict=True))
        accepted_fields = [c for c in ("state", "version", "accepted_at", "accepted_on", "due_on", "legal_due_on",
                                       "clock_due_on", "clock_warn_on", "updated_at") if c in case]
        accepted = {c: case[c] for c in accepted_fields}
        submitted = {"state": "submitted", "version": max(1, int(case.get("version", 2)) - 1),
                     **{c: None for c in accepted_fields if c not in ("state", "version", "clock_due_on",
                                                                       "clock_warn_on", "updated_at")}}
        case = {k: (self._plain(v)) for k, v in case.items() if k != "id"}
        raw_case = {**base, "kind": "raw_case", "case": case, "counter_day": "2099-01-01",
                    "sequence_name": f"cases.raw.{os.getpid()}",
                    "case_submitted": submitted, "case_accepted": {k: self._plain(v) for k, v in accepted.items()},
                    "case_events": self._events("cases.case", cid)}
        self.drive("raw: ticket issue, 1 connection", [{**raw_ticket, "count": a.seq_tickets}],
                   unit="tickets", measure="raw", rows_of=True, server=False)
        self.drive(f"raw: ticket issue, {a.kiosks} connections",
                   [{**raw_ticket, "count": a.kiosk_tickets // a.kiosks} for _ in range(a.kiosks)],
                   unit="tickets", measure="raw", server=False)
        self.drive("raw: case intake, 1 connection", [{**raw_case, "count": a.cases}], unit="cases",
                   measure="raw", rows_of=True, server=False)
        clients = len(d["case_tokens"])
        self.drive(f"raw: case intake, {clients} connections",
                   [{**raw_case, "count": a.cases // clients} for _ in range(clients)], unit="cases",
                   measure="raw", server=False)
        print(f"  (case {number}'s rows are the template of the raw case rows)")
        verify = self._verify()
        self.correct["audit verify after raw"] = (
            "passes" if verify.returncode == 0 else f"FAILS: {(verify.stdout + verify.stderr)[-300:]}")
        print(f"  audit verify after the raw baseline: {self.correct['audit verify after raw']}"
              f" {verify.stdout.strip().splitlines()[-1:] if verify.stdout.strip() else []}", flush=True)

    def _plain(self, value):
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
        return value

    def _columns(self, table: str) -> list[str]:
        if self.pg:
            return [r[0] for r in self.sql("SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                                           " ORDER BY ordinal_position", [table])]
        return [r[1] for r in self.sql(f"PRAGMA table_info({table})")]

    def _events(self, object_type: str, object_id) -> list[dict]:
        columns = [c for c in self._columns("core_auditevent") if c not in ("id",)]
        rows = self.sql(f"SELECT {', '.join(columns)} FROM core_auditevent WHERE object_type = %s AND object_id = %s"
                        " ORDER BY id", [object_type, str(object_id)])
        events = []
        for r in rows:
            event = dict(zip(columns, r, strict=True))
            for key in ("before", "after"):
                if isinstance(event.get(key), str):
                    with contextlib.suppress(ValueError):
                        event[key] = json.loads(event[key])
            event["at"] = None
            events.append({k: self._plain(v) for k, v in event.items()})
        return events


# -- the report ----------------------------------------------------------------------------------------------------


def _vs_raw(dep: Deployment, row: Row) -> str:
    """The run's rate over its raw baseline's (same writes, same number of connections), e.g. `0.12×`."""
    raw = {r.name: r for r in dep.rows if r.name.startswith("raw:")}
    baseline = {"a.": "raw: ticket issue, 1 connection", "b.": f"raw: ticket issue, {dep.args.kiosks} connections",
                "e1.": "raw: case intake, 1 connection",
                "e8.": f"raw: case intake, {len(dep.data['case_tokens'])} connections"}.get(row.name.split(" ")[0])
    if baseline in raw and raw[baseline].rate:
        return f"{row.rate / raw[baseline].rate:.2f}×"
    return ""


def _little(row: Row) -> str:
    """Little's law for a run of clients that never pause: its mean latency per operation is clients / rate,
    whatever the server does — a p99 under that is impossible at that rate."""
    clients = row.extra.get("clients", 0)
    if clients < 2 or not row.rate:
        return ""
    per_op = row.extra.get("requests", 0) / row.ops if row.ops else 0
    each = f" ({1000 * clients / row.rate / per_op:.0f} ms per request)" if per_op > 1.5 else ""
    return (f"; {clients} clients at {row.rate:.1f} {row.unit}/s: mean {1000 * clients / row.rate:.0f} ms per"
            f" {row.unit[:-1]}{each}")


def _print_saturation(deployments: list[Deployment]) -> None:
    print("\nWhere the runs were bound (the whole machine's CPU busy during the run, server + PostgreSQL + clients;"
          " PostgreSQL's active backends sampled every 20 ms, and how many of those samples waited for a lock):")
    for dep in deployments:
        for row in dep.rows:
            busy = row.extra.get("machine busy")
            if busy is None or row.name.startswith("raw:"):
                continue
            waits = row.extra.get("lock waits")
            locks = (f", lock waits {waits[0]} of {waits[1]} active-backend samples"
                     f" ({100 * waits[0] / waits[1]:.1f} %)" if waits and waits[1] else "")
            print(f"  {dep.name} · {row.name}: machine CPU {100 * busy:.0f} % busy{locks}{_little(row)}")


def _print_cpu_split(deployments: list[Deployment]) -> None:
    print("\nServer CPU by request, one client alone (its /proc ticks read around each request, summed by kind):")
    for dep in deployments:
        for row in dep.rows:
            if "server CPU per request" in row.extra:
                print(f"  {dep.name} · {row.name}: {row.extra['server CPU per request']}")


def report(deployments: list[Deployment], args, loads: list[str]) -> None:
    print("\n## Results (Markdown)\n")
    print(f"{os.cpu_count()} CPUs; load average at the start of each deployment: {'; '.join(loads)}. "
          f"Server CPU = the web server's processes (user + system, /proc); db CPU = PostgreSQL's backends for the "
          "benchmark's database; SQL = statements Django sent per operation (as the tests count them); "
          f"connections = most seen in pg_stat_activity (limit workers × pool = {args.workers} × {args.pool}).\n")
    print("| deployment | run | ops | rate /s | p50 ms | p99 ms | server CPU ms/op | db CPU ms/op | SQL/op |"
          " connections | vs raw |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for dep in deployments:
        for row in dep.rows:
            print(f"| {dep.name} | {row.name} | {row.ops:,} {row.unit} | {row.rate:,.1f} | {_fmt(row.p50)} |"
                  f" {_fmt(row.p99)} | {_fmt(row.cpu_ms)} | {_fmt(row.db_cpu_ms)} | {_fmt(row.statements)} |"
                  f" {_fmt(row.connections)} | {_vs_raw(dep, row)} |")
    print("\n| deployment | tickets issued | duplicate numbers | called twice | lost | audit verify |"
          " audit verify after raw |")
    print("|---|---|---|---|---|---|---|")
    for dep in deployments:
        c = getattr(dep, "correct", None)
        if c:
            print(f"| {dep.name} | {c['tickets issued (201)']:,} | {c['duplicate numbers']} | {c['called twice']} |"
                  f" {c['lost']} | {c['audit verify']} | {c.get('audit verify after raw', '')} |")
    print("\nRows written per operation (API vs raw baseline; inserts per table, counted before/after; for the"
          " daily counters the numbers taken and for the audit chain's head rows the links moved):")
    for dep in deployments:
        for row in dep.rows:
            if "rows" in row.extra:
                rows = ", ".join(f"{t} {n:g}" for t, n in sorted(row.extra["rows"].items()))
                print(f"  {dep.name} · {row.name}: {rows}")
    print("\nOther latencies (p50/p99):")
    for dep in deployments:
        for row in dep.rows:
            others = {k: v for k, v in row.extra.items() if k.endswith("p50/p99")}
            if others:
                print(f"  {dep.name} · {row.name}: " + ", ".join(f"{k} {v}" for k, v in others.items()))
    _print_cpu_split(deployments)
    _print_saturation(deployments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small run: every count divided by 10")
    parser.add_argument("--deployments", default="asgi,wsgi,embedded", help="asgi, wsgi, embedded (comma-separated)")
    parser.add_argument("--seq-tickets", type=int, default=500, help="a: sequential ticket issues")
    parser.add_argument("--kiosks", type=int, default=20, help="b: kiosks issuing at once")
    parser.add_argument("--kiosk-tickets", type=int, default=1000, help="b: tickets issued by all kiosks together")
    parser.add_argument("--one-window-pairs", type=int, default=100, help="c0: call + finish pairs with 1 window")
    parser.add_argument("--pairs", type=int, default=500, help="c, d: call + finish pairs with 10 and 30 windows")
    parser.add_argument("--cases", type=int, default=200, help="e: cases taken in (create + submit, accept)")
    parser.add_argument("--case-clients", type=int, default=8, help="e8: clients taking cases in at once")
    parser.add_argument("--workers", type=int, default=2, help="server processes (asgi, wsgi)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (wsgi)")
    parser.add_argument("--pool", type=int, default=4, help="DATABASE_POOL_SIZE (asgi, wsgi)")
    parser.add_argument("--client-processes", type=int, default=4, help="client processes the threads spread over")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres", help="PostgreSQL server")
    parser.add_argument("--redis-db", type=int, default=12, help="Redis database number for asgi and wsgi")
    parser.add_argument("--keep", action="store_true", help="keep the databases this run created")
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, windows=30, case_clients=8, kiosks=args.kiosks)
        return
    if args.quick:
        for name in ("seq_tickets", "kiosk_tickets", "one_window_pairs", "pairs", "cases"):
            setattr(args, name, max(getattr(args, name) // 10, 10))
        args.kiosk_tickets = max(args.kiosk_tickets, args.kiosks)
    if args.case_clients != 8:
        parser.error("--case-clients is 8 (the seeding makes 8 clerks)")
    if min(args.seq_tickets, args.kiosks, args.kiosk_tickets, args.pairs, args.cases, args.workers, args.pool) < 1:
        parser.error("counts must be at least 1")
    names = [n.strip() for n in args.deployments.split(",") if n.strip()]
    if unknown := set(names) - {"asgi", "wsgi", "embedded"}:
        parser.error(f"unknown deployment(s): {', '.join(sorted(unknown))}")
    if args.seq_tickets + args.kiosk_tickets < args.one_window_pairs + 2 * args.pairs:
        parser.error("the tickets issued (a + b) must cover the pairs called (c0 + c + d)")
    args.maintenance = args.pg
    run_id = f"{time.strftime('%H%M%S')}_{os.getpid()}"
    created: list[str] = []
    deployments, loads = [], []
    began = time.monotonic()
    print(f"onewindow HTTP benchmark — run {run_id}, {os.cpu_count()} CPUs, deployments {', '.join(names)}")
    try:
        template = None
        for name in names:
            if name in ("asgi", "wsgi") and template is None:
                template = seed_template(args, run_id, created)
            loads.append(f"{name} {os.getloadavg()[0]:.1f}")
            dep = Deployment(name, args, run_id, created, template if name != "embedded" else None)
            deployments.append(dep)
            try:
                dep.run()
            finally:
                dep.stop()
                shutil.rmtree(dep.temp, ignore_errors=True)
        report(deployments, args, loads)
    finally:
        if created and not args.keep:
            import psycopg

            with psycopg.connect(args.maintenance, autocommit=True) as conn:
                for database in created:  # only the databases this run created
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"\n(total {time.monotonic() - began:.0f} s; databases {'kept' if args.keep else 'dropped'}:"
              f" {', '.join(created) or 'none'})")


if __name__ == "__main__":
    main()
