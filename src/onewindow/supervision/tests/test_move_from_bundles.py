"""The supervision tables moved from `bundles` with every row, their content types (and so the permissions
granted on them) with them; the move runs back as well."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import case_in_state, make_world
from onewindow.supervision.models import DeliveryAttempt, SupervisionEvent, WebhookDelivery, WebhookEndpoint

BEFORE = [("bundles", "0002_one_daily_sequence"), ("supervision", None)]
OLD_STATE = [("bundles", "0002_one_daily_sequence")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_moving_the_supervision_tables_out_of_bundles_keeps_every_row_and_runs_back():
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    world = make_world()
    case = case_in_state(world, State.APPROVED)
    event_type_id = ContentType.objects.get(app_label="supervision", model="supervisionevent").pk
    _migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(OLD_STATE).apps
        now = timezone.now()
        event = old.get_model("bundles", "SupervisionEvent").objects.create(
            department_id=world.dept_a.pk, case_id=case.pk, payload={"case": {"number": case.number}}, created_at=now)
        endpoint = old.get_model("bundles", "WebhookEndpoint").objects.create(
            department_id=world.dept_a.pk, url="https://supervision.example/hooks", secret="k", max_attempts=3)
        delivery = old.get_model("bundles", "WebhookDelivery").objects.create(
            endpoint=endpoint, event=event, body="{}", status="dead", attempts=3, created_at=now)
        old.get_model("bundles", "DeliveryAttempt").objects.create(delivery=delivery, number=3, at=now,
                                                                   status_code=500, ok=False)
        assert ContentType.objects.get(pk=event_type_id).app_label == "bundles", "the move back relabels it"

        executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        moved = SupervisionEvent.objects.get(pk=event.pk)
        assert (moved.case_id, moved.department_id, moved.payload) == (case.pk, world.dept_a.pk, event.payload)
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "k"
        assert WebhookDelivery.objects.get(pk=delivery.pk).event_id == event.pk
        assert DeliveryAttempt.objects.get().delivery_id == delivery.pk
        assert ContentType.objects.get(pk=event_type_id).app_label == "supervision"
        new_event = SupervisionEvent.objects.create(department=world.dept_a, case=case, payload={}, created_at=now)
        assert new_event.pk > event.pk, "ids go on after the moved rows"

        _migrate(BEFORE)
        back = MigrationExecutor(connection).loader.project_state(OLD_STATE).apps
        assert back.get_model("bundles", "DeliveryAttempt").objects.get().delivery_id == delivery.pk
        assert back.get_model("bundles", "SupervisionEvent").objects.count() == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
