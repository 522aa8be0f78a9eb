"""Eight writers appending at once, some recording on two objects in opposite orders, with anchors and
verifications running meanwhile: no chain forks, nothing deadlocks, every verification passes (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from onewindow.core import audit
from onewindow.core.models import AuditChainHead, AuditEvent

WRITERS = 8
ACTS = 40  # per writer: one event, or two on objects of different shards


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_at_once_never_fork_a_chain_and_verification_passes_throughout(settings):
    if connection.vendor != "postgresql":
        pytest.skip(f"concurrent appends under row locks need PostgreSQL; this run uses {connection.vendor} "
                    "(.ci/run runs the suite on PostgreSQL too)")
    settings.AUDIT_CHAIN_SHARDS = 4  # few shards: writers meet on the same heads
    objects = [("cases.case", str(n)) for n in range(12)]
    by_shard: dict[int, list] = {}
    for obj in objects:
        by_shard.setdefault(audit.shard_of(*obj), []).append(obj)
    assert len(by_shard) >= 2
    first, second = (group[0] for group in list(by_shard.values())[:2])

    errors: list[BaseException] = []
    reports: list[audit.ChainReport] = []
    writing = threading.Event()
    writing.set()
    barrier = threading.Barrier(WRITERS + 1)

    def writer(index: int) -> None:
        try:
            barrier.wait()
            for act in range(ACTS):
                with transaction.atomic(durable=True):
                    if act % 4 == 0:  # an act with a receiver: two objects, in opposite orders by turns
                        pair = (first, second) if index % 2 else (second, first)
                        for obj in pair:
                            audit.record("case.accept", object_type=obj[0], object_id=obj[1], after={"w": index})
                    else:
                        obj = objects[(index * 7 + act) % len(objects)]
                        audit.record("case.accept", object_type=obj[0], object_id=obj[1], after={"w": index})
                connection.close()  # each act is one request: the connection goes back to the pool
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def watcher() -> None:
        try:
            barrier.wait()
            while writing.is_set():
                audit.anchor_chain()
                reports.append(audit.verify_chain(batch=50))
                connection.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    watch = threading.Thread(target=watcher)
    for t in [*threads, watch]:
        t.start()
    for t in threads:
        t.join()
    writing.clear()
    watch.join()

    assert not errors, f"{len(errors)} writers failed, first: {errors[0]!r}"
    events = WRITERS * ACTS + WRITERS * ACTS // 4  # the two-object acts record twice
    assert AuditEvent.objects.exclude(shard=audit.ANCHOR_SHARD).count() == events
    for shard in AuditChainHead.objects.values_list("shard", flat=True):
        chain = list(AuditEvent.objects.filter(shard=shard).order_by("seq").values_list("seq", "prev_hash", "hash"))
        assert [seq for seq, _, _ in chain] == list(range(1, len(chain) + 1)), f"shard {shard} has gaps"
        assert [prev for _, prev, _ in chain] == [audit.GENESIS] + [h for _, _, h in chain[:-1]], \
            f"shard {shard} forked"
    assert reports and all(r.ok for r in reports), [r for r in reports if not r.ok][:1]
    audit.anchor_chain()
    report = audit.verify_chain()
    assert report.ok and report.unanchored == 0, report
