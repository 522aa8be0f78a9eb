"""Reads compiled once per process (预编译查询): the hot reads of the write path without the ORM's SQL compilation.

Turning a queryset into SQL costs the ORM more than the database takes to answer it: 1.2 ms of CPU for a window
read with its current ticket, locked; 2.5 ms for the next ticket a window may call (joins, an OR, a subquery, the
lock clause) — on every call at every window. A `PreparedRead` builds its queryset once per database connection
alias, with stand-in values for its parameters, keeps the SQL and the compiler that made it, and from then on runs
that SQL with the real values and builds the rows exactly as the queryset would (the same converters, the same
`select_related` objects):

    _WINDOW = PreparedRead(lambda window_id: Window.objects.select_related("current_ticket")
                           .select_for_update(of=("self",)).filter(pk=window_id).order_by("pk")[:1],
                           window_id=int)
    window = _WINDOW.first(window_id=7)          # the Window with .current_ticket, or None

Rules: the queryset must yield model instances (no `values()`), and its shape — joins, filters, order, lock —
may depend only on the database (its features are read when it is compiled), never on the values: those are the
declared parameters (`int`, `str`, `datetime.date`, `datetime.datetime`), passed by name. The statement still goes
through Django's cursor (counted by the tests, the debug toolbar and the benchmark's counter), inside the caller's
transaction. A declared parameter the SQL does not carry is a programming error (ValueError when first compiled).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stand-in values, one per parameter position, that no real row carries; what the backend made of each (the value
# itself, or its text on SQLite) shows where the real value goes.
_STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda n: -7_340_032_000 - n,
    str: lambda n: f"\x1fprepared-parameter-{n}\x1f",
    dt.date: lambda n: dt.date(1111, 1, 1 + n),
    dt.datetime: lambda n: dt.datetime(1111, 1, 1 + n, 11, 11, 11, 111111, tzinfo=dt.UTC),
}


def _adapter(kind: type, ops: Any) -> Callable[[Any], Any]:
    """How the backend sends a value of `kind` (`ops`: the connection's operations)."""
    if kind is dt.datetime:
        return ops.adapt_datetimefield_value
    if kind is dt.date:
        return ops.adapt_datefield_value
    return lambda value: value


class _Compiled:
    def __init__(self, alias: str, sql: str, constants: list[Any], slots: list[tuple[int, str, Callable]],
                 compiler: Any) -> None:
        self.sql, self.constants, self.slots, self.compiler = sql, constants, slots, compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, compiler.select, alias)

    def params(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.constants)
        for position, name, adapt in self.slots:
            params[position] = adapt(values[name])
        return params


class PreparedRead:
    """A queryset's read, compiled once per process and database (see the module). `build(**parameters)` returns
    the queryset; `parameters` name each parameter's type."""

    def __init__(self, build: Callable[..., QuerySet], **parameters: type) -> None:
        unknown = {name: kind for name, kind in parameters.items() if kind not in _STAND_INS}
        if unknown:
            raise TypeError(f"parameters of a prepared read are int, str, date or datetime, not {unknown}")
        self.build, self.parameters = build, parameters
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        stand_ins = {name: _STAND_INS[kind](n) for n, (name, kind) in enumerate(self.parameters.items())}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.klass_info is None:
            raise ValueError("a prepared read yields model instances (no values(), no values_list())")
        ops = connections[alias].ops
        adapters = {name: _adapter(self.parameters[name], ops) for name in stand_ins}
        slots, seen = [], set()
        for position, param in enumerate(params):
            for name, stand_in in stand_ins.items():
                if param == adapters[name](stand_in) or param == stand_in:
                    slots.append((position, name, adapters[name] if param != stand_in else _as_is))
                    seen.add(name)
        missing = set(stand_ins) - seen
        if missing or any(str(value) in sql for value in stand_ins.values()):
            raise ValueError(f"the prepared read's SQL does not carry {sorted(missing) or 'its parameters'} "
                             "as parameters")
        return _Compiled(alias, sql, list(params), slots, compiler)

    def compiled(self, alias: str) -> _Compiled:
        held = self._compiled.get(alias)
        if held is None:
            with self._lock:
                held = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = held
        return held

    def all(self, using: str | None = None, **values: Any) -> list[Any]:
        """The rows, as the queryset built with `values` would give them (a list of model instances)."""
        if set(values) != set(self.parameters):
            raise TypeError(f"a prepared read takes {sorted(self.parameters)}, not {sorted(values)}")
        alias = using or self._default_alias()
        compiled = self.compiled(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params(values))
            rows = cursor.fetchall()
        found = []
        for row in compiled.compiler.results_iter([rows]):
            obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.start:compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found

    def first(self, using: str | None = None, **values: Any) -> Any:
        """The first row, or None."""
        rows = self.all(using, **values)
        return rows[0] if rows else None

    def _default_alias(self) -> str:
        """The database the queryset itself would use (a locking read: the one written to)."""
        alias = getattr(self, "_alias", None)
        if alias is None:
            stand_ins = {name: _STAND_INS[kind](n) for n, (name, kind) in enumerate(self.parameters.items())}
            alias = self._alias = self.build(**stand_ins).db
        return alias


def _as_is(value: Any) -> Any:
    return value
