"""Benchmark: one million due_date() calls on the in-memory index against a day-by-day loop.

Run: uv run python benchmarks/workdays.py [--calls N]
The naive loop asks the same holiday table one day at a time, as a calendar without an index would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import chinese_calendar  # noqa: E402

from onewindow.workdays.calendar import WorkCalendar, arrangements_from_mapping, naive_due_date  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--naive-calls", type=int, default=None, help="calls for the naive loop (default: as many)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    years = range(2004, 2027)
    t0 = time.perf_counter()
    calendar = WorkCalendar(arrangements_from_mapping(chinese_calendar.holidays, chinese_calendar.workdays, years))
    build_ms = (time.perf_counter() - t0) * 1000

    rng = random.Random(args.seed)
    first = dt.date(2004, 1, 1).toordinal()
    last = dt.date(2026, 9, 1).toordinal()
    cases = [(dt.date.fromordinal(rng.randint(first, last)), rng.randint(0, 60)) for _ in range(args.calls)]

    due = calendar.due_date
    t0 = time.perf_counter()
    results = [due(start, n) for start, n in cases]
    fast_s = time.perf_counter() - t0

    holidays, workdays = set(chinese_calendar.holidays), set(chinese_calendar.workdays)

    def is_working(day: dt.date) -> bool:
        return day in workdays or (day not in holidays and day.weekday() < 5)

    sample = cases[: args.naive_calls or args.calls]
    t0 = time.perf_counter()
    naive = [naive_due_date(start, n, is_working) for start, n in sample]
    naive_s = time.perf_counter() - t0
    mismatches = sum(a != b for a, b in zip(results, naive, strict=False))

    fast_rate = args.calls / fast_s
    naive_rate = len(sample) / naive_s
    print(f"working-day index over {len(years)} years built in {build_ms:.1f} ms")
    print(f"{'method':<28}{'calls':>12}{'seconds':>10}{'calls/s':>14}")
    print(f"{'index due_date (O(1))':<28}{args.calls:>12,}{fast_s:>10.2f}{fast_rate:>14,.0f}")
    print(f"{'naive day-by-day loop':<28}{len(sample):>12,}{naive_s:>10.2f}{naive_rate:>14,.0f}")
    print(f"speed-up: {fast_rate / naive_rate:.1f}x   (mismatches between the two: {mismatches})")


if __name__ == "__main__":
    main()
