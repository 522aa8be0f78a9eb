"""Bulk loading of benchmark rows, shared by the benchmarks that fill a table with many generated rows.

PostgreSQL: text-format COPY fed in chunks (the values are plain: no tabs, newlines or backslashes). SQLite:
executemany in batches, one transaction per batch (in autocommit SQLite would commit and sync every row).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence


def copy_text(value) -> str:
    """One value as COPY's text format writes it (None as \\N, booleans as t/f, dates in ISO form)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def bulk_load(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 20_000,
              vacuum: bool = False) -> float:
    """Insert `rows` (tuples in the order of `columns`) into `table`, then ANALYZE it (VACUUM ANALYZE with `vacuum`
    on PostgreSQL); returns the seconds it took."""
    from django.db import connection, transaction

    start = time.perf_counter()
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                lines: list[str] = []
                for row in rows:
                    lines.append("\t".join(copy_text(v) for v in row))
                    if len(lines) == chunk:
                        copy.write("\n".join(lines) + "\n")
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
            cursor.execute(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} {table}")
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[Sequence] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    with transaction.atomic():
                        cursor.executemany(sql, batch)
                    batch = []
            if batch:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
            cursor.execute("ANALYZE")
    return time.perf_counter() - start
