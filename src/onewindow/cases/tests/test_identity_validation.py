"""Applicants: identity numbers (GB 11643) and credit codes (GB 32100) are checked; a bad one is refused
with a clear 422 and creates nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import credit_code, identity_number
from onewindow.core.errors import InvalidCreditCode, InvalidIdentityNumber, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.core.services import create_token


def _create(world, applicant, agent=None):
    return services.create_case(by=world.clerk_a, item=world.item_a, applicant=applicant, channel="window",
                                agent=agent)


@pytest.mark.parametrize("number", [
    identity_number(1)[:-1] + ("0" if identity_number(1)[-1] != "0" else "1"),  # wrong check digit
    "50010319850230001X",  # 30 February
    "5001031985061200",  # too short
    "",
])
def test_a_person_with_an_invalid_identity_number_is_refused(world, number):
    with pytest.raises(InvalidIdentityNumber):
        _create(world, services.Applicant(kind="person", name="张三", id_number=number, mobile="13800138000"))
    assert not Case.objects.exists()


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100YI3", "9135010"])
def test_a_legal_person_with_an_invalid_credit_code_is_refused(world, code):
    with pytest.raises(InvalidCreditCode):
        _create(world, services.Applicant(kind="organization", name="某公司", id_number=code,
                                          legal_representative="王五"))


def test_a_legal_person_needs_a_legal_representative(world):
    with pytest.raises(InvalidInput):
        _create(world, services.Applicant(kind="organization", name="某公司", id_number=credit_code(1)))
    case, _ = _create(world, services.Applicant(kind="organization", name="某公司", id_number=credit_code(1),
                                                legal_representative="王五"))
    assert case.legal_representative == "王五"


def test_a_lower_case_x_is_normalised(world):
    number = next(identity_number(n) for n in range(1, 500) if identity_number(n).endswith("X"))
    case, _ = _create(world, services.Applicant(kind="person", name="张三", id_number=number.lower(),
                                                mobile="13800138000"))
    assert case.applicant_id_number == number


def test_an_agent_is_recorded_and_checked(world):
    with pytest.raises(InvalidIdentityNumber):
        _create(world, services.Applicant(kind="person", name="张三", id_number=identity_number(1),
                                          mobile="13800138000"),
                agent=services.Agent(name="代办员", id_number="123"))
    case, _ = _create(world, services.Applicant(kind="person", name="张三", id_number=identity_number(1),
                                                mobile="13800138000"),
                      agent=services.Agent(name="代办员", id_number=identity_number(7), center=True))
    assert (case.agent_name, case.agent_is_center) == ("代办员", True)
    event = AuditEvent.objects.get(action="case.create")
    assert identity_number(1) not in str(event.after), "the audit chain keeps only the masked number"


def test_the_api_answers_422_with_the_field_for_a_bad_identity_number(world):
    _, token = create_token(world.clerk_a)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/cases", content_type="application/json",
        data={"item_id": world.item_a.pk, "channel": "window",
              "applicant": {"kind": "person", "name": "张三", "id_number": "110105194912310021",
                            "mobile": "13800138000"}},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_identity_number"
    assert "校验码" in response.json()["error"]["message"]
    assert not Case.objects.exists()
