"""The application form (申请表) is printed from the case's answers: a PDF whose text holds every answer."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from onewindow.cases import services
from onewindow.cases.documents import NoticeKind, available_notices, render_case_notice
from onewindow.cases.models import Channel
from onewindow.cases.tests.factories import at, person
from onewindow.cases.tests.one_call import api_client
from onewindow.cases.tests.with_forms import give_form
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace(" ", "")


def test_the_application_form_pdf_holds_the_answers(world):
    give_form(world.item_a)
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   submit=True, answers=good_answers(business_type="retail", kitchen_area=None,
                                                                     opening_date="2025-10-01"))
    assert NoticeKind.APPLICATION_FORM in available_notices(case)
    pdf, filename = render_case_notice(case, NoticeKind.APPLICATION_FORM)
    text = text_of(pdf)
    assert filename.endswith("-application_form.pdf")
    for expected in ("申请表", "经营面积", "120平方米", "渝中区好味餐饮有限公司", "零售", "重庆市重庆市渝中区解放碑街道",
                     "民权路社区", "李四", "2025-10-01", "13800138000"):
        assert expected in text, expected


def test_the_pdf_downloads_through_the_api(world):
    give_form(world.item_a)
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   submit=True, answers=good_answers())
    response = api_client(world.clerk_a).get(f"/api/v1/cases/{case.number}/notices/application_form")
    assert response.status_code == 200
    assert "厨房面积" in text_of(response.content)


def test_a_case_without_answers_has_no_application_form(world):
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   submit=True)
    assert NoticeKind.APPLICATION_FORM not in available_notices(case)
