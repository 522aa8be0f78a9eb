"""The hall offers a window's console only to those the window acts let operate it, and a console nobody offered
answers the styled 403 page: for each role, what /hall/ lists is what opens and what the acts accept."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from onewindow.core.errors import DomainError
from onewindow.core.models import AuditEvent, Role
from onewindow.hall import services
from onewindow.hall.models import Window, WindowStatus
from onewindow.hall.tests.factories import DepartmentFactory, UserFactory, WindowFactory

pytestmark = pytest.mark.django_db

# role → (the role, works for department A?, the windows they operate)
PEOPLE = {
    "a clerk of department A": (Role.CLERK, True, {"A 1"}),
    "a comprehensive window clerk": (Role.CLERK, False, {"综合 3"}),
    "a center supervisor": (Role.SUPERVISOR, False, {"A 1", "B 2", "综合 3"}),
    "a center admin": (Role.ADMIN, False, {"A 1", "B 2", "综合 3"}),
    "a leader of department A": (Role.LEADER, True, set()),
    "a reviewer of department A": (Role.REVIEWER, True, set()),
    "a citizen": (Role.CITIZEN, False, set()),
}


@pytest.fixture
def windows(hall) -> dict[str, Window]:
    """Window 1 of department A, window 2 of department B, window 3 a comprehensive one (no department)."""
    a, b = DepartmentFactory(name="市场监管局"), DepartmentFactory(name="卫生健康委")
    return {"A 1": WindowFactory(hall=hall, number="1", department=a),
            "B 2": WindowFactory(hall=hall, number="2", department=b),
            "综合 3": WindowFactory(hall=hall, number="3", department=None)}


def signed_in(role: str, department) -> tuple[Client, object]:
    user = UserFactory(role=role, department=department)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, user


def consoles_listed(client: Client, windows: dict[str, Window]) -> set[str]:
    page = client.get("/hall/").content.decode()
    hrefs = set(re.findall(r'href="(/hall/window/\d+/)">操作台</a>', page))
    return {name for name, window in windows.items() if f"/hall/window/{window.pk}/" in hrefs}


def accepted_by_the_acts(user, windows: dict[str, Window]) -> set[str]:
    accepted = set()
    for name, window in windows.items():
        try:
            services.pause_window(window=window, by=user)
        except DomainError:
            continue
        accepted.add(name)
    return accepted


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_the_hall_lists_exactly_the_consoles_that_open_and_whose_acts_are_accepted(who, windows):
    role, in_department_a, operated = PEOPLE[who]
    client, user = signed_in(role, windows["A 1"].department if in_department_a else None)

    listed = consoles_listed(client, windows)
    opening = {name for name, window in windows.items() if client.get(f"/hall/window/{window.pk}/").status_code == 200}

    assert listed == operated, f"{who}: /hall/ lists the consoles {listed}"
    assert opening == operated, f"{who}: the consoles that open are {opening}"
    assert accepted_by_the_acts(user, windows) == operated, f"{who}: the window acts accept the same windows"


@pytest.mark.parametrize("who", ["a clerk of department A", "a comprehensive window clerk"])
def test_another_departments_console_is_the_styled_403_page_naming_the_window_and_offers_no_button(who, windows):
    role, in_department_a, _ = PEOPLE[who]
    client, _ = signed_in(role, windows["A 1"].department if in_department_a else None)

    response = client.get(f"/hall/window/{windows['B 2'].pk}/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "无权使用此页面" in page and "2号窗口属于其他部门，您不能操作" in page
    for button in ("办结", "暂停", "转移", "叫下一位"):
        assert f">{button}</button>" not in page, button


def test_a_refused_console_post_changes_nothing(windows):
    client, _ = signed_in(Role.CLERK, None)
    window = windows["A 1"]
    before = AuditEvent.objects.count()

    response = client.post(f"/hall/window/{window.pk}/", {"action": "pause"})

    assert response.status_code == 403 and "1号窗口属于其他部门，您不能操作" in response.content.decode()
    window.refresh_from_db()
    assert window.status == WindowStatus.OPEN and AuditEvent.objects.count() == before


def test_a_person_with_no_window_of_their_own_is_told_so_on_the_hall_page(hall):
    WindowFactory(hall=hall, number="1", department=DepartmentFactory())
    client, _ = signed_in(Role.CLERK, DepartmentFactory())

    page = client.get("/hall/").content.decode()

    assert "操作台" not in page
    assert "没有您可以操作的窗口" in page


def test_a_stranger_sees_no_console_and_is_sent_to_log_in_from_one(windows):
    client = Client()

    assert "操作台" not in client.get("/hall/").content.decode()
    response = client.get(f"/hall/window/{windows['综合 3'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
