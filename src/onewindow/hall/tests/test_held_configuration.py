"""The hall's configuration and a token's account are held per process (issue 16), yet every change of them counts
from the next request: a category retired, a clerk moved to another department, a hall's rules changed."""

import pytest
from django.test import Client

from onewindow.catalog.models import StaffAssignment
from onewindow.core.models import Role
from onewindow.core.services import create_token
from onewindow.hall import selectors, services
from onewindow.hall.models import HallPolicy, Ticket
from onewindow.hall.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    HallFactory,
    UserFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_retired_category_issues_no_ticket_from_the_next_request():
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A")
    _, token = create_token(UserFactory(role=Role.CLERK))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/halls/{hall.code}/tickets"
    assert api.post(url, {"category": "A"}, content_type="application/json").status_code == 201
    category.active = False
    category.save()
    refused = api.post(url, {"category": "A"}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "category_inactive"
    assert Ticket.objects.count() == 1


def test_a_clerk_moved_to_another_department_no_longer_operates_the_old_window():
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A")
    social, land = DepartmentFactory(), DepartmentFactory()
    window = WindowFactory(hall=hall, categories=[category], department=social)
    clerk = UserFactory(role=Role.CLERK, department=social)
    _, token = create_token(clerk)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    services.issue_ticket(category=category)
    services.issue_ticket(category=category)
    assert api.post(f"/api/v1/windows/{window.pk}/call-next").status_code == 200
    assert api.post(f"/api/v1/windows/{window.pk}/finish").status_code == 200
    assignment = StaffAssignment.objects.get(user=clerk)
    assignment.department = land
    assignment.save()
    assert api.post(f"/api/v1/windows/{window.pk}/call-next").status_code == 403
    assert Ticket.objects.filter(state="waiting").count() == 1


def test_a_change_of_the_halls_rules_counts_at_once():
    hall = HallFactory()
    assert selectors.policy_for(hall.pk).max_recalls == 3
    HallPolicy.objects.create(hall=hall, max_recalls=1)
    assert selectors.policy_for(hall.pk).max_recalls == 1
    policy = HallPolicy.objects.get(hall=hall)
    policy.max_recalls = 2
    policy.save()
    assert selectors.policy_for(hall.pk).max_recalls == 2
    held = selectors.policy_for(hall.pk)
    held.max_recalls = 9  # a caller's change of its copy is its own
    assert selectors.policy_for(hall.pk).max_recalls == 2
