"""Django's SQLite backend, with the writers of one process queued on a lock instead of SQLite's busy handler.

SQLite lets one writer at a time hold a database. A second writer that finds it taken does not wait for it to be
released: the driver's busy handler sleeps (1, 2, 5, 10 … then 100 ms at a time) and tries again, until the busy
timeout (30 s in the settings). Under a hall's load in the embedded mode (one process, many requests in threads)
a waiting writer therefore sleeps past the moment the lock is freed, and others overtake it: call-next's p99 was
1.6–9.8 s at 10–30 windows.

Here every connection of a process to the same database file shares one `threading.Lock`, taken before
`BEGIN IMMEDIATE` (the settings' transaction mode) and released when the transaction ends (commit, rollback, or the
connection's close, also after an error). A write outside a transaction (autocommit) takes it for its statement.
A writer thus waits on the lock and runs as soon as the previous one commits. Reads outside a transaction never
take it: in WAL mode they read beside the writer. Waiting on the lock is bounded by the same busy timeout, after
which the error is the one SQLite gives ("database is locked"). Another process (a command run beside the server)
still meets SQLite's own lock and busy handler, as before.

Selected by the settings for every SQLite database, however its engine was named (`ENGINE` below).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.backends.sqlite3 import base as sqlite3_base
from django.db.utils import OperationalError

ENGINE = "onewindow.core.sqlite_backend"

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()

# Statements that take no lock: reads, and those that only open (deferred) or end a transaction. The rest take it
# for their statement in autocommit, or from there to the end of the transaction they are in.
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "SAVEPOINT", "RELEASE", "COMMIT", "END", "ROLLBACK")


def write_lock_for(name: str) -> threading.Lock:
    """The process's write lock for the database `name` (a file path, or an in-memory database's name)."""
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def _writes(sql: str) -> bool:
    head = sql.lstrip().upper()
    if head.startswith("BEGIN"):  # BEGIN IMMEDIATE and EXCLUSIVE take SQLite's write lock, a deferred BEGIN does not
        return "IMMEDIATE" in head or "EXCLUSIVE" in head
    return not head.startswith(_READS)


class SQLiteCursorWrapper(sqlite3_base.SQLiteCursorWrapper):
    """A cursor whose writes outside a transaction hold the write lock for their statement."""

    db: DatabaseWrapper

    def execute(self, query, params=None):
        with self.db.statement_write_lock(query):
            return super().execute(query, params)

    def executemany(self, query, param_list):
        with self.db.statement_write_lock(query):
            return super().executemany(query, param_list)


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    """SQLite as Django has it, plus the process's write lock (see the module's docstring)."""

    holds_write_lock = False

    @property
    def write_lock(self) -> threading.Lock:
        return write_lock_for(str(self.settings_dict["NAME"]))

    def _lock_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def acquire_write_lock(self) -> None:
        """Wait (up to the busy timeout) for the process's write lock; OperationalError when it stays taken."""
        if self.holds_write_lock:
            return
        if not self.write_lock.acquire(timeout=self._lock_timeout()):
            raise OperationalError("database is locked (another writer of this process held it past the timeout)")
        self.holds_write_lock = True

    def release_write_lock(self) -> None:
        if self.holds_write_lock:
            self.holds_write_lock = False
            self.write_lock.release()

    @contextmanager
    def statement_write_lock(self, sql: str):
        """Around one statement: a write takes the lock unless it is held; after the statement, the lock is let go
        unless a transaction is still open (a write outside a transaction holds it for its statement, one inside a
        deferred transaction until that ends, a COMMIT or ROLLBACK sent as a statement releases it)."""
        if not self.holds_write_lock and _writes(sql):
            self.acquire_write_lock()
        try:
            yield
        finally:
            if self.holds_write_lock and (self.connection is None or not self.connection.in_transaction):
                self.release_write_lock()

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=SQLiteCursorWrapper)
        cursor.db = self
        return cursor

    def _start_transaction_under_autocommit(self):
        if (self.transaction_mode or "").upper() in ("IMMEDIATE", "EXCLUSIVE"):
            self.acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            if self.connection is None or not self.connection.in_transaction:
                self.release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_write_lock()
