"""Benchmark of the case engine's hot paths, each against the raw database doing the same work in the same run.

    uv run python benchmarks/cases.py [--cases 500] [--api-cases 200] [--board-rows 1000000]

1. Intake: create + submit + accept through the service layer (cases per second), against raw SQL doing the
   equivalent writes per case (counter row, case row, two state updates, three hash-chained audit rows).
2. The same through the HTTP API (Django test Client, bearer token): POST /cases then POST /accept.
3. The supervision board over `--board-rows` cases, bulk-loaded (COPY on PostgreSQL, executemany on SQLite):
   `supervision_board()` in milliseconds, against one hand-written aggregate query.

Database: with DATABASE_URL pointing at PostgreSQL, a new database `bench_cases_<time>_<pid>` is created on that
server and dropped afterwards (only the one this run created: an existing database is never dropped); otherwise a
new SQLite file in a temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bulkload import bulk_load  # noqa: E402 - the benchmarks' own folder, after the path is set

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A name of this run's own: the run drops only the database it created.
BENCH_DB = f"bench_cases_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
DAY = dt.date(2025, 9, 1)
TODAY = dt.date(2025, 9, 15)


def _postgres_bench_url(url: str) -> tuple[str, str]:
    """(bench database URL, maintenance URL) on the server of `url`."""
    parts = urlsplit(url)
    return (urlunsplit(parts._replace(path=f"/{BENCH_DB}")), urlunsplit(parts._replace(path="/postgres")))


def _create_postgres(maintenance_url: str) -> None:
    """Create this run's database; refuse (CREATE fails) if one of that name exists: it is not ours to reuse."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _drop_postgres(maintenance_url: str) -> None:
    """Drop the database this run created (and only it: `_create_postgres` succeeded)."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=500, help="cases through the services and raw SQL")
    parser.add_argument("--api-cases", type=int, default=200, help="cases through the HTTP API")
    parser.add_argument("--board-rows", type=int, default=None,
                        help="cases loaded for the board query (default 1000000 on PostgreSQL, 200000 on SQLite)")
    args = parser.parse_args()
    if min(args.cases, args.api_cases, args.board_rows or 1) < 1:
        parser.error("counts must be at least 1")

    temp = tempfile.mkdtemp(prefix="onewindow-bench-cases-")
    os.environ["ONEWINDOW_VAR_DIR"] = temp  # SQLite file, media and secret key live here
    os.environ.pop("REDIS_URL", None)
    maintenance = None
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        bench_url, maintenance = _postgres_bench_url(url)
        _create_postgres(maintenance)  # fails if the name exists: then nothing below runs, nothing is dropped
        os.environ["DATABASE_URL"] = bench_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if maintenance:
            _drop_postgres(maintenance)
        shutil.rmtree(temp, ignore_errors=True)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _setup():
    from django.core.management import call_command
    from django.db import transaction

    from onewindow.catalog.acts import create_staff
    from onewindow.catalog.models import Department, ItemType, ItemVersion, ServiceItem, ServicePoint
    from onewindow.core.models import Role, User
    from onewindow.workdays.services import seed_from_package

    call_command("migrate", interactive=False, verbosity=0)
    seed_from_package(years=[2024, 2025, 2026])
    department = Department.objects.create(code="SC", name="市场监管局")
    item_type, _ = ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})
    item = ServiceItem.objects.create(implementation_code="SC-BENCH", basic_code="SC-BENCH", name="基准事项",
                                      department=department)
    version = ItemVersion.objects.create(item=item, number=1, name="基准事项", item_type=item_type,
                                         department=department, promised_days=10, statutory_days=20)
    ItemVersion.objects.filter(pk=version.pk).update(status="published")
    item.published_version = version
    item.save(update_fields=["published_version"])
    point = ServicePoint.objects.create(code="BENCH", name="基准中心", level="district")
    # A department clerk as the project makes one: the account and its department assignment (StaffAssignment),
    # by the system (by=None), as the demo does.
    with transaction.atomic():
        clerk = create_staff(username="bench-clerk", role=Role.CLERK, department=department, by=None)
    supervisor = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR)
    return department, item, point, clerk, supervisor


def _identity(n: int) -> str:
    from onewindow.core.identity import id_check_char

    first17 = f"50010319850612{n % 1000:03d}"
    return first17 + id_check_char(first17)


def bench_services(item, point, clerk, n: int) -> float:
    from onewindow.cases import services

    start = time.perf_counter()
    for i in range(n):
        case, _ = services.create_case(
            by=clerk, item=item, channel="window", service_point=point, submit=True, at=_moment(DAY),
            applicant=services.Applicant(kind="person", name="张三", id_number=_identity(i), mobile="13800138000"),
        )
        services.accept_case(case, by=clerk, at=_moment(DAY, 11))
    return n / (time.perf_counter() - start)


def bench_raw(department, item, clerk, n: int) -> float:
    """The same rows written by hand: counter, case, two updates, three chained audit events per case."""
    from django.db import connection, transaction

    from onewindow.core import audit

    now = dt.datetime.now(dt.UTC)
    version_id = item.published_version_id
    day = DAY + dt.timedelta(days=1)  # its own counter row, so numbers never collide with the service run
    sequence = f"cases.department.{department.pk}"  # the daily sequence the services number cases by
    case_sql = (
        "INSERT INTO cases_case (number, query_code, version, state, item_id, item_version_id, department_id,"
        " channel, applicant_kind, applicant_name, applicant_id_number, applicant_mobile, legal_representative,"
        " agent_name, agent_id_number, agent_mobile, agent_is_center, idempotency_key, idempotency_digest, created_at,"
        " created_by_id, answers, first_answers, prefill_sources, deemed_accepted,"
        " tolerated_materials, promised_days, statutory_days, extension_days, paused_days, paused_light,"
        " timeliness, decision_reason, legal_basis, licence_number, result_document, delivery_method,"
        " pickup_code, postal_address, tracking_number, closed_reason)"
        " VALUES (%s, 'ABCDEF', 1, 'draft', %s, %s, %s, 'window', 'person', '张三', %s, '13800138000', '',"
        " '', '', '', %s, '', '', %s, %s, '{}', '{}', '{}', %s, '[]', 10, 20, 0, 0, '', '', '', '', '', '', 'pickup',"
        " '', '', '', '')"
    )
    audit_sql = ("INSERT INTO core_auditevent (at, actor_id, actor_label, action, object_type, object_id, before,"
                 " after, reason, prev_hash, hash, shard, seq)"
                 " VALUES (%s, %s, %s, %s, 'cases.case', %s, %s, %s, '', %s, %s, %s, %s)")
    head_sql = ("INSERT INTO core_auditchainhead (shard, last_id, last_hash, length) VALUES (%s, NULL, %s, 0)"
                " ON CONFLICT (shard) DO UPDATE SET length = core_auditchainhead.length RETURNING last_hash, length")
    label = str(clerk)

    def append(cursor, case_id, action, before, after):
        """As core.audit.record: the case's shard's head upserted (its lock), the event linked and numbered after
        it; the trigger moves the head."""
        shard = audit.shard_of("cases.case", str(case_id))
        cursor.execute(head_sql, [shard, audit.GENESIS])
        prev, length = cursor.fetchone()
        digest = audit.event_digest(prev_hash=prev, at=now.isoformat(timespec="microseconds"), actor_id=clerk.pk,
                                    actor_label=label, action=action, object_type="cases.case",
                                    object_id=str(case_id), before=before, after=after, reason="")
        cursor.execute(audit_sql, [now, clerk.pk, label, action, str(case_id),
                                   None if before is None else json.dumps(before), json.dumps(after), prev, digest,
                                   shard, length + 1])

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_dailysequence (name, day, last_value) VALUES (%s, %s, 1)"
                           " ON CONFLICT (name, day) DO UPDATE SET last_value = core_dailysequence.last_value + 1"
                           " RETURNING last_value", [sequence, day])
            number = f"SC{day:%Y%m%d}{cursor.fetchone()[0]:06d}"
            cursor.execute(case_sql, [number, item.pk, version_id, department.pk, _identity(i), False,
                                      now, clerk.pk, False])
            cursor.execute("SELECT id FROM cases_case WHERE number = %s", [number])
            case_id = cursor.fetchone()[0]
            append(cursor, case_id, "case.create", None, {"number": number})
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET state = 'submitted', version = version + 1, submitted_at = %s,"
                           " submitted_on = %s, acceptance_due_on = %s, clock_due_on = %s, clock_warn_on = %s"
                           " WHERE id = %s AND version = 1",
                           [now, DAY, DAY, DAY, DAY, case_id])
            append(cursor, case_id, "case.submit", {"state": "draft"}, {"state": "submitted"})
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET state = 'accepted', version = version + 1, accepted_at = %s,"
                           " accepted_on = %s, due_on = %s, legal_due_on = %s, clock_due_on = %s,"
                           " clock_warn_on = %s WHERE id = %s AND version = 2",
                           [now, DAY, DAY, DAY, DAY, DAY, case_id])
            append(cursor, case_id, "case.accept", {"state": "submitted"}, {"state": "accepted"})
    return n / (time.perf_counter() - start)


def bench_api(item, clerk, n: int) -> float:
    from django.test import Client

    from onewindow.core.services import create_token

    _, token = create_token(clerk)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/cases?page_size=1")  # the first request imports the URLconf: not part of the rate
    start = time.perf_counter()
    for i in range(n):
        created = client.post("/api/v1/cases", content_type="application/json", data={
            "item_id": item.pk, "channel": "window", "submit": True,
            "applicant": {"kind": "person", "name": "李四", "id_number": _identity(i), "mobile": "13900139000"}})
        assert created.status_code == 201, created.content
        accepted = client.post(f"/api/v1/cases/{created.json()['number']}/accept", content_type="application/json",
                               data={})
        assert accepted.status_code == 200, accepted.content
    return n / (time.perf_counter() - start)


BOARD_COLUMNS = [
    "number", "query_code", "version", "state", "item_id", "item_version_id", "department_id", "channel",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile", "legal_representative",
    "agent_name", "agent_id_number", "agent_mobile", "agent_is_center", "idempotency_key", "idempotency_digest",
    "created_at", "answers", "first_answers", "prefill_sources", "deemed_accepted", "tolerated_materials", "promised_days", "statutory_days", "extension_days", "paused_days", "paused_light",
    "timeliness", "decision_reason", "legal_basis", "licence_number", "result_document", "delivery_method",
    "pickup_code", "postal_address", "tracking_number", "closed_reason", "submitted_on", "acceptance_due_on",
    "accepted_on", "due_on", "legal_due_on", "clock_due_on", "clock_warn_on", "decided_on", "tolerance_due_on",
]


def _board_rows(departments: list[int], item_id: int, version_id: int, count: int):
    """Synthetic cases: 90 % finished, 10 % submitted / running / suspended with clocks around TODAY."""
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    d = dt.timedelta
    for i in range(count):
        department = departments[i % len(departments)]
        roll = rng.random()
        submitted = TODAY - d(days=rng.randint(0, 400))
        acceptance_due = accepted = due = legal = clock_due = warn = decided = tolerance = None
        paused, timeliness = "", ""
        if roll < 0.90:
            state = "delivered"
            accepted = submitted + d(days=1)
            due = accepted + d(days=14)
            legal = due + d(days=14)
            decided = accepted + d(days=rng.randint(1, 16))
            timeliness = "early" if decided < due else "on_time" if decided == due else "late"
        elif roll < 0.92:
            state = "submitted"
            submitted = TODAY - d(days=rng.randint(0, 10))
            acceptance_due = clock_due = submitted + d(days=7)
            warn = clock_due - d(days=2)
        elif roll < 0.99:
            state = rng.choice(["accepted", "in_review", "in_review"])
            accepted = TODAY - d(days=rng.randint(0, 20))
            due = clock_due = accepted + d(days=14)
            legal = due + d(days=14)
            warn = due - d(days=2)
            if rng.random() < 0.05:
                tolerance = accepted + d(days=5)
        else:
            state = "suspended"
            accepted = TODAY - d(days=rng.randint(0, 20))
            due = accepted + d(days=14)
            legal = due + d(days=14)
            paused = rng.choice(["green", "green", "yellow", "red"])
        yield (
            f"B{department:03d}{i:012d}", "ABCDEF", 1, state, item_id, version_id, department, "window",
            "person", "张三", "500103198506120010", "13800138000", "", "", "", "", False, "", "", now,
            "{}", "{}", "{}", False, "[]", 10, 20, 0, 0, paused, timeliness, "", "", "", "", "pickup", "", "", "", "",
            submitted, acceptance_due, accepted, due, legal, clock_due, warn, decided, tolerance,
        )


def load_board(item, count: int) -> float:

    from onewindow.catalog.models import Department

    departments = [Department.objects.create(code=f"B{n:02d}", name=f"基准部门{n:02d}").pk for n in range(30)]
    return bulk_load("cases_case", BOARD_COLUMNS, _board_rows(departments, item.pk, item.published_version_id, count),
                     chunk=10_000)


RAW_BOARD_SQL = """
SELECT department_id,
  COUNT(*) FILTER (WHERE state IN ('submitted','accepted','in_review','suspended')),
  COUNT(*) FILTER (WHERE clock_warn_on > %(today)s OR (state = 'suspended' AND paused_light = 'green')),
  COUNT(*) FILTER (WHERE (clock_due_on >= %(today)s AND clock_warn_on <= %(today)s)
                      OR (state = 'suspended' AND paused_light = 'yellow')),
  COUNT(*) FILTER (WHERE clock_due_on < %(today)s OR (state = 'suspended' AND paused_light = 'red')),
  COUNT(*) FILTER (WHERE state = 'submitted' AND acceptance_due_on < %(today)s),
  COUNT(*) FILTER (WHERE tolerance_due_on < %(today)s AND tolerance_resolved_on IS NULL
                      AND state NOT IN ('not_accepted','withdrawn','terminated','delivered'))
FROM cases_case
WHERE state IN ('submitted','accepted','in_review','suspended') OR tolerance_due_on < %(today)s
GROUP BY department_id
"""


def _median_ms(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_board(supervisor) -> tuple[float, float, int]:
    from django.db import connection

    from onewindow.cases.selectors import supervision_board

    def raw():
        # COUNT(*) FILTER works on PostgreSQL and SQLite ≥ 3.30 alike.
        with connection.cursor() as cursor:
            cursor.execute(RAW_BOARD_SQL, {"today": TODAY})
            return cursor.fetchall()

    board = supervision_board(supervisor, today=TODAY)
    raw_rows = raw()
    assert sum(r[4] for r in raw_rows) == board["totals"]["red"], "the raw query must count what the board counts"
    orm_ms = _median_ms(lambda: supervision_board(supervisor, today=TODAY))
    raw_ms = _median_ms(raw)
    return orm_ms, raw_ms, board["totals"]["running"]


def run(args) -> None:
    from django.db import connection

    started = time.perf_counter()
    department, item, point, clerk, supervisor = _setup()
    print(f"onewindow cases benchmark — {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"{'measure':<52}{'count':>10}{'result':>16}")
    service_rate = bench_services(item, point, clerk, args.cases)
    raw_rate = bench_raw(department, item, clerk, args.cases)
    print(f"{'submit + accept, service layer':<52}{args.cases:>10}{service_rate:>12.1f} c/s")
    print(f"{'same writes, raw SQL (baseline)':<52}{args.cases:>10}{raw_rate:>12.1f} c/s")
    print(f"{'  ratio service / raw':<52}{'':>10}{service_rate / raw_rate:>14.2f}x")
    api_rate = bench_api(item, clerk, args.api_cases)
    print(f"{'submit + accept, HTTP API (test Client)':<52}{args.api_cases:>10}{api_rate:>12.1f} c/s")
    print(f"{'  ratio API / raw':<52}{'':>10}{api_rate / raw_rate:>14.2f}x")
    if args.board_rows is None:
        # executemany into SQLite loads ~2,000–20,000 rows/s depending on the disk: 1M rows would take most of
        # the five minutes, so SQLite defaults to 200,000 (pass --board-rows 1000000 to wait for it).
        args.board_rows = 1_000_000 if connection.vendor == "postgresql" else 200_000
    load_seconds = load_board(item, args.board_rows)
    print(f"{'bulk load for the board (COPY / executemany)':<52}{args.board_rows:>10}{load_seconds:>14.1f} s")
    orm_ms, raw_ms, running = bench_board(supervisor)
    print(f"{'supervision_board(), ' + str(running) + ' running':<52}{args.board_rows:>10}{orm_ms:>13.1f} ms")
    print(f"{'one hand-written aggregate query (baseline)':<52}{args.board_rows:>10}{raw_ms:>13.1f} ms")
    print(f"{'  ratio board / raw':<52}{'':>10}{orm_ms / raw_ms:>14.2f}x")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
