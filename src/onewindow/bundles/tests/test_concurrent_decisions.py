"""Two departments deciding the last two items at the same moment: the package is finished exactly once."""

import threading

import pytest
from django.db import connection

from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import accepted, at, decide, make_world, sub_case
from onewindow.cases import services as case_services
from onewindow.core.models import AuditEvent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_two_approvals_at_once_finish_the_package_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers with row locks (SQLite serialises the whole database)")
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    world = make_world()
    package = accepted(world)
    for key in ("licence", "env", "food"):
        decide(world, package, key, when="2025-09-03")
    cases = {key: sub_case(package, key) for key in ("fire", "drain")}
    barrier = threading.Barrier(2)
    errors = []

    def approve(key):
        try:
            barrier.wait()
            case_services.approve_case(cases[key], by=world.reviewers[cases[key].department.code],
                                       at=at("2025-09-05"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(key,)) for key in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Package.objects.get(pk=package.pk).state == PackageState.DECIDED
    assert AuditEvent.objects.filter(action="package.finish", object_id=str(package.pk)).count() == 1
