"""An applicant's identity number, credit code and mobile typed in full width, with spaces or zero-width
characters, are stored in their one canonical ASCII form — by the window's page, the API and the services alike;
the public tracking query takes its number and code as typed (issue 10 §2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import case_in_state, credit_code, identity_number
from onewindow.cases.tests.test_pages import intake_post
from onewindow.core.errors import InvalidInput
from onewindow.core.services import create_token
from onewindow.core.tests.typed import full_width, with_invisibles

pytestmark = pytest.mark.django_db


def _person(**fields):
    return services.Applicant(**{"kind": "person", "name": "张三", "id_number": identity_number(1),
                                 "mobile": "13800138000", **fields})


def _create(world, applicant, agent=None):
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=applicant, channel="window",
                                   agent=agent)
    return case


def test_a_full_width_identity_number_and_mobile_are_stored_as_ascii(world):
    case = _create(world, _person(id_number=full_width(identity_number(1)), mobile="13" + full_width("800138000")),
                   agent=services.Agent(name="代办员", id_number=with_invisibles(identity_number(7)),
                                        mobile=full_width("13900139000")))
    case.refresh_from_db()
    assert (case.applicant_id_number, case.applicant_mobile) == (identity_number(1), "13800138000")
    assert (case.agent_id_number, case.agent_mobile) == (identity_number(7), "13900139000")


def test_a_full_width_mobile_one_digit_short_is_refused_and_creates_nothing(world):
    with pytest.raises(InvalidInput) as err:
        _create(world, _person(mobile="13" + full_width("80013800")))
    assert err.value.fields == {"applicant.mobile": "format"}
    assert not Case.objects.exists()


def test_a_credit_code_in_lower_case_and_full_width_is_stored_canonical(world):
    case = _create(world, services.Applicant(kind="organization", name="某公司", legal_representative="王五",
                                             id_number=full_width(credit_code(3).lower()),
                                             mobile=with_invisibles("13800138000")))
    case.refresh_from_db()
    assert (case.applicant_id_number, case.applicant_mobile) == (credit_code(3), "13800138000")


def test_the_api_stores_a_full_width_applicant_as_ascii(world):
    _, token = create_token(world.clerk_a)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/cases", content_type="application/json",
        data={"item_id": world.item_a.pk, "channel": "window",
              "applicant": {"kind": "person", "name": "张三", "id_number": with_invisibles(full_width(identity_number(2))),
                            "mobile": "13" + full_width("800138000")}},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.applicant_id_number, case.applicant_mobile) == (identity_number(2), "13800138000")


def test_the_intake_page_takes_a_number_typed_in_full_width_with_spaces(client, world):
    client.force_login(world.clerk_a)
    spaced = " ".join(full_width(identity_number(7))[i:i + 6] for i in range(0, 18, 6))  # 20 characters
    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]),
                           intake_post(world, applicant_id_number=spaced, applicant_mobile="13" + full_width("900139000")))
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.applicant_id_number, case.applicant_mobile) == (identity_number(7), "13900139000")


def test_the_intake_page_refuses_a_full_width_mobile_one_digit_short(client, world):
    client.force_login(world.clerk_a)
    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]),
                           intake_post(world, applicant_mobile="13" + full_width("90013900")))
    assert response.status_code == 422
    assert "手机号码应为11位，以1开头" in response.content.decode()
    assert not Case.objects.exists()


def test_tracking_takes_the_number_and_code_as_typed_in_full_width(client, world):
    case = case_in_state(world, State.ACCEPTED)
    page = client.get(reverse("cases:track"), {"number": full_width(case.number),
                                               "code": with_invisibles(full_width(case.query_code.lower()))})
    assert page.status_code == 200 and case.state_label in page.content.decode()
    api = client.get(f"/api/v1/track/{full_width(case.number)}", {"code": full_width(case.query_code.lower())})
    assert api.status_code == 200, api.content
    assert api.json()["number"] == case.number
