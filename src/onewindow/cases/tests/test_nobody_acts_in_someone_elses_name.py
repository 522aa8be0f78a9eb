"""Reuse (材料复用) and data sharing (数据共享) only in one's own name: the applicant's 实名 account, an agent whose
授权委托 is recorded on the case, or the window's staff — never someone who opened a case in another's number."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases import services
from onewindow.cases.models import Authorization, CaseMaterial
from onewindow.cases.tests.factories import UserFactory, at, case_in_state, identity_number, person
from onewindow.core.errors import InvalidInput, NotTheHolder, PermissionDenied
from onewindow.core.models import AuditEvent, Role
from onewindow.core.services import create_token


def _case_of(world, by, n=1):
    """`by` opens an online case in the identity number of person n (citizen is person 1, citizen2 person 2)."""
    case, _ = services.create_case(by=by, item=world.item_a, applicant=person(n), channel="online",
                                   at=at("2025-09-03"))
    return case


@pytest.fixture
def a_material(world):
    """Person A's (world.citizen's) verified 申请书 from an earlier accepted case."""
    earlier = case_in_state(world, "accepted", n=1)
    material = earlier.materials.get(name="申请书")
    assert material.verified
    return material


def test_citizen_b_cannot_reuse_a_material_of_a_by_opening_a_case_in_as_number(world, a_material):
    case = _case_of(world, world.citizen2, n=1)
    version, audit, rows = case.version, AuditEvent.objects.count(), CaseMaterial.objects.count()
    with pytest.raises(NotTheHolder) as refused:
        services.reuse_material(case, by=world.citizen2, source_id=a_material.pk)
    assert refused.value.status == 403 and refused.value.code == "not_the_holder"
    assert "申请人本人" in refused.value.message and "授权委托" in refused.value.message
    case.refresh_from_db()
    assert (case.version, AuditEvent.objects.count(), CaseMaterial.objects.count()) == (version, audit, rows)


def test_over_the_api_the_refusal_is_a_403_naming_the_rule_and_nothing_changes(world, a_material):
    case = _case_of(world, world.citizen2, n=1)
    _, token = create_token(world.citizen2)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for guess in (a_material.pk, a_material.pk + 1, a_material.pk - 1, 999999):
        response = api.post(f"/api/v1/cases/{case.number}/materials/reuse", {"source_id": guess},
                            content_type="application/json")
        assert response.status_code in (403, 422), response.content
        assert response.status_code != 201
    response = api.post(f"/api/v1/cases/{case.number}/materials/reuse", {"source_id": a_material.pk},
                        content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_the_holder"
    assert not case.materials.exists()


def test_citizen_b_cannot_fetch_as_government_issued_material_by_data_sharing(world):
    case = _case_of(world, world.citizen2, n=1)
    shared = case.item_version.materials.get(name="户籍证明")
    with pytest.raises(NotTheHolder):
        services.fetch_shared_material(case, by=world.citizen2, material_id=shared.pk)
    assert not case.materials.exists()


def test_a_reuses_and_fetches_in_her_own_name(world, a_material):
    case = _case_of(world, world.citizen, n=1)
    row = services.reuse_material(case, by=world.citizen, source_id=a_material.pk)
    assert (row.provision, row.reused_from) == ("reused", a_material)
    shared = case.item_version.materials.get(name="户籍证明")
    assert services.fetch_shared_material(case, by=world.citizen, material_id=shared.pk).provision == "shared"


def test_an_agent_with_an_authorization_recorded_at_the_window_reuses_as_material(world, a_material):
    agent = UserFactory(username="agent", role=Role.CITIZEN, identity_number=identity_number(7))
    case = _case_of(world, agent, n=1)  # the agent applies online for A
    with pytest.raises(NotTheHolder):
        services.reuse_material(case, by=agent, source_id=a_material.pk)
    authorization = services.record_authorization(case, by=world.clerk_a, agent=agent)
    assert (authorization.principal_id_number, authorization.scope) == (identity_number(1), "materials")
    row = services.reuse_material(case, by=agent, source_id=a_material.pk)
    assert (row.provision, row.reused_from) == ("reused", a_material)
    assert AuditEvent.objects.filter(action="case.record_authorization").exists()


def test_the_clerk_records_the_authorization_over_the_api_and_only_staff_may(world, a_material):
    agent = UserFactory(username="agent", role=Role.CITIZEN, identity_number=identity_number(7))
    UserFactory(username="nobody", role=Role.CITIZEN)  # an account without 实名
    case = _case_of(world, agent, n=1)
    _, clerk_token = create_token(world.clerk_a)
    clerk = Client(HTTP_AUTHORIZATION=f"Bearer {clerk_token}")
    url = f"/api/v1/cases/{case.number}/authorizations"
    refused = clerk.post(url, {"agent": "nobody"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"agent": "not_verified"}
    assert clerk.post(url, {"agent": "ghost"}, content_type="application/json").status_code == 422
    recorded = clerk.post(url, {"agent": "agent"}, content_type="application/json")
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["principal"] == "5001**********" + identity_number(1)[-4:]
    with pytest.raises(PermissionDenied):
        services.record_authorization(case, by=agent, agent=agent)  # nobody authorizes themselves
    assert Authorization.objects.count() == 1
    case.refresh_from_db()
    row = services.reuse_material(case, by=agent, source_id=a_material.pk)
    assert row.reused_from == a_material


def test_an_agent_other_than_the_one_named_on_the_case_cannot_be_authorized(world):
    stranger = UserFactory(username="stranger", role=Role.CITIZEN, identity_number=identity_number(8))
    case, _ = services.create_case(
        by=world.clerk_a, item=world.item_a, applicant=person(1), channel="window", at=at("2025-09-03"),
        agent=services.Agent(name="王五", id_number=identity_number(7), mobile="13900000007"))
    with pytest.raises(InvalidInput) as refused:
        services.record_authorization(case, by=world.clerk_a, agent=stranger)
    assert refused.value.fields == {"agent": "not_the_agent"}
    assert not Authorization.objects.exists()
