"""What a case intake costs the database over the HTTP API: create + submit (one POST) and accept (one POST),
through the Django test client with a bearer token, as `benchmarks/cases.py` drives them — at most 15 statements in
all (issue 16), so the count cannot creep back.

The tests run outside a test transaction (`transactional_db`), so what is counted is what a deployment runs. The
target counts the statements that do the work: savepoints count, the transaction's own BEGIN and COMMIT (which
Django logs on both databases, one pair per request that writes) do not — every write pays them, the raw SQL
baseline as well. It counts each audit append as 2 statements (the audit chain's own cost beyond that is the
chain's, measured here on this database and allowed for) and the bearer token as at most 1 per request (a client
that just used its token is not written again).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import identity_number, make_item
from onewindow.core import audit
from onewindow.core.models import AuditEvent
from onewindow.core.services import create_token

INTAKE_STATEMENTS = 15  # create + submit + accept, issue 16
APPENDS = 3  # case.create, case.submit, case.accept


def _audit_excess() -> int:
    """Statements one audit append costs on this database beyond the 2 the target counts for it."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as appended:
            audit.record("test.append_cost", object_type="test", object_id="1")
        transaction.set_rollback(True)
    return max(0, len(appended) - 2)


def _transaction_control() -> int:
    """BEGIN / COMMIT statements this database logs for one durable transaction (a request that writes)."""
    with CaptureQueriesContext(connection) as logged, transaction.atomic(durable=True):
        AuditEvent.objects.exists()
    return sum(1 for q in logged.captured_queries if q["sql"].split()[0].upper() in ("BEGIN", "COMMIT"))


def _allowance(appends: int, writes: int) -> int:
    """What the counted requests may log beyond the target: the audit chain's excess per append, and each writing
    request's BEGIN / COMMIT."""
    return appends * _audit_excess() + writes * _transaction_control()


def _clerk_client(world) -> Client:
    _, token = create_token(world.clerk_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    # The first request records the token's use (at most once a minute) and imports the URL map.
    assert client.get("/api/v1/cases?page_size=1").status_code == 200
    return client


def _create(client, item, n: int, **extra):
    return client.post("/api/v1/cases", content_type="application/json", headers=extra.pop("headers", {}), data={
        "item_id": item.pk, "channel": "window", "submit": True,
        "applicant": {"kind": "person", "name": "李四", "id_number": identity_number(n), "mobile": "13900139000"},
        **extra})


@pytest.fixture
def counted(transactional_db, world):
    """A window clerk's client and an item without materials (the benchmark's), with the catalog read once."""
    item = make_item(world.dept_a, code="SC-BENCH", materials=[])
    client = _clerk_client(world)
    # A first intake: the rows this process keeps (`core.cache`) are read here, as after any start.
    warm = _create(client, item, 999)
    assert warm.status_code == 201, warm.content
    warm = client.post(f"/api/v1/cases/{warm.json()['number']}/accept", content_type="application/json", data={})
    assert warm.status_code == 200, warm.content
    return client, item


def test_create_submit_and_accept_over_http_take_at_most_15_statements(counted, django_assert_max_num_queries):
    client, item = counted
    with django_assert_max_num_queries(INTAKE_STATEMENTS + _allowance(APPENDS, writes=2)):
        created = _create(client, item, 1)
        accepted = client.post(f"/api/v1/cases/{created.json()['number']}/accept", content_type="application/json",
                               data={})
    assert (created.status_code, accepted.status_code) == (201, 200), (created.content, accepted.content)
    case = Case.objects.get(number=created.json()["number"])
    assert (case.state, case.version) == ("accepted", 3)
    assert list(AuditEvent.objects.filter(object_id=str(case.pk), object_type="cases.case")
                .order_by("id").values_list("action", flat=True)) == ["case.create", "case.submit", "case.accept"]
    assert audit.verify_chain().ok


def test_each_request_alone_stays_within_its_share(counted, django_assert_max_num_queries):
    """Create + submit at most 8 statements, accept at most 7 (same accounting): neither hides the other's cost."""
    client, item = counted
    with django_assert_max_num_queries(8 + _allowance(2, writes=1)):
        created = _create(client, item, 2)
    with django_assert_max_num_queries(7 + _allowance(1, writes=1)):
        accepted = client.post(f"/api/v1/cases/{created.json()['number']}/accept", content_type="application/json",
                               data={})
    assert (created.status_code, accepted.status_code) == (201, 200), (created.content, accepted.content)


def test_the_answers_are_the_case_as_it_is_read_afterwards(counted):
    """The case the API answers without reading it again is the case a reader gets from GET, field for field."""
    client, item = counted
    created = _create(client, item, 3)
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert created.json() == client.get(f"/api/v1/cases/{number}").json()
    accepted = client.post(f"/api/v1/cases/{number}/accept", content_type="application/json", data={})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json() == client.get(f"/api/v1/cases/{number}").json()
    assert accepted.json()["state"] == "accepted" and accepted.json()["version"] == 3


def test_a_replayed_idempotency_key_answers_the_first_case_and_writes_nothing(counted):
    client, item = counted
    first = _create(client, item, 4, headers={"Idempotency-Key": "intake-4"})
    assert first.status_code == 201, first.content
    events = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as replay:
        again = _create(client, item, 4, headers={"Idempotency-Key": "intake-4"})
    assert again.status_code == 200, again.content
    assert not [q["sql"] for q in replay.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE")]
    assert again.json() == client.get(f"/api/v1/cases/{first.json()['number']}").json()
    assert (Case.objects.count(), AuditEvent.objects.count()) == (2, events)  # the warm-up and the first, no other
