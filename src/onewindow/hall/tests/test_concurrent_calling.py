"""Thirty windows calling at once over 3,000 tickets: each ticket is served exactly once (PostgreSQL)."""

import collections
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from onewindow.core.models import AuditEvent, DailySequence, Role
from onewindow.hall import services
from onewindow.hall.models import Priority, Ticket, TicketState
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

TICKETS = 3000
WINDOWS = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_windows_calling_at_once_serve_every_ticket_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip(f"row locks with SKIP LOCKED need PostgreSQL; this run uses {connection.vendor} "
                    "(.ci/run runs the suite on PostgreSQL too)")
    hall = HallFactory()
    categories = [CategoryFactory(hall=hall, prefix=p) for p in "AB"]
    admin = UserFactory(role=Role.ADMIN)
    windows = [
        WindowFactory(hall=hall, number=str(n + 1), categories=categories if n % 3 else categories[n % 2: n % 2 + 1])
        for n in range(WINDOWS)
    ]
    start = timezone.now() - dt.timedelta(hours=2)
    day = timezone.localdate()
    rows = []
    for n in range(TICKETS):
        category = categories[n % 2]
        priority = Priority.ELDERLY if n % 17 == 0 else Priority.NORMAL
        at = start + dt.timedelta(seconds=n)
        rows.append(Ticket(hall=hall, category=category, day=day, sequence=n // 2 + 1,
                           number=f"{category.prefix}{n // 2 + 1:04d}", code=f"C{n:09d}", issued_at=at, queued_at=at,
                           priority=priority, priority_rank=20 if priority == Priority.ELDERLY else 0))
    Ticket.objects.bulk_create(rows)
    for category in categories:
        DailySequence.objects.create(name=f"hall.category.{category.pk}", day=day, last_value=TICKETS // 2)

    served: dict[int, list[int]] = collections.defaultdict(list)
    errors: list[BaseException] = []
    barrier = threading.Barrier(WINDOWS)

    def run(window):
        try:
            barrier.wait()
            while True:
                ticket = services.call_next(window=window, by=admin)
                if ticket is None:
                    return
                served[window.pk].append(ticket.pk)
                services.finish(window=window, by=admin)
                # Each press of the console is one request: its connection goes back to the pool (DATABASE_POOL_SIZE)
                # between presses, as the server does, so 30 windows share the pool's connections.
                connection.close()
        except BaseException as exc:  # noqa: BLE001 - reported below with the window
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in windows]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)

    assert not errors, errors[:3]
    all_served = [pk for pks in served.values() for pk in pks]
    duplicates = [pk for pk, n in collections.Counter(all_served).items() if n > 1]
    assert not duplicates, f"{len(duplicates)} tickets were given to two windows"
    assert len(all_served) == TICKETS, f"{TICKETS - len(all_served)} tickets were never called"
    assert Ticket.objects.filter(hall=hall).exclude(state=TicketState.DONE).count() == 0
    assert AuditEvent.objects.filter(action="ticket.call").count() == TICKETS
    assert len(served) == WINDOWS, "every window took part"
