"""The one kit for rows held per process (`core.cache`): a change made in another process is seen on the next read
by a cache that rechecks always (`recheck=0`, tokens and hall configuration) and within its recheck interval by
the others; a None is held only where asked; `copy()` hands out a value of the caller's own."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache as shared
from django.db import transaction

from onewindow.core import cache


def _another_process_changes(namespace: str) -> None:
    """What another worker's write leaves in the shared cache: a new generation this process has not seen."""
    shared.set(f"onewindow:generation:{namespace}", "moved-elsewhere", None)


def test_a_cache_that_rechecks_always_sees_another_process_change_on_the_next_read():
    kept = cache.ProcessCache("test.always", recheck=0)
    loads = []
    assert kept.get("k", lambda: loads.append(1) or "old") == "old"
    assert kept.get("k", lambda: loads.append(1) or "again") == "old" and len(loads) == 1
    _another_process_changes("test.always")
    assert kept.get("k", lambda: loads.append(1) or "new") == "new"


def test_a_cache_with_a_recheck_interval_sees_another_process_change_once_it_is_over(monkeypatch):
    kept = cache.ProcessCache("test.interval", recheck=1.0)
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    assert kept.get("k", lambda: "old") == "old"
    _another_process_changes("test.interval")
    assert kept.get("k", lambda: "new") == "old", "within the interval the process does not ask"
    now[0] += 1.5
    assert kept.get("k", lambda: "new") == "new"


def test_none_is_held_only_where_asked():
    holding = cache.ProcessCache("test.none_held")
    assert holding.get("k", lambda: None) is None
    assert holding.get("k", lambda: "found") is None
    refusing = cache.ProcessCache("test.none_refused", keep_none=False)
    assert refusing.get("k", lambda: None) is None
    assert refusing.get("k", lambda: "found") == "found"


def test_a_copy_is_the_callers_own():
    kept = cache.ProcessCache("test.copy")
    first = kept.copy("k", lambda: SimpleNamespace(limit=3))
    first.limit = 9
    assert kept.copy("k", lambda: SimpleNamespace(limit=0)).limit == 3
    assert kept.get("k", lambda: SimpleNamespace(limit=0)).limit == 3


@pytest.mark.django_db(transaction=True)
def test_forget_drops_the_rows_now_and_once_more_when_the_write_commits():
    kept = cache.ProcessCache("test.forget", recheck=0)
    kept.get("k", lambda: "before")
    with transaction.atomic():
        kept.forget()
        assert kept.get("k", lambda: "read during the write") == "read during the write"
    assert kept.get("k", lambda: "after") == "after", "what was read before the commit is not kept"


def test_a_request_reads_the_generations_once_all_together_and_sees_its_own_change(monkeypatch):
    tokens = cache.ProcessCache("test.request.tokens", recheck=0)
    halls = cache.ProcessCache("test.request.halls", recheck=0)
    reads = []
    real = shared.get_many
    monkeypatch.setattr(shared, "get_many", lambda keys: reads.append(sorted(keys)) or real(keys))
    seen = {}

    def view(request):
        seen["first"] = tokens.get("k", lambda: "old")
        _another_process_changes("test.request.tokens")
        seen["same request"] = tokens.get("k", lambda: "new")  # one consistent state for the request
        halls.get("h", lambda: "hall")
        halls.forget()  # this request's own write counts for it at once
        seen["own change"] = halls.get("h", lambda: "hall, changed")
        return "answer"

    assert cache.RequestGenerations(view)(object()) == "answer"
    assert seen == {"first": "old", "same request": "old", "own change": "hall, changed"}
    assert len(reads) == 1, "one round trip for every namespace the process keeps"
    assert {"onewindow:generation:test.request.tokens", "onewindow:generation:test.request.halls"} <= set(reads[0])
    assert tokens.get("k", lambda: "new") == "new", "the next request sees the other process's change"


def test_outside_a_request_every_read_of_a_recheck_always_cache_asks_the_shared_cache():
    kept = cache.ProcessCache("test.outside", recheck=0)
    assert kept.get("k", lambda: "old") == "old"
    _another_process_changes("test.outside")
    assert kept.get("k", lambda: "new") == "new"
