"""The fuzzer over the whole API (schemathesis): every operation of `/api/v1/openapi.json`, unauthenticated and as a
citizen, a clerk and a reviewer, answers no 5xx and a body that matches the response schema it publishes.

Marked `fuzz`: it is left out of the ordinary run and `.ci/run` runs it as a step of its own
(`pytest -m fuzz`, on SQLite and on PostgreSQL), with a bounded budget per operation (`FUZZ_EXAMPLES`).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import at, case_in_state, make_world
from onewindow.core.services import create_token

pytestmark = pytest.mark.fuzz

# Examples per operation and role: 4 roles × every operation stay within the CI step's budget on two cores.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
# schemathesis's phases: the schema's own examples and random fuzzing by default; `coverage` (every boundary the
# schema declares, several hundred requests for a large body) is for a longer run: FUZZ_PHASES=examples,coverage,fuzzing.
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing").split(",")
ROLES = ("anonymous", "citizen", "clerk", "reviewer")


# The schema as the application publishes it (read at collection; pytest-django has configured Django by then).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.phases.update(phases=PHASES)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test world with a case in a few states, so that lists and details have rows to answer with: built once
    for the module inside a transaction rolled back at its end (each test's own transaction nests within)."""
    from onewindow.workdays.services import seed_from_package

    media = tmp_path_factory.mktemp("media")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media), \
            django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # the services' durable transactions nest in it, as in a test's own
        with outer:
            seed_from_package(years=[2024, 2025, 2026])
            world = make_world()
            with time_machine.travel(at("2025-09-01"), tick=False):
                for n, state in enumerate((State.SUBMITTED, State.ACCEPTED, State.APPROVED), start=1):
                    case_in_state(world, state, n=n)
            yield world
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _connections_kept_through_the_test():
    """As Django's test client does: the request signals must not close the test's connection (on PostgreSQL with
    the pool, CONN_MAX_AGE is 0 and `request_finished` would close it inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def role_headers(request, fuzz_world, db) -> dict[str, str]:
    """The caller: nobody, or a bearer token of the world's citizen, clerk or reviewer."""
    world = fuzz_world
    user = {"citizen": world.citizen, "clerk": world.clerk_a, "reviewer": world.reviewer_a}.get(request.param)
    if user is None:
        return {}
    _, token = create_token(user)
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_a_body_outside_its_schema(case, role_headers):
    case.call_and_validate(headers=role_headers,
                           checks=[not_a_server_error, response_schema_conformance])
