"""Licences issued through the case engine: a case of department A (市场监管局, SC) approved and its licence issued
for `world.citizen`; the item's licence valid one year unless told otherwise."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import World, at, case_in_state, complete_materials
from onewindow.core.services import create_token
from onewindow.licences import tasks
from onewindow.licences.models import Licence, LicenceTerm


def term(world: World, years: int | None = 1, **kwargs) -> LicenceTerm:
    """Item A's licences are valid `years` years."""
    return LicenceTerm.objects.update_or_create(item=world.item_a, defaults={"validity_years": years, **kwargs})[0]


def issued_licence(world: World, *, day: str = "2025-09-01", number: str = "SC2025-0001", n: int = 1) -> Licence:
    """Item A approved and its licence issued on `day` (by default valid 2025-09-01 – 2026-08-31)."""
    if not LicenceTerm.objects.filter(item=world.item_a).exists():
        term(world)
    case = case_in_state(world, State.APPROVED, when=at(day), n=n)
    case_services.issue_result(case, by=world.clerk_a, licence_number=number, at=at(day, 16))
    return Licence.objects.get(case=case)


def decide_renewal(world: World, case: Case, *, day: str, approve: bool = True, number: str = "SC2026-0100") -> Case:
    """Take a submitted renewal case through acceptance to the decision (and the issued licence) on `day`."""
    when = at(day)
    complete_materials(case, by=world.clerk_a, when=when)
    case_services.accept_case(case, by=world.clerk_a, at=when)
    if approve:
        case_services.approve_case(case, by=world.leader_a, at=when)
        case_services.issue_result(case, by=world.clerk_a, licence_number=number, at=at(day, 16))
    else:
        case_services.deny_case(case, by=world.leader_a, reason="不再符合条件", legal_basis="某条例第九条", at=when)
    return case


def accepted(world: World, case: Case, *, day: str) -> Case:
    complete_materials(case, by=world.clerk_a, when=at(day))
    return case_services.accept_case(case, by=world.clerk_a, at=at(day))


def sweep(day: str, hour: int = 2) -> dict[str, int]:
    """The scheduler's job as it runs at `hour` o'clock Beijing time on `day`."""
    return tasks.sweep_licences(at=at(day, hour))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
