"""The audit chain: chains per shard, each event hashing the one before it; heads and anchors pin the tails. An
edited, removed, inserted or forged row, a cut tail and an edited head are each found and located."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from onewindow.core import audit
from onewindow.core.models import AuditChainHead, AuditEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return User.objects.create(username="clerk1", role="clerk")


def accept(case_id, by, n=0):
    """One act on case `case_id`, in its own transaction as a service runs it."""
    with transaction.atomic(durable=True):
        return audit.record("case.accept", object_type="cases.case", object_id=str(case_id), by=by,
                            before={"state": "submitted", "n": n}, after={"state": "accepted", "due": "2025-10-09"})


def history(clerk, n=5, case_id=7):
    """`n` acts on one case: one shard's chain."""
    return [accept(case_id, clerk, i) for i in range(n)]


def many_cases(clerk, cases=200):
    return [accept(1000 + case_id, clerk) for case_id in range(cases)]


def head(shard):
    return AuditChainHead.objects.get(shard=shard)


def test_a_cases_events_link_one_after_another_in_the_shard_of_the_case(clerk):
    events = history(clerk, 3)
    shard = audit.shard_of("cases.case", "7")
    assert [(e.shard, e.seq) for e in events] == [(shard, 1), (shard, 2), (shard, 3)]
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert (head(shard).length, head(shard).last_id, head(shard).last_hash) == (3, events[2].pk, events[2].hash)
    assert audit.verify_chain().ok


def test_appends_spread_over_many_shards_each_linking_from_genesis_and_the_whole_verifies(clerk, settings):
    settings.AUDIT_CHAIN_SHARDS = 64
    events = many_cases(clerk, 200) + history(clerk, 4, case_id=3)
    shards = {e.shard for e in events}
    assert len(shards) > 48, f"200 cases fell into only {len(shards)} of 64 shards"
    for shard in shards:
        chain = list(AuditEvent.objects.filter(shard=shard).order_by("seq"))
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert [e.prev_hash for e in chain] == [audit.GENESIS] + [e.hash for e in chain[:-1]]
        assert (head(shard).length, head(shard).last_hash) == (len(chain), chain[-1].hash)
    report = audit.verify_chain()
    assert report.ok and report.checked == 204 and report.shards == len(shards), report


def test_a_transactions_later_events_join_the_shard_of_its_first(clerk, settings):
    settings.AUDIT_CHAIN_SHARDS = 64
    case, package = ("cases.case", "1"), ("bundles.package", "5")
    assert audit.shard_of(*case) != audit.shard_of(*package)
    with transaction.atomic(durable=True):  # a case act whose receiver records on the package
        first = audit.record("case.accept", object_type=case[0], object_id=case[1], by=clerk)
        joined = audit.record("package.progress", object_type=package[0], object_id=package[1], by=clerk)
    alone = accept(5, clerk)  # the next act goes to its own object's shard again
    with transaction.atomic(durable=True):
        on_package = audit.record("package.apply", object_type=package[0], object_id=package[1], by=clerk)
    assert first.shard == joined.shard == audit.shard_of(*case) and joined.seq == first.seq + 1
    assert alone.shard == audit.shard_of("cases.case", "5")
    assert on_package.shard == audit.shard_of(*package)
    assert audit.verify_chain().ok


def test_an_append_rolled_back_with_its_savepoint_does_not_bind_the_transaction_to_its_shard(clerk):
    case, package = ("cases.case", "1"), ("bundles.package", "5")
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                audit.record("case.accept", object_type=case[0], object_id=case[1], by=clerk)
                raise RuntimeError("the act failed after its append")
        except RuntimeError:
            pass
        event = audit.record("package.apply", object_type=package[0], object_id=package[1], by=clerk)
    assert event.shard == audit.shard_of(*package) and event.seq == 1
    assert not AuditEvent.objects.filter(object_type="cases.case").exists()
    assert audit.verify_chain().ok


def test_one_append_is_two_sql_statements_on_a_new_shard_and_an_existing_one(clerk, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        audit.record("case.accept", object_type="cases.case", object_id="11", by=clerk)
    with transaction.atomic(durable=True), django_assert_max_num_queries(2):
        audit.record("case.accept", object_type="cases.case", object_id="11", by=clerk)
    assert audit.verify_chain().ok


def test_an_edited_row_is_reported_at_its_position(clerk):
    events = history(clerk, 5)
    AuditEvent.objects.filter(pk=events[2].pk).update(after={"state": "approved"})
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == events[2].pk and report.shard == events[2].shard
    assert report.checked == 2
    assert "修改" in report.problem


def test_a_row_deleted_from_the_middle_of_a_shard_is_reported_at_the_next_one(clerk):
    many_cases(clerk, 30)
    events = history(clerk, 5)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[2].pk, report
    assert "删除" in report.problem


def test_a_forged_row_inserted_between_two_is_reported_at_the_one_after_it(clerk):
    events = history(clerk, 5)
    shard = events[0].shard
    # Make room at position 3 (in two steps: one position holds one event at every moment), then forge a
    # well-formed event there, hashed as the code would hash it.
    AuditEvent.objects.filter(shard=shard, seq__gte=3).update(seq=-F("seq"))
    for offset, event in enumerate(events[2:]):
        AuditEvent.objects.filter(pk=event.pk).update(seq=4 + offset)
    forged = AuditEvent(at=events[1].at, actor=None, actor_label="system", action="case.approve",
                        object_type="cases.case", object_id="7", before=None, after={"state": "approved"},
                        reason="", prev_hash=events[1].hash, shard=shard, seq=3)
    forged.hash = audit._digest_of(forged)
    forged.save(force_insert=True)
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[2].pk, report
    assert "插入" in report.problem


def test_a_forged_row_in_a_shard_of_its_own_is_reported(clerk):
    history(clerk, 2)
    forged = AuditEvent(at=AuditEvent.objects.first().at, actor=None, actor_label="system", action="case.approve",
                        object_type="cases.case", object_id="9", before=None, after=None, reason="",
                        prev_hash=audit.GENESIS, shard=99, seq=1)
    forged.hash = audit._digest_of(forged)
    forged.save(force_insert=True)
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == forged.pk and report.shard == 99 and "链头" in report.problem


def test_a_removed_tail_is_found_by_the_shards_head(clerk):
    events = history(clerk, 5)
    AuditEvent.objects.filter(pk=events[4].pk).delete()
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[4].pk, report
    assert "链尾记录被删除" in report.problem and report.checked == 4


def test_a_tail_removed_before_the_last_anchor_is_found_even_with_the_head_put_back(clerk):
    events = history(clerk, 5)
    many_cases(clerk, 10)
    anchor = audit.anchor_chain()
    assert anchor is not None and anchor.shard == audit.ANCHOR_SHARD
    AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    AuditChainHead.objects.filter(shard=events[0].shard).update(length=3, last_id=events[2].pk,
                                                                last_hash=events[2].hash)
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[4].pk, report
    assert f"第 {anchor.pk} 号锚点" in report.problem and "链尾记录被删除" in report.problem


def test_an_altered_head_is_reported(clerk):
    events = history(clerk, 3)
    AuditChainHead.objects.filter(shard=events[0].shard).update(last_hash="f" * 64)
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[2].pk and "链头被改动" in report.problem, report


def test_a_deleted_head_is_reported(clerk):
    events = history(clerk, 3)
    AuditChainHead.objects.filter(shard=events[0].shard).delete()
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[2].pk and "没有链头" in report.problem, report


def test_an_edited_anchor_is_reported(clerk):
    history(clerk, 3)
    anchor = audit.anchor_chain()
    AuditEvent.objects.filter(pk=anchor.pk).update(after={"heads": []})
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == anchor.pk and "修改" in report.problem, report


def test_an_anchor_records_every_shards_head_and_none_is_added_while_nothing_moves(clerk):
    many_cases(clerk, 20)
    first = audit.anchor_chain()
    heads = list(AuditChainHead.objects.exclude(shard=audit.ANCHOR_SHARD).values_list(
        "shard", "length", "last_id", "last_hash"))
    assert first.after == {"heads": [list(h) for h in heads]} and len(heads) > 10
    assert audit.anchor_chain() is None
    accept(3, clerk)
    second = audit.anchor_chain()
    assert second is not None and second.prev_hash == first.hash and second.seq == 2
    report = audit.verify_chain()
    assert report.ok and report.anchors == 2 and report.checked == 23 and report.unanchored == 0, report
    accept(4, clerk)
    assert audit.verify_chain().unanchored == 1


def test_the_shards_heads_are_moved_by_the_database_itself():
    """The head trigger survives every migration (a table rebuild on SQLite would drop it silently)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditevent_moves_head'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = 'core_auditevent_moves_head'")
        assert cursor.fetchone()[0] == 1


def test_audit_verify_exits_0_when_whole_and_1_when_broken(clerk, capsys):
    events = history(clerk, 3)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "尚无锚点" in out and "最近锚点" not in out  # no talk of an anchor that does not exist
    call_command("audit", "anchor")
    assert "已记录锚点" in capsys.readouterr().out
    call_command("audit", "anchor")
    assert "没有新记录，未记录新锚点" in capsys.readouterr().out
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "OK" in out and "共 4 条" in out and "1 个锚点" in out
    AuditEvent.objects.filter(pk=events[0].pk).update(reason="tampered")
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"第 {events[0].pk} 号记录" in err and f"分链 {events[0].shard}" in err


def test_the_admin_cannot_add_change_or_delete_events(admin_client, clerk):
    event = history(clerk, 1)[0]
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
