"""Concurrent transitions on one case: exactly one succeeds, the other gets 409 and changes nothing
(optimistic `version` check). Numbers stay unique under concurrent intake."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at, complete_materials, make_world, new_case, person
from onewindow.core.errors import Conflict
from onewindow.core.models import AuditEvent
from onewindow.core.services import create_token


def test_a_stale_copy_of_the_case_cannot_be_acted_on(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.accept_case(mine, by=world.clerk_a, at=at("2025-09-02"))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as lost:
        services.refuse_case(theirs, by=world.clerk_a, reason="重复", at=at("2025-09-02"))
    assert lost.value.status == 409
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    assert AuditEvent.objects.count() == events


def test_an_expected_version_that_is_not_current_is_refused(world):
    case = new_case(world)
    with pytest.raises(Conflict):
        services.refuse_case(case, by=world.clerk_a, reason="理由", expected_version=case.version - 1)
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_the_api_honours_if_match_and_expected_version(world):
    # Within the 5 working days of receipt: a refusal is still lawful (art. 32), so only the version is at stake.
    case = new_case(world, when=at(timezone.localdate().isoformat(), 0))
    _, token = create_token(world.clerk_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/cases/{case.number}/refuse"
    stale = client.post(url, content_type="application/json", data={"reason": "理由"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"
    stale_body = client.post(url, content_type="application/json", data={"reason": "理由", "expected_version": 1})
    assert stale_body.status_code == 409
    garbage = client.post(url, content_type="application/json", data={"reason": "理由"}, HTTP_IF_MATCH="abc")
    assert garbage.status_code == 422
    ok = client.post(url, content_type="application/json", data={"reason": "理由"}, HTTP_IF_MATCH=f'"{case.version}"')
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "not_accepted"


def _race(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_acting_on_one_case_at_once_one_wins_and_the_other_gets_409():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers with row locks (SQLite serialises the whole database)")
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    world = make_world()
    case = new_case(world)
    complete_materials(case, by=world.clerk_a)
    copies = [Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)]
    read_at = copies[0].version
    results = _race([
        lambda: services.accept_case(copies[0], by=world.clerk_a, at=at("2025-09-02")),
        lambda: services.refuse_case(copies[1], by=world.clerk_a, reason="重复申请", at=at("2025-09-02")),
    ])
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == winners[0].state and stored.version == read_at + 1, "exactly one act moved the case"
    assert AuditEvent.objects.filter(object_id=str(case.pk), action__in=["case.accept", "case.refuse"]).count() == 1
    from onewindow.core.audit import verify_chain

    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_in_one_department_gives_consecutive_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers with row locks (SQLite serialises the whole database)")
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    world = make_world()
    results = _race([
        (lambda n=n: services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(n),
                                          channel="window", at=at("2025-09-01"))[0])
        for n in range(8)
    ])
    assert all(isinstance(r, Case) for r in results), results
    assert sorted(r.number for r in results) == [f"SC20250901{i:06d}" for i in range(1, 9)]
