"""Declared domain events (领域事件): how a later app learns what an earlier app did, without importing it back.

An app declares its events in its own `events.py` (`cases.events.case_accepted`, `hall.events.ticket_called`),
each an `Event` with a documented payload. Another app subscribes in its `AppConfig.ready()`:

- `event.connect(receiver, uid=…)` — the receiver runs **inside the act's transaction**, right after the act.
  Use it for state that must stay consistent with the act (a package with its sub-case). If it raises, the act
  rolls back with it: such receivers must only fail for a reason that makes the act itself wrong.
- `event.connect(receiver, uid=…, after_commit=True)` — the receiver runs **only after the act commits**, and
  not at all if it rolls back. Use it for whatever leaves the process or can wait: the display board, webhooks,
  e-mail, the inbox, statistics. A failing after-commit receiver is logged and never undoes the act, nor stops
  the other receivers.

`after_commit(fn, what=…)` is the one helper every app uses to run work after commit (notices, board messages,
webhook sends). Audit rows are evidence, never a signal: nothing listens to them.

Built on Django's `Signal` (registry, dispatch_uid) and `transaction.on_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


def after_commit(fn: Callable[[], Any], *, what: str) -> None:
    """Run `fn` once the current transaction commits (now, outside one); an error is logged, never raised.

    `what` names the work in the log line (`"cases notice 202503030001"`, `"hall board hall.3"`).
    """

    def run() -> None:
        try:
            fn()
        except Exception:  # noqa: BLE001 - the act has committed; a failed side effect must not look like its failure
            log.exception("after-commit work failed: %s", what)

    transaction.on_commit(run)


class Event(Generic[T]):
    """One declared event: its name, its payload type (a frozen dataclass) and its two kinds of receivers."""

    def __init__(self, name: str, payload: type[T], doc: str) -> None:
        self.name = name
        self.payload = payload
        self.__doc__ = doc
        self._in_transaction = Signal()
        self._after_commit = Signal()

    def __repr__(self) -> str:
        return f"<Event {self.name}>"

    def connect(self, receiver: Callable[[T], Any], *, uid: str, after_commit: bool = False) -> None:
        """Subscribe `receiver(payload)`; `uid` makes a second connect of the same receiver a no-op."""
        signal = self._after_commit if after_commit else self._in_transaction

        def adapter(sender: Any, payload: T, **kwargs: Any) -> Any:
            return receiver(payload)

        adapter.receiver = receiver  # type: ignore[attr-defined]
        signal.connect(adapter, weak=False, dispatch_uid=uid)

    def disconnect(self, *, uid: str) -> None:
        """Remove the receiver connected under `uid` (either kind)."""
        self._in_transaction.disconnect(dispatch_uid=uid)
        self._after_commit.disconnect(dispatch_uid=uid)

    def send(self, payload: T) -> None:
        """Run the in-transaction receivers now (an error propagates and rolls the act back) and queue the
        after-commit receivers. Call it from the service, after the act's rows and audit event are written."""
        if not isinstance(payload, self.payload):
            raise TypeError(f"{self.name} carries {self.payload.__name__}, not {type(payload).__name__}")
        self._in_transaction.send(sender=self, payload=payload)
        if self._after_commit.has_listeners(self):
            after_commit(lambda: self._deliver(payload), what=self.name)

    def _deliver(self, payload: T) -> None:
        for adapter, result in self._after_commit.send_robust(sender=self, payload=payload):
            if isinstance(result, Exception):
                name = getattr(getattr(adapter, "receiver", adapter), "__qualname__", repr(adapter))
                log.error("receiver %s of %s failed after commit", name, self.name, exc_info=result)
