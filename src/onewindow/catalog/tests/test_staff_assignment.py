"""人员所属部门: the link from a person to the department they work for lives in the catalog, set by a service."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from onewindow.catalog import services
from onewindow.catalog.models import Department, StaffAssignment
from onewindow.catalog.selectors import department_code_of, department_id_of
from onewindow.core.errors import InvalidInput, PermissionDenied
from onewindow.core.models import AuditEvent, Role, User


@pytest.fixture
def people(db):
    return {
        "admin": User.objects.create(username="center-admin", role=Role.ADMIN),
        "clerk": User.objects.create(username="clerk", role=Role.CLERK),
        "citizen": User.objects.create(username="citizen", role=Role.CITIZEN),
        "sc": Department.objects.create(code="SC", name="市场监管局"),
        "ws": Department.objects.create(code="WS", name="卫生健康委"),
    }


def test_assigning_a_department_is_audited_and_read_back(people):
    clerk = people["clerk"]
    assert department_id_of(clerk) is None and department_code_of(clerk) == ""
    services.assign_department(clerk, department=people["sc"], by=people["admin"])
    assert department_id_of(clerk) == people["sc"].pk and department_code_of(clerk) == "SC"
    services.assign_department(clerk, department=people["ws"], by=people["admin"])
    assert department_code_of(User.objects.get(pk=clerk.pk)) == "WS"
    events = list(AuditEvent.objects.filter(action="user.assign_department").order_by("id"))
    assert [(e.before, e.after) for e in events] == [
        ({"department": None}, {"department": "SC"}), ({"department": "SC"}, {"department": "WS"})]


def test_clearing_the_department_makes_a_comprehensive_window_clerk(people):
    clerk = people["clerk"]
    services.assign_department(clerk, department=people["sc"], by=people["admin"])
    services.assign_department(clerk, department=None, by=people["admin"])
    assert department_id_of(clerk) is None and not StaffAssignment.objects.exists()


def test_only_an_administrator_assigns_and_only_department_roles_are_assigned(people):
    with pytest.raises(PermissionDenied):
        services.assign_department(people["clerk"], department=people["sc"], by=people["clerk"])
    with pytest.raises(InvalidInput) as caught:
        services.assign_department(people["citizen"], department=people["sc"], by=people["admin"])
    assert caught.value.fields == {"department": "role"}
    assert not StaffAssignment.objects.exists() and not AuditEvent.objects.exists()


def test_the_admin_assigns_through_the_service(people, admin_client):
    response = admin_client.post("/admin/catalog/staffassignment/add/",
                                 {"user": people["clerk"].pk, "department": people["sc"].pk})
    assert response.status_code == 302, response.content.decode()[:500]
    assert department_code_of(User.objects.get(pk=people["clerk"].pk)) == "SC"
    assert AuditEvent.objects.filter(action="user.assign_department").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_move_out_of_the_user_table_keeps_every_department():
    before = [("core", "0002_daily_sequence"), ("catalog", "0004_seed_item_types")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    department = old.get_model("catalog", "Department").objects.create(code="SC", name="市场监管局")
    old_user = old.get_model("core", "User")
    clerk = old_user.objects.create(username="sc-clerk", role="clerk", department=department)
    old_user.objects.create(username="window", role="clerk")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert department_code_of(User.objects.get(pk=clerk.pk)) == "SC"
        assert department_code_of(User.objects.get(username="window")) == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
