"""A dependent sub-case starts by itself the moment all its prerequisites are approved; its clock starts then."""

import datetime as dt

from onewindow.bundles.tests.factories import accepted, decide, sub_case
from onewindow.cases.lifecycle import State
from onewindow.cases.models import CaseMaterial
from onewindow.workdays.selectors import due_date


def test_approving_the_licence_starts_the_items_that_only_needed_it(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    food, fire = sub_case(package, "food"), sub_case(package, "fire")
    assert food.state == fire.state == State.ACCEPTED
    assert food.accepted_on == fire.accepted_on == dt.date(2025, 9, 3), "the clock starts on the approval day"
    assert food.due_on == due_date(dt.date(2025, 9, 3), 5)
    assert fire.due_on == due_date(dt.date(2025, 9, 3), 7)


def test_an_item_with_two_prerequisites_waits_for_the_second_one(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    assert sub_case(package, "drain").state == State.DRAFT, "排水许可 also needs 环评登记"
    decide(world, package, "env", when="2025-09-04")
    drain = sub_case(package, "drain")
    assert drain.state == State.ACCEPTED
    assert drain.accepted_on == dt.date(2025, 9, 4)


def test_the_prerequisite_result_is_fetched_by_data_sharing_not_asked_of_the_applicant(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    shared = CaseMaterial.objects.get(case=sub_case(package, "fire"), name="营业执照")
    assert shared.provision == CaseMaterial.Provision.SHARED


def test_a_dependent_is_started_by_its_own_departments_service_account(world):
    from onewindow.core.models import AuditEvent

    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    food = sub_case(package, "food")
    event = AuditEvent.objects.get(object_type="cases.case", object_id=str(food.pk), action="case.accept")
    assert event.actor.assignment.department.code == "WS"
    assert event.actor.username.startswith("yjs-agent-")
    assert not event.actor.has_usable_password(), "the service account cannot sign in"


def test_approving_an_unrelated_item_starts_nothing_that_still_waits_for_the_licence(world):
    package = accepted(world)
    decide(world, package, "env", when="2025-09-02")
    assert sub_case(package, "drain").state == State.DRAFT
    assert sub_case(package, "food").state == State.DRAFT
