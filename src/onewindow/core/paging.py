"""Keyset paging (游标分页) of long lists: a page is found by the sort keys of the row before it, never by counting
the rows that come before it, so the last page of five million cases costs what the first does.

- An `Ordering` names the keys a list is sorted by (each a column or an annotation of the queryset, all in the same
  direction, the last one unique, e.g. `id`): the sort is total, so ties on the first key are broken and every row
  is on exactly one page.
- A cursor is an opaque text (URL-safe base64 of a small JSON array: the ordering's name, the direction, the keys'
  values). It is only ever read back by the list that wrote it: a cursor that is not one is 422 `{"cursor": "invalid"}`,
  one of another list (another ordering, or the `scope` — path and filters — its caller names) is 422
  `{"cursor": "other_list"}`, and nothing is read.
- `keyset_page(queryset, ordering, cursor=…, size=…)`: the page after (or, for a backward cursor, before) the
  cursor's row: its rows, the cursors of the next and previous pages (None at either end), and the list's length
  counted up to `COUNT_LIMIT` (exact below it; "more than" above it, as a clerk reads "1000+ 条"). Two statements,
  whatever the page. `offset_page` serves the first pages by number for clients of the page-numbered API, with
  the same answer.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from onewindow.core.errors import InvalidInput

# Counted exactly up to here; beyond, a list says "more than COUNT_LIMIT" (an exact count(*) of millions of rows
# costs more than the page itself, on every request).
COUNT_LIMIT = 1000
CURSOR_MAX = 200  # characters: a cursor holds two keys


@dataclass(frozen=True)
class Ordering:
    """How a list is sorted: `keys` (name and the Python type of its value: int, str or date), all ascending or all
    descending; the last key must be unique. `name` is written into cursors so that one list's cursor is refused
    by another."""

    name: str
    keys: tuple[tuple[str, type], ...]
    descending: bool = False

    def order_by(self, *, reverse: bool = False) -> list[Any]:
        descending = self.descending != reverse
        return [F(key).desc() if descending else F(key).asc() for key, _ in self.keys]

    def values_of(self, row: Any) -> list[Any]:
        return [getattr(row, key) for key, _ in self.keys]


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, the cursors of the pages after and before it (None at the ends), and the
    list's length (`count`, exact when `count_exact`, else the list has more than `count` rows)."""

    rows: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    count: int
    count_exact: bool


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def encode_cursor(name: str, values: list[Any], *, backward: bool = False, inclusive: bool = False) -> str:
    """The cursor of the row whose sort keys are `values` in the ordering `name` (backward: the page before it;
    inclusive: the page starts at that position itself, for the way back from an empty page)."""
    direction = ("b" if backward else "f").upper() if inclusive else ("b" if backward else "f")
    payload = json.dumps([name, direction, *[_json_value(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def list_tag(ordering: Ordering, scope: str) -> str:
    """The name a cursor carries: the ordering's, and for a list that names its `scope` (its path and filters, as
    its caller writes them) a short hash of it, so that a cursor of another list or of other filters is refused."""
    if not scope:
        return ordering.name
    return f"{ordering.name}.{hashlib.sha256(scope.encode()).hexdigest()[:10]}"


def _other_list() -> InvalidInput:
    return InvalidInput("翻页游标（cursor）属于另一个列表或另一组筛选条件：请从第一页重新翻页",
                        fields={"cursor": "other_list"})


def _refused() -> InvalidInput:
    return InvalidInput("翻页游标（cursor）无效：请使用上一次结果中的 next_cursor 或 previous_cursor 原样传回",
                        fields={"cursor": "invalid"})


def decode_cursor(cursor: str, ordering: Ordering, scope: str = "") -> tuple[list[Any], bool, bool]:
    """(the keys' values, backward, inclusive) of a cursor written by `encode_cursor` for `ordering` and `scope`;
    422 `cursor: other_list` for one written for another list (or other filters), `cursor: invalid` for anything
    else."""
    if len(cursor) > CURSOR_MAX:
        raise _refused()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise _refused() from exc
    if not isinstance(payload, list) or not payload or not isinstance(payload[0], str):
        raise _refused()
    if payload[0] != list_tag(ordering, scope):
        raise _other_list()
    if len(payload) != 2 + len(ordering.keys) or payload[1] not in ("f", "b", "F", "B"):
        raise _refused()
    values = []
    for (_, kind), value in zip(ordering.keys, payload[2:], strict=True):
        try:
            if kind is int and type(value) is int and -(2**63) <= value < 2**63:
                values.append(value)
            elif kind is dt.date and isinstance(value, str):
                values.append(dt.date.fromisoformat(value))
            elif kind is str and isinstance(value, str):
                values.append(value)
            else:
                raise ValueError(value)
        except ValueError as exc:
            raise _refused() from exc
    return values, payload[1] in ("b", "B"), payload[1] in ("F", "B")


class _Row(Func):
    """A row value `(a, b)`, compared as a whole: PostgreSQL walks an index on (a, b) from it."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = IntegerField()  # only compared, never read


def _beyond(ordering: Ordering, values: list[Any], *, backward: bool, inclusive: bool = False) -> Any:
    """Rows after the one with sort keys `values` in the walking direction (inclusive: and that row)."""
    upward = ordering.descending == backward
    if len(ordering.keys) == 1:
        key = ordering.keys[0][0]
        lookup = ("gt" if upward else "lt") + ("e" if inclusive else "")
        return Q(**{f"{key}__{lookup}": values[0]})
    lhs = _Row(*[F(key) for key, _ in ordering.keys])
    rhs = _Row(*[Value(v) for v in values])
    if inclusive:
        return GreaterThanOrEqual(lhs, rhs) if upward else LessThanOrEqual(lhs, rhs)
    return GreaterThan(lhs, rhs) if upward else LessThan(lhs, rhs)


def count_up_to(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """(rows, exact): the rows of `queryset` counted up to `limit` (COUNT_LIMIT) — one statement that stops at
    `limit` + 1 rows."""
    limit = COUNT_LIMIT if limit is None else limit
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    return (counted, True) if counted <= limit else (limit, False)


def keyset_page(queryset: QuerySet, ordering: Ordering, *, cursor: str | None, size: int,
                exact_count: bool = False, scope: str = "") -> Page:
    """The page of `size` rows after the cursor's row (the first page without one; the page before it for a
    backward cursor). `exact_count` counts every row (a full count: for a client that asks for it). `scope` names
    the list (its path and filters): its cursors are refused by any other (`list_tag`)."""
    values, backward, inclusive = decode_cursor(cursor, ordering, scope) if cursor else ([], False, False)
    name = list_tag(ordering, scope)
    count, exact = (queryset.count(), True) if exact_count else count_up_to(queryset)
    walked = (queryset.filter(_beyond(ordering, values, backward=backward, inclusive=inclusive)) if values
              else queryset)
    rows = list(walked.order_by(*ordering.order_by(reverse=backward))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
        next_cursor = encode_cursor(name, ordering.values_of(rows[-1])) if rows else None
        previous_cursor = (encode_cursor(name, ordering.values_of(rows[0]), backward=True)
                           if more else None)
    else:
        next_cursor = encode_cursor(name, ordering.values_of(rows[-1])) if more else None
        previous_cursor = (encode_cursor(name, ordering.values_of(rows[0]), backward=True)
                           if values and rows else None)
    if values and not rows:
        # An empty page reached by a cursor (past the last row, or its rows left the list since): the way back is
        # the page that ends (or, backward, starts) at the cursor's own position.
        if backward:
            next_cursor = encode_cursor(name, values, inclusive=True)
        else:
            previous_cursor = encode_cursor(name, values, backward=True, inclusive=True)
    return Page(rows, next_cursor, previous_cursor, count, exact)


def offset_page(queryset: QuerySet, ordering: Ordering, *, number: int, size: int, max_offset: int,
                exact_count: bool = False, scope: str = "") -> Page:
    """Page `number` (from 1) by position, for the first pages only: a page starting at or past `max_offset` rows is 422 `page:
    too_deep` (follow `next_cursor`); a page after the last is 404 `page: not_found` (page 1 of an empty list is
    an empty page)."""
    from onewindow.core.errors import NotFound

    start = (number - 1) * size
    if start >= max_offset:
        raise InvalidInput(f"按页码翻页仅限前 {max_offset} 条，请改用 cursor 参数（上一页结果中的 next_cursor）",
                           fields={"page": "too_deep"})
    count, exact = (queryset.count(), True) if exact_count else count_up_to(queryset)
    if exact and number > 1 and start >= count:
        pages = max(1, -(-count // size))
        raise NotFound(f"第 {number} 页不存在：共 {pages} 页", fields={"page": "not_found"})
    name = list_tag(ordering, scope)
    rows = list(queryset.order_by(*ordering.order_by())[start : start + size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(name, ordering.values_of(rows[-1])) if more else None
    previous_cursor = (encode_cursor(name, ordering.values_of(rows[0]), backward=True)
                       if number > 1 and rows else None)
    return Page(rows, next_cursor, previous_cursor, count, exact)
