"""The audit chain (审计链): every state change appends one event that hashes the one before it in its chain.

Design: chains per shard, anchored periodically into a global chain — no lock shared by the whole deployment.

- **Shards (分链).** The chain is split into `AUDIT_CHAIN_SHARDS` (default 64) independent hash chains. An act's
  first event goes to the shard of its object (a stable hash of object type and id, so an object's own acts
  stay in one chain); the later events of the same transaction (a receiver's event on a package or a licence,
  an import's next row) join that shard. Each shard is numbered from 1 (`AuditEvent.seq`) and linked from the
  genesis hash; the events recorded before shards existed are shard 0, unchanged.
- **One lock per shard, one shard per transaction.** A shard's head row (`AuditChainHead`: last id, last hash,
  length) is its lock: `record()` takes it with one upsert that returns the latest committed head (after
  waiting for a concurrent append to that shard to commit), then inserts the event; a trigger moves the head
  in the same statement. Two statements on PostgreSQL and SQLite alike, the row lock held from the append —
  the last write of the act — to commit. Holding one shard at most, two acts can never deadlock on the
  chain, and a long transaction (an import) holds one shard of 64, never the whole deployment. A unique
  (shard, seq) makes a fork impossible even if a lock were lost.
- **Anchors (锚点).** A periodic job (`anchor_chain`, beat entry `core-audit-anchor`) appends to the anchor
  chain (shard −1) an event recording every shard's head (length, last id, last hash). An anchor pins its
  shards' history up to then: a tail cut off before the last anchor is found even if the head row was edited
  to match. The anchor chain's own head is the single hash an external anchoring (a later issue: publishing
  or time-stamping heads elsewhere) has to carry to pin the whole deployment.
- **Verification.** `verify_chain` walks every shard from its genesis by `seq` (links, numbering, contents),
  checks each shard's head against its tail and each anchor against the events it names, and reports the
  first problem by event id in plain Chinese.

The digest of an event is unchanged (shard and position are bound by the links and by `seq` being walked).
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from onewindow.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
ANCHOR_SHARD = -1
ANCHOR_ACTION = "audit.anchor"
DEFAULT_SHARDS = 64

# The digest's fields, then the chain's own; the order of the INSERT below and of the rows the walk reads.
_CONTENT = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "before", "after", "reason")
_COLUMNS = (*_CONTENT, "prev_hash", "hash", "shard", "seq")
_EVENT_TABLE = AuditEvent._meta.db_table
_HEAD_TABLE = AuditChainHead._meta.db_table
# Takes the shard's head row lock and returns the latest committed head (a first append creates the row).
_LOCK_HEAD = (
    f"INSERT INTO {_HEAD_TABLE} (shard, last_id, last_hash, length) VALUES (%s, NULL, %s, 0) "
    f"ON CONFLICT (shard) DO UPDATE SET length = {_HEAD_TABLE}.length RETURNING last_hash, length, last_id"
)
_FIELDS: list[Field] = [field for name in _COLUMNS if isinstance(field := AuditEvent._meta.get_field(name), Field)]
_INSERT_EVENT = (
    f"INSERT INTO {_EVENT_TABLE} ({', '.join(str(field.column) for field in _FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_FIELDS))}) RETURNING id"
)
# Which shard the current transaction holds, on the connection: (act block, its savepoint id, sentinel, shard).
_HELD = "_onewindow_audit_held"


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value, as stored, so hashing before and after the round trip agree."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def event_digest(
    *, prev_hash: str, at: str, actor_id: int | None, actor_label: str, action: str,
    object_type: str, object_id: str, before: Any, after: Any, reason: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at, actor_id, actor_label, action, object_type, object_id, before, after, reason],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _digest(prev_hash: str, at: Any, actor_id: int | None, actor_label: str, action: str, object_type: str,
            object_id: str, before: Any, after: Any, reason: str) -> str:
    return event_digest(
        prev_hash=prev_hash, at=at.isoformat(timespec="microseconds"), actor_id=actor_id, actor_label=actor_label,
        action=action, object_type=object_type, object_id=object_id, before=_canonical(before),
        after=_canonical(after), reason=reason,
    )


def _digest_of(event: AuditEvent) -> str:
    return _digest(event.prev_hash, *(getattr(event, name) for name in _CONTENT))


def shard_of(object_type: str, object_id: str, shards: int | None = None) -> int:
    """The shard (0 … shards−1) of an object's events: CRC-32 of its type and id, stable across processes and
    releases. `shards` defaults to the setting AUDIT_CHAIN_SHARDS (64)."""
    count = shards or int(getattr(settings, "AUDIT_CHAIN_SHARDS", DEFAULT_SHARDS))
    return zlib.crc32(f"{object_type}\x1f{object_id}".encode()) % min(max(count, 1), 32767)  # a small integer


# -- one shard per transaction --------------------------------------------------------------------------------
def _act_block(conn: Any) -> tuple[Any, str | None]:
    """The atomic block that is the act's transaction, and its savepoint id: the outermost one, or under a test
    case (whose whole test is one transaction) the outermost one the test case did not open."""
    blocks = conn.atomic_blocks
    index = next((i for i, block in enumerate(blocks) if not block._from_testcase), len(blocks) - 1)
    offset = len(blocks) - len(conn.savepoint_ids)  # the outermost block opened the transaction: no savepoint
    return blocks[index], (conn.savepoint_ids[index - offset] if index >= offset else None)


def _held_shard(conn: Any) -> int | None:
    """The shard this transaction already appended to (and holds), if any.

    A sentinel on-commit callback marks the transaction: commit, rollback, or rolling back the savepoint the
    append was made in drop it (and with it the row lock). Only the choice of shard rests on this; a stale
    answer would cost a second lock, never a broken chain.
    """
    held = getattr(conn, _HELD, None)
    if held is None:
        return None
    block, sid, sentinel, shard = held
    current_block, current_sid = _act_block(conn)
    if current_block is not block or current_sid != sid:
        return None
    return shard if any(entry[1] is sentinel for entry in conn.run_on_commit) else None


def _hold(conn: Any, shard: int) -> None:
    sentinel = functools.partial(_released)
    transaction.on_commit(sentinel)
    setattr(conn, _HELD, (*_act_block(conn), sentinel, shard))


def _released() -> None:
    """The transaction that held a shard committed (its on-commit sentinel)."""


# -- appending ------------------------------------------------------------------------------------------------
def _append(shard: int, *, at: Any, actor: Any, actor_label: str, action: str, object_type: str, object_id: str,
            before: Any, after: Any, reason: str) -> AuditEvent:
    """Lock `shard`'s head, link the event to it and insert it (the trigger moves the head): two statements.
    `before` and `after` come canonical (`_canonical`)."""
    ops = connection.ops
    actor_id = actor.pk if actor is not None else None
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD, [shard, GENESIS])
        prev_hash, length, _ = cursor.fetchone()
        digest = event_digest(prev_hash=prev_hash, at=at.isoformat(timespec="microseconds"), actor_id=actor_id,
                              actor_label=actor_label, action=action, object_type=object_type, object_id=object_id,
                              before=before, after=after, reason=reason)
        cursor.execute(_INSERT_EVENT, [
            ops.adapt_datetimefield_value(at), actor_id, actor_label, action, object_type, object_id,
            None if before is None else ops.adapt_json_value(before, None),
            None if after is None else ops.adapt_json_value(after, None),
            reason, prev_hash, digest, shard, length + 1,
        ])
        event_id = cursor.fetchone()[0]
    event = AuditEvent(id=event_id, at=at, actor=actor, actor_label=actor_label, action=action,
                       object_type=object_type, object_id=object_id, before=before, after=after, reason=reason,
                       prev_hash=prev_hash, hash=digest, shard=shard, seq=length + 1)
    event._state.adding = False
    event._state.db = connection.alias
    return event


def record(
    action: str, *, obj: Any = None, object_type: str = "", object_id: str = "", by: Any = None,
    before: Any = None, after: Any = None, reason: str = "",
) -> AuditEvent:
    """Append an event to the chain inside the caller's transaction. Call it last in a service.

    The event goes to the shard this transaction already appended to, else to its object's shard
    (`shard_of`); it waits only for an uncommitted append to that shard. Two SQL statements. Returns the saved
    event (its `shard`, `seq`, `prev_hash`, `hash` set).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor = by if getattr(by, "pk", None) else None
    # The shard's lock, its last link and the new link in one transaction: the caller's act (no savepoint: an
    # append that fails fails the act), or one of its own when a caller has none.
    with transaction.atomic(savepoint=False):
        held = _held_shard(connection)
        shard = held if held is not None else shard_of(object_type, object_id)
        event = _append(
            shard, at=timezone.now(), actor=actor, actor_label=str(by) if by is not None else "system",
            action=action, object_type=object_type, object_id=object_id, before=_canonical(before),
            after=_canonical(after), reason=reason or "",
        )
        if held is None:
            _hold(connection, shard)
    return event


def anchor_chain() -> AuditEvent | None:
    """Append an anchor (锚点) to the anchor chain: every shard's head as [shard, length, last id, last hash].

    Its own transaction; it reads the heads without locking them (each is the latest committed one), so appends
    never wait for it. Returns None, appending nothing, when no shard moved since the last anchor.
    """
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_HEAD, [ANCHOR_SHARD, GENESIS])  # anchorers (one per process) take turns
            last_anchor = cursor.fetchone()[2]
        heads = [list(row) for row in AuditChainHead.objects.exclude(shard=ANCHOR_SHARD).order_by("shard")
                 .values_list("shard", "length", "last_id", "last_hash")]
        previous = AuditEvent.objects.filter(pk=last_anchor).values_list("after", flat=True).first()
        if not heads or (previous or {}).get("heads") == heads:
            return None
        event = _append(ANCHOR_SHARD, at=timezone.now(), actor=None, actor_label="system", action=ANCHOR_ACTION,
                        object_type=AuditChainHead._meta.label_lower, object_id="", before=None,
                        after={"heads": heads}, reason="")
    return event


# -- verifying ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found. `checked`: events found intact (all of them, or those before `broken_at`);
    `broken_at`: id of the first event in doubt (for a removed tail, the id the head or an anchor names);
    `shard`: its shard; `shards`: event chains walked (the anchor chain not counted); `anchors`: anchor events;
    `unanchored`: events appended since the last anchor."""

    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""
    shard: int | None = None
    shards: int = 0
    anchors: int = 0
    unanchored: int = 0


@dataclass
class _Tail:
    length: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS
    broken: bool = False


@dataclass
class _Walk:
    """What the walk has found so far, across shards."""

    problems: list[tuple[int, int, str]]  # (event id, shard, problem)
    tails: dict[int, _Tail]
    anchors: int = 0
    last_anchor: list | None = None


_WALK = ("id", "seq", "prev_hash", "hash", *_CONTENT)


def _events_of(shard: int, batch: int) -> Iterator[tuple]:
    seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(shard=shard, seq__gt=seq).order_by("seq").values_list(*_WALK)[:batch])
        yield from rows
        if len(rows) < batch:
            return
        seq = rows[-1][1]


def _heads() -> dict[int, tuple[int, int | None, str]]:
    return {shard: (length, last_id, last_hash) for shard, length, last_id, last_hash
            in AuditChainHead.objects.values_list("shard", "length", "last_id", "last_hash")}


def _walk_shard(shard: int, head: tuple[int, int | None, str] | None, walk: _Walk, batch: int) -> None:
    """One shard from its genesis: links, numbering, contents; its head read before the walk; its anchors."""
    problems = walk.problems
    tail = walk.tails[shard] = _Tail()
    pending: list[tuple[int, list]] = []
    for event_id, seq, prev_hash, stored_hash, *content in _events_of(shard, batch):
        problem = ("上一环哈希不符（记录被删除或插入）" if prev_hash != tail.last_hash
                   else "链内序号不连续（记录被删除或插入）" if seq != tail.length + 1
                   else "内容与哈希不符（记录被修改）" if _digest(prev_hash, *content) != stored_hash
                   else "")
        if problem:
            problems.append((event_id, shard, problem))
            tail.broken = True
            break
        tail.length, tail.last_id, tail.last_hash = seq, event_id, stored_hash
        if head is not None and seq == head[0] and (event_id, stored_hash) != head[1:]:
            problems.append((event_id, shard, f"分链 {shard} 的链头与第 {seq} 环不符（链头被改动）"))
        if shard == ANCHOR_SHARD and content[_CONTENT.index("action")] == ANCHOR_ACTION:
            walk.anchors += 1
            walk.last_anchor = (content[_CONTENT.index("after")] or {}).get("heads") or []
            pending.append((event_id, walk.last_anchor))
            if len(pending) * DEFAULT_SHARDS >= batch:
                problems.extend(_check_anchors(pending))
                pending = []
    problems.extend(_check_anchors(pending))
    if not tail.broken and head is not None and tail.length < head[0]:
        problems.append((head[1] or 0, shard,
                         f"分链 {shard} 的链头记到第 {head[0]} 环，链只有 {tail.length} 环（链尾记录被删除）"))


def _check_heads_after(walk: _Walk) -> None:
    """No shard longer than its head read after the walk, nor ending elsewhere than the head at equal length."""
    heads = _heads()
    for shard, tail in walk.tails.items():
        head = heads.get(shard)
        if tail.broken or tail.length == 0:
            continue
        if head is None:
            walk.problems.append((tail.last_id or 0, shard, f"分链 {shard} 有记录却没有链头（链头被删除）"))
        elif tail.length > head[0]:
            beyond = AuditEvent.objects.filter(shard=shard, seq=head[0] + 1).values_list("id", flat=True).first()
            walk.problems.append((beyond or tail.last_id or 0, shard,
                                  f"分链 {shard} 长于链头所记的 {head[0]} 环（链头被改动，或记录被插入）"))
        elif tail.length == head[0] and (tail.last_id, tail.last_hash) != head[1:]:
            walk.problems.append((tail.last_id or 0, shard, f"分链 {shard} 的链头与第 {head[0]} 环不符（链头被改动）"))


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk every shard from its genesis; check heads and anchors; report the first problem by event id.

    Safe while appends go on: the heads are read before the walk (each shard must reach its head with the
    head's hash) and after it (no shard may be longer than its head), and a shard is walked by position, in
    which its appends commit. Reads only; no lock, no long transaction. Memory: one batch and one tail per shard.
    """
    heads_before = _heads()
    shards = sorted(set(AuditEvent.objects.order_by().values_list("shard", flat=True).distinct()) | set(heads_before))
    walk = _Walk(problems=[], tails={})
    for shard in shards:
        _walk_shard(shard, heads_before.get(shard), walk, batch)
    _check_heads_after(walk)
    chains = sum(1 for shard in walk.tails if shard != ANCHOR_SHARD)
    if walk.problems:
        broken_at, shard, problem = min(walk.problems)
        checked = AuditEvent.objects.filter(id__lt=broken_at).count()
        return ChainReport(False, checked, broken_at, problem, shard=shard, shards=chains, anchors=walk.anchors)
    anchored = {entry[0]: entry[1] for entry in walk.last_anchor or [] if isinstance(entry, list) and len(entry) == 4}
    unanchored = sum(tail.length - anchored.get(shard, 0) for shard, tail in walk.tails.items()
                     if shard != ANCHOR_SHARD)
    return ChainReport(True, sum(tail.length for tail in walk.tails.values()), shards=chains, anchors=walk.anchors,
                       unanchored=unanchored)


def _check_anchors(anchors: list[tuple[int, list]]) -> list[tuple[int, int, str]]:
    """Each anchor's heads against the events they name: present, in that shard at that position, same hash."""
    wanted = {entry[2] for _, heads in anchors for entry in heads
              if isinstance(entry, list) and len(entry) == 4 and entry[1]}
    found: dict[int, tuple[int, int, str]] = {}
    ids = sorted(i for i in wanted if isinstance(i, int))
    for start in range(0, len(ids), 500):
        found.update((pk, (shard, seq, stored)) for pk, shard, seq, stored in AuditEvent.objects
                     .filter(pk__in=ids[start:start + 500]).values_list("id", "shard", "seq", "hash"))
    problems = []
    for anchor_id, heads in anchors:
        for entry in heads:
            if not (isinstance(entry, list) and len(entry) == 4):
                problems.append((anchor_id, ANCHOR_SHARD, f"第 {anchor_id} 号锚点的内容不可读（记录被修改）"))
                break
            shard, length, last_id, last_hash = entry
            if not length:
                continue
            if last_id not in found:
                problems.append((last_id, shard, f"第 {anchor_id} 号锚点记下的分链 {shard} 第 {length} 环已不存在"
                                                 "（链尾记录被删除）"))
            elif found[last_id] != (shard, length, last_hash):
                problems.append((last_id, shard, f"第 {anchor_id} 号锚点记下的分链 {shard} 第 {length} 环与链中记录"
                                                 "不符（链被改写）"))
    return problems
