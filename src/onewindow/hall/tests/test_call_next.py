import datetime as dt

import pytest

from onewindow.core.errors import Conflict, PermissionDenied
from onewindow.core.models import Role
from onewindow.hall import services
from onewindow.hall.models import HallPolicy, Priority, TicketState, WindowStatus
from onewindow.hall.tests.factories import DepartmentFactory, UserFactory, WindowFactory

pytestmark = pytest.mark.django_db


def minutes(start, n):
    return start + dt.timedelta(minutes=n)


def test_numbers_are_prefix_and_daily_sequence_per_category(category_a, category_b, morning):
    a1 = services.issue_ticket(category=category_a, at=morning)
    a2 = services.issue_ticket(category=category_a, at=minutes(morning, 1))
    b1 = services.issue_ticket(category=category_b, at=minutes(morning, 2))
    tomorrow = services.issue_ticket(category=category_a, at=morning + dt.timedelta(days=1))
    assert [a1.number, a2.number, b1.number] == ["A001", "A002", "B001"]
    assert tomorrow.number == "A001", "the sequence starts again every day"


def test_green_channel_is_called_before_normal_tickets_then_earliest_first(category_a, window, clerk, morning):
    normal_early = services.issue_ticket(category=category_a, at=morning)
    normal_late = services.issue_ticket(category=category_a, at=minutes(morning, 5))
    elderly = services.issue_ticket(category=category_a, priority=Priority.ELDERLY, at=minutes(morning, 10))
    pregnant = services.issue_ticket(category=category_a, priority=Priority.PREGNANT, at=minutes(morning, 11))
    order = []
    for step in range(4):
        ticket = services.call_next(window=window, by=clerk, at=minutes(morning, 20 + step))
        order.append(ticket.number)
        services.finish(window=window, by=clerk, at=minutes(morning, 20 + step))
    assert order == [elderly.number, pregnant.number, normal_early.number, normal_late.number]


def test_priority_weights_are_configured_per_hall(hall, category_a, window, clerk, morning):
    HallPolicy.objects.create(hall=hall, priority_ranks={"military": 50, "elderly": 5})
    elderly = services.issue_ticket(category=category_a, priority=Priority.ELDERLY, at=morning)
    military = services.issue_ticket(category=category_a, priority=Priority.MILITARY, at=minutes(morning, 1))
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 2)) == military
    services.finish(window=window, by=clerk)
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 3)) == elderly


def test_a_window_only_calls_the_categories_it_serves(category_a, category_b, window, clerk, morning):
    services.issue_ticket(category=category_b, at=morning)
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 1)) is None
    a = services.issue_ticket(category=category_a, at=minutes(morning, 2))
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 3)) == a


def test_calling_while_a_ticket_is_still_at_the_window_is_refused(category_a, window, clerk, morning):
    services.issue_ticket(category=category_a, at=morning)
    second = services.issue_ticket(category=category_a, at=minutes(morning, 1))
    services.call_next(window=window, by=clerk, at=minutes(morning, 2))
    with pytest.raises(services.WindowBusy) as err:
        services.call_next(window=window, by=clerk, at=minutes(morning, 3))
    assert err.value.status == 409
    second.refresh_from_db()
    assert second.state == TicketState.WAITING, "the refused call must not take the next ticket"


def test_a_paused_window_cannot_call_until_resumed(category_a, window, clerk, morning):
    services.issue_ticket(category=category_a, at=morning)
    services.pause_window(window=window, by=clerk)
    with pytest.raises(Conflict):
        services.call_next(window=window, by=clerk, at=minutes(morning, 1))
    services.resume_window(window=window, by=clerk)
    window.refresh_from_db()
    assert window.status == WindowStatus.OPEN
    assert services.call_next(window=window, by=clerk, at=minutes(morning, 2)) is not None


def test_clerks_of_another_department_and_citizens_cannot_operate_the_window(hall, category_a, morning):
    own, other = DepartmentFactory(), DepartmentFactory()
    window = WindowFactory(hall=hall, department=own, categories=[category_a])
    services.issue_ticket(category=category_a, at=morning)
    with pytest.raises(PermissionDenied):
        services.call_next(window=window, by=UserFactory(department=other), at=minutes(morning, 1))
    with pytest.raises(PermissionDenied):
        services.call_next(window=window, by=UserFactory(role=Role.CITIZEN), at=minutes(morning, 1))
    assert services.call_next(window=window, by=UserFactory(department=own), at=minutes(morning, 1)) is not None


def test_full_service_records_call_service_and_finish_times(category_a, window, clerk, morning):
    services.issue_ticket(category=category_a, at=morning)
    services.call_next(window=window, by=clerk, at=minutes(morning, 4))
    services.start_serving(window=window, by=clerk, at=minutes(morning, 5))
    done = services.finish(window=window, by=clerk, at=minutes(morning, 12))
    assert done.state == TicketState.DONE
    assert (done.finished_at - done.serving_started_at) == dt.timedelta(minutes=7)
    window.refresh_from_db()
    assert window.current_ticket is None


def test_priority_weights_must_name_known_priorities_with_whole_numbers(hall):
    from django.core.exceptions import ValidationError

    for bad in ({"vip": 5}, {"elderly": "high"}, {"elderly": True}, ["elderly"]):
        with pytest.raises(ValidationError):
            HallPolicy(hall=hall, priority_ranks=bad).clean()
    HallPolicy(hall=hall, priority_ranks={"elderly": 30}).clean()
