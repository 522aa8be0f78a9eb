"""Results to hand off: a case of department A (市场监管局, SC) decided and issued through the case engine."""

from __future__ import annotations

from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import World, at, case_in_state
from onewindow.catalog.models import Department, ItemVersion


def supervised_by(world: World, department: Department) -> None:
    """The item of department A names `department` as its supervising department (监管部门)."""
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(supervising_department=department)


def issued(world: World, *, approve: bool = True, n: int = 1) -> Case:
    """A case of department A, approved (or denied) and its result issued, on 2025-09-01."""
    case = case_in_state(world, State.APPROVED if approve else State.DENIED, n=n)
    if not approve:
        return case_services.issue_denial(case, by=world.clerk_a, at=at("2025-09-01", 16))
    return case_services.issue_result(case, by=world.clerk_a, licence_number=f"SC2025-{n:04d}",
                                      at=at("2025-09-01", 16))
