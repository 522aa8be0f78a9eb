"""A database whose audit chain was written as one chain (before shards) migrates into shard 0 and stays verifiable;
new events go on from there, in shard 0 and in the others."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from onewindow.core import audit
from onewindow.core.models import AuditChainHead, AuditEvent

BEFORE_SHARDS = [("core", "0004_user_verified_identity")]
OLD_EVENTS = 120


def write_single_chain(apps, count):
    """Events as the single-chain release wrote them: each linked to the last one, hashed the same way."""
    OldEvent = apps.get_model("core", "AuditEvent")
    prev = audit.GENESIS
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    for n in range(count):
        at = start + dt.timedelta(minutes=n, microseconds=n)
        content = {"actor_id": None, "actor_label": "system", "action": "case.accept", "object_type": "cases.case",
                   "object_id": str(n % 9), "before": {"state": "submitted"}, "after": {"state": "accepted", "n": n},
                   "reason": ""}
        digest = audit.event_digest(prev_hash=prev, at=at.isoformat(timespec="microseconds"), **content)
        OldEvent.objects.create(at=at, prev_hash=prev, hash=digest, **content)
        prev = digest
    return list(OldEvent.objects.order_by("id").values_list("id", "hash"))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_single_chain_becomes_shard_0_verifies_and_grows_in_every_shard():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("core")
    old_apps = migrate(BEFORE_SHARDS)
    try:
        written = write_single_chain(old_apps, OLD_EVENTS)
    finally:
        migrate(latest)

    assert list(AuditEvent.objects.order_by("id").values_list("shard", "seq")) == [
        (0, n) for n in range(1, OLD_EVENTS + 1)]
    head = AuditChainHead.objects.get(shard=0)
    assert (head.length, head.last_id, head.last_hash) == (OLD_EVENTS, *written[-1])
    report = audit.verify_chain(batch=50)  # several batches
    assert report.ok and report.checked == OLD_EVENTS and report.shards == 1, report

    in_shard_0 = next(str(n) for n in range(10_000) if audit.shard_of("cases.case", str(n)) == 0)
    with transaction.atomic():
        continued = audit.record("case.accept", object_type="cases.case", object_id=in_shard_0)
    with transaction.atomic():
        elsewhere = audit.record("case.accept", object_type="cases.case", object_id=str(int(in_shard_0) + 1))
    assert (continued.shard, continued.seq, continued.prev_hash) == (0, OLD_EVENTS + 1, written[-1][1])
    assert elsewhere.shard != 0 and elsewhere.seq == 1
    assert audit.anchor_chain() is not None
    report = audit.verify_chain()
    assert report.ok and report.checked == OLD_EVENTS + 3 and report.anchors == 1, report

    AuditEvent.objects.filter(pk=written[40][0]).delete()  # the old part is still guarded
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == written[41][0] and report.shard == 0, report
