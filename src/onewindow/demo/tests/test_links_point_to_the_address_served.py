"""Served with `onewindow demo --port 8101`, the QR codes and links of guides, ticket slips and notices point to
port 8101, not to a fixed `127.0.0.1:8000`: with `PUBLIC_BASE_URL` unset a page uses the address its visitor
reached, and a document made outside a request the address the demo serves on. `PUBLIC_BASE_URL`, when set,
wins everywhere."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.test import Client
from pypdf import PdfReader

from onewindow.cases import documents
from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import case_in_state, make_world
from onewindow.catalog.tests.factories import ServiceItemFactory
from onewindow.core import links
from onewindow.hall import services as hall_services
from onewindow.hall.tests.factories import CategoryFactory, HallFactory

SERVED = links.served_address("127.0.0.1", 8101)


@pytest.fixture(autouse=True)
def served_on_8101(settings):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    links.remember_served_address(SERVED)
    yield
    links.remember_served_address(links.DEFAULT_SERVED_ADDRESS)


def _get(path: str) -> str:
    response = Client(HTTP_HOST="127.0.0.1:8101").get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_demo_computes_the_address_it_serves_on():
    assert SERVED == "http://127.0.0.1:8101"
    assert links.served_address("0.0.0.0", 8101) == "http://127.0.0.1:8101", "every address: reached on this machine"
    assert links.served_address("::1", 8101) == "http://[::1]:8101"
    assert links.public_base_url() == SERVED, "outside a request, with PUBLIC_BASE_URL unset"


@pytest.mark.django_db
def test_the_guide_qr_code_points_to_the_port_served():
    item = ServiceItemFactory()
    page = _get(f"/items/{item.implementation_code}/")
    assert f"<title>{SERVED}/items/{item.implementation_code}/</title>" in page, "the QR code's address"
    assert ":8000" not in page


@pytest.mark.django_db
def test_the_ticket_slip_qr_code_points_to_the_port_served():
    hall = HallFactory()
    ticket = hall_services.issue_ticket(category=CategoryFactory(hall=hall, prefix="A", name="社保业务"), by=None)
    page = _get(f"/hall/ticket/{ticket.code}/slip/")
    assert f"<title>{SERVED}/hall/ticket/{ticket.code}/</title>" in page
    assert ":8000" not in page


def test_a_notice_made_outside_a_request_links_to_the_port_served_and_public_base_url_wins(calendar_loaded, settings):
    case = case_in_state(make_world(), State.ACCEPTED)
    notice = documents.notice_for_case(case, "acceptance")
    assert notice.tracking_url.startswith(f"{SERVED}/track/?number={case.number}")
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn/"
    notice = documents.notice_for_case(case, "acceptance")
    assert notice.tracking_url.startswith(f"https://zwfw.example.gov.cn/track/?number={case.number}")


@pytest.mark.django_db
def test_a_page_uses_the_address_its_visitor_reached_when_public_base_url_is_unset():
    item = ServiceItemFactory()
    response = Client(HTTP_HOST="127.0.0.1:9000").get(f"/items/{item.implementation_code}/")
    assert f"<title>http://127.0.0.1:9000/items/{item.implementation_code}/</title>" in response.content.decode()


def test_a_notice_printed_from_the_case_page_links_to_the_address_the_clerk_reached(calendar_loaded):
    world = make_world()
    case = case_in_state(world, State.ACCEPTED)
    client = Client(HTTP_HOST="127.0.0.1:9000")  # not the address the demo serves on: the request's wins
    client.force_login(world.clerk_a)
    response = client.get(f"/workbench/cases/{case.number}/notice/acceptance.pdf")
    assert response.status_code == 200
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages))
    assert f"http://127.0.0.1:9000/track/?number={case.number}" in text
