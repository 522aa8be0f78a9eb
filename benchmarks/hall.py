"""Benchmark of the hall's hot paths: issuing tickets and calling the next one with 1, 10 and 30 windows.

    uv run python benchmarks/hall.py

Uses DATABASE_URL when set; otherwise PostgreSQL database `bench_hall` on 127.0.0.1:5432 (created if
missing), and SQLite in a temporary folder when PostgreSQL cannot be reached. Each run makes its own hall,
so the database may be reused. The naive baselines run in the same process on the same tables: numbering by
max(sequence)+1 and picking the next ticket without a lock, to show the duplicates they produce.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench_hall"
SECONDS_PER_RUN = float(os.environ.get("BENCH_SECONDS", "6"))


def choose_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        print(f"database: {url.split('@')[-1]} (DATABASE_URL)")
        return url
    try:
        import psycopg

        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_hall'").fetchone()
        if not exists:
            admin.execute("CREATE DATABASE bench_hall")
        admin.close()
        print("database: PostgreSQL bench_hall on 127.0.0.1:5432")
        return DEFAULT_PG
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        folder = Path(tempfile.mkdtemp(prefix="bench-hall-"))
        os.environ["ONEWINDOW_VAR_DIR"] = str(folder)
        print(f"NOTE: PostgreSQL not reachable ({str(exc).splitlines()[0]}); falling back to SQLite in {folder}."
              " SQLite serializes writers, so the concurrent figures show queueing, not parallelism.")
        return ""


url = choose_database()
if url:
    os.environ["DATABASE_URL"] = url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from onewindow.catalog.models import Hall, Level, ServicePoint  # noqa: E402
from onewindow.core.models import Role, User  # noqa: E402
from onewindow.hall import services  # noqa: E402
from onewindow.hall.models import ServiceCategory, Ticket, TicketState, Window, WindowStatus  # noqa: E402

RUN = time.strftime("%H%M%S")
rows: list[tuple[str, int, str, str, str, str]] = []


def ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000:.1f}"


def record(name: str, latencies: list[float], elapsed: float, note: str) -> None:
    rate = f"{len(latencies) / elapsed:.0f}" if elapsed > 0 else "-"
    median = f"{statistics.median(latencies) * 1000:.1f}" if latencies else "-"
    rows.append((name, len(latencies), median, ms(latencies, 0.99), rate, note))


def in_threads(count: int, work) -> float:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def new_hall(tag: str) -> tuple[Hall, list[ServiceCategory]]:
    point, _ = ServicePoint.objects.get_or_create(code="BENCH", defaults={"name": "基准测试中心", "level": Level.DISTRICT})
    hall = Hall.objects.create(service_point=point, code=f"B{RUN}{tag}", name=f"基准大厅 {tag}")
    return hall, [ServiceCategory.objects.create(hall=hall, prefix=p, name=f"类别{p}") for p in "AB"]


def fill(hall: Hall, categories: list[ServiceCategory], count: int) -> None:
    """Waiting tickets written in bulk (the call benchmark measures calling, not issuing)."""
    start = timezone.now() - dt.timedelta(hours=1)
    day = timezone.localdate()
    Ticket.objects.bulk_create([
        Ticket(hall=hall, category=categories[n % 2], day=day, sequence=n // 2 + 1,
               number=f"{categories[n % 2].prefix}{n // 2 + 1:04d}", code=f"{RUN}{hall.pk}{n}"[-12:],
               issued_at=start + dt.timedelta(milliseconds=n), queued_at=start + dt.timedelta(milliseconds=n),
               priority_rank=20 if n % 13 == 0 else 0)
        for n in range(count)
    ], batch_size=1000)


def bench_issue(clerk: User) -> None:
    hall, categories = new_hall("I")
    latencies: list[float] = []
    n = 200
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        services.issue_ticket(category=categories[i % 2], by=clerk)
        latencies.append(time.perf_counter() - t)
    record("issue_ticket, 1 kiosk", latencies, time.perf_counter() - started, "counter row upsert")

    per_thread, threads = 40, 10
    latencies = []

    def kiosk(index: int) -> None:
        for _ in range(per_thread):
            t = time.perf_counter()
            services.issue_ticket(category=categories[0], by=clerk)
            latencies.append(time.perf_counter() - t)

    elapsed = in_threads(threads, kiosk)
    numbers = Counter(Ticket.objects.filter(category=categories[0]).values_list("sequence", flat=True))
    dup = sum(c - 1 for c in numbers.values() if c > 1)
    gaps = max(numbers) - len(numbers)
    record(f"issue_ticket, {threads} kiosks", latencies, elapsed, f"duplicates {dup}, gaps {gaps}")

    # Baseline: FQM-style max(number)+1 without a lock; the unique constraint rejects the duplicates it makes.
    hall, categories = new_hall("N")
    latencies, collisions = [], []
    day = timezone.localdate()

    def naive(index: int) -> None:
        for i in range(per_thread):
            t = time.perf_counter()
            nxt = (Ticket.objects.filter(category=categories[0], day=day).aggregate(m=Max("sequence"))["m"] or 0) + 1
            now = timezone.now()
            try:
                with transaction.atomic():
                    Ticket.objects.create(hall=hall, category=categories[0], day=day, sequence=nxt,
                                          number=f"A{nxt:03d}", code=f"N{index:02d}{i:03d}{RUN}"[:12],
                                          issued_at=now, queued_at=now)
            except IntegrityError:
                collisions.append(nxt)
            latencies.append(time.perf_counter() - t)

    elapsed = in_threads(threads, naive)
    record(f"naive max()+1, {threads} kiosks", latencies, elapsed,
           f"{len(collisions)} duplicate numbers (rejected by the unique index)")


def bench_call(windows_count: int, clerk: User) -> None:
    hall, categories = new_hall(f"C{windows_count}")
    windows = []
    for n in range(windows_count):
        w = Window.objects.create(hall=hall, number=str(n + 1), status=WindowStatus.OPEN)
        w.categories.set(categories if n % 3 else categories[n % 2: n % 2 + 1])
        windows.append(w)
    pool = 6000
    fill(hall, categories, pool)
    latencies: list[float] = []
    served: list[int] = []
    deadline = time.perf_counter() + SECONDS_PER_RUN + 2

    def desk(index: int) -> None:
        window = windows[index]
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            ticket = services.call_next(window=window, by=clerk)
            latencies.append(time.perf_counter() - t)
            if ticket is None:
                return
            served.append(ticket.pk)
            services.finish(window=window, by=clerk)

    elapsed = in_threads(windows_count, desk)
    dup = sum(c - 1 for c in Counter(served).values() if c > 1)
    record(f"call_next, {windows_count} window{'s' if windows_count > 1 else ''}", latencies, elapsed,
           f"{len(served)} served (+finish), duplicates {dup}")


def bench_naive_pick(windows_count: int) -> None:
    hall, categories = new_hall("P")
    windows = [Window.objects.create(hall=hall, number=str(n + 1), status=WindowStatus.OPEN)
               for n in range(windows_count)]
    fill(hall, categories, 3000)
    taken: list[int] = []
    latencies: list[float] = []
    deadline = time.perf_counter() + SECONDS_PER_RUN / 2

    def desk(index: int) -> None:
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            ticket = (Ticket.objects.filter(hall=hall, state=TicketState.WAITING)
                      .order_by("-priority_rank", "queued_at", "id").first())
            if ticket is None:
                return
            Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CALLED, window=windows[index])
            latencies.append(time.perf_counter() - t)
            taken.append(ticket.pk)

    elapsed = in_threads(windows_count, desk)
    dup = sum(c - 1 for c in Counter(taken).values() if c > 1)
    record(f"naive unlocked pick, {windows_count} windows", latencies, elapsed,
           f"{dup} tickets given to two windows; no audit")


def main() -> None:
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    clerk, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN})
    print(f"vendor {connection.vendor}; {os.cpu_count()} CPUs; {SECONDS_PER_RUN:g} s per calling run\n")
    bench_issue(clerk)
    for n in (1, 10, 30):
        bench_call(n, clerk)
    bench_naive_pick(30)
    width = max(len(r[0]) for r in rows)
    print(f"{'measured':<{width}}  {'ops':>6}  {'median ms':>9}  {'p99 ms':>8}  {'ops/s':>6}  notes")
    for name, ops, median, p99, rate, note in rows:
        print(f"{name:<{width}}  {ops:>6}  {median:>9}  {p99:>8}  {rate:>6}  {note}")
    print(f"\n(total {time.perf_counter() - began:.0f} s; each call_next is one audited transaction, followed by an"
          " audited finish that is not in the latency)")


if __name__ == "__main__":
    main()
