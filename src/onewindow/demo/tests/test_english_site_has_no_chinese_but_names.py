"""In English, every page of the site shows no Chinese but names (items, departments, people, addresses), and
those names carry lang="zh-Hans"; the API's error messages follow Accept-Language.

The walk visits each page a demo role reaches — the catalog, guides, themes, applying, my cases, tracking, the
workbench, a case page in every state of the lifecycle, intake, 一件事, the hall, licences, supervision, login
and the error pages — with the test worlds of the apps, through the Django test client with English chosen.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.bundles.tests.factories import accepted as accepted_package
from onewindow.bundles.tests.factories import make_world as make_package_world
from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import World, case_in_state
from onewindow.cases.tests.factories import make_world as make_case_world
from onewindow.catalog.models import ItemVersion
from onewindow.core.models import Role
from onewindow.core.tests.english import CHINESE, chinese_left
from onewindow.hall import services as hall_services
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, WindowFactory
from onewindow.hall.tests.factories import UserFactory as HallUserFactory

pytestmark = pytest.mark.django_db


def english(user=None) -> Client:
    """A browser that chose English with the language switch (and, to be sure, asks for English too)."""
    client = Client(headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def walk(pages: list[tuple[Client, str]], *, statuses=(200,)) -> None:
    """Open every page; fail once, naming each Chinese text outside names and the first page that shows it."""
    problems: dict[str, str] = {}
    for client, url in pages:
        response = client.get(url)
        assert response.status_code in statuses, (url, response.status_code)
        html = response.content.decode()
        assert re.search(r'<html lang="en"[ >]', html), url
        for found in chinese_left(html):
            problems.setdefault(found, url)
    assert not problems, "Chinese left on English pages:\n" + "\n".join(f"{u}  {f}" for f, u in problems.items())


@pytest.fixture
def case_world(calendar_loaded) -> World:
    return make_case_world()


def test_public_and_citizen_pages_are_english_but_names(case_world):
    world = case_world
    case = case_in_state(world, State.CORRECTION_REQUESTED)
    delivered = case_in_state(world, State.DELIVERED, n=1)
    anonymous, citizen = english(), english(world.citizen)
    item = world.item_a.implementation_code
    ItemVersion.objects.filter(pk=world.item_b.published_version_id).update(mode_online=True)
    walk([
        (anonymous, reverse("catalog:home")),
        (anonymous, reverse("catalog:home") + "?q=zzzz"),
        (anonymous, reverse("catalog:departments")),
        (anonymous, reverse("catalog:department", args=[world.dept_a.code])),
        (anonymous, reverse("catalog:themes")),
        (anonymous, reverse("catalog:item", args=[item])),
        (anonymous, reverse("core:login")),
        (anonymous, reverse("cases:track")),
        (anonymous, reverse("cases:track") + f"?number={case.number}&code={case.query_code}"),
        (citizen, reverse("cases:apply_items")),
        (citizen, reverse("cases:apply", args=[world.item_b.implementation_code])),
        (citizen, reverse("cases:my_cases")),
        (citizen, reverse("cases:my_case", args=[case.number])),
        (citizen, reverse("cases:my_case", args=[delivered.number])),
        (citizen, reverse("licences:my_licences")),
    ])


def test_a_case_page_in_every_state_is_english_but_names(case_world):
    world = case_world
    pages = []
    for n, state in enumerate(State, start=1):
        case = case_in_state(world, state, n=n)
        for user in (world.clerk_a, world.reviewer_a, world.leader_a):
            pages.append((english(user), reverse("cases:case", args=[case.number])))
    walk(pages)


def test_staff_pages_are_english_but_names(case_world):
    world = case_world
    for n, state in enumerate([State.SUBMITTED, State.IN_REVIEW, State.SUSPENDED, State.APPROVED], start=1):
        case_in_state(world, state, n=n)
    clerk, leader, supervisor = english(world.clerk_a), english(world.leader_a), english(world.supervisor)
    walk([
        (clerk, reverse("cases:workbench")),
        (english(world.reviewer_a), reverse("cases:workbench")),
        (leader, reverse("cases:workbench")),
        (clerk, reverse("cases:intake_items")),
        (clerk, reverse("cases:intake", args=[world.item_a.implementation_code])),
        (english(world.window_clerk), reverse("cases:intake_items")),
        (supervisor, reverse("cases:board")),
        (leader, reverse("cases:board")),
        (clerk, reverse("licences:register")),
        (supervisor, reverse("supervision:inbox")),
        (english(world.admin), reverse("cases:workbench")),
    ])


def test_one_thing_package_pages_are_english_but_names(calendar_loaded):
    world = make_package_world()
    package = accepted_package(world)
    citizen, window, lead = english(world.citizen), english(world.window), english(world.lead_clerk)
    theme = world.theme.code
    walk([
        (english(), reverse("catalog:themes")),
        (english(), reverse("bundles:theme", args=[theme])),
        (citizen, reverse("bundles:apply", args=[theme])),
        (window, reverse("bundles:intake", args=[theme])),
        (citizen, reverse("bundles:packages")),
        (citizen, reverse("bundles:package", args=[package.number])),
        (window, reverse("bundles:package", args=[package.number])),
        (lead, reverse("bundles:packages")),
        (english(world.supervisor), reverse("bundles:board")),
        (citizen, reverse("cases:my_cases")),
    ])


def test_hall_pages_are_english_but_names(db):
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = HallUserFactory(role=Role.CLERK)
    ticket = hall_services.issue_ticket(category=category)
    hall_services.register_found_item(by=clerk, hall=hall, description="黑色钱包", found_place="二楼等候区",
                                     found_at=timezone.now(), storage_place="服务台")
    anonymous, staff = english(), english(clerk)
    walk([
        (anonymous, reverse("hall:index")),
        (anonymous, reverse("hall:kiosk", args=[hall.code])),
        (anonymous, reverse("hall:board", args=[hall.code])),
        (anonymous, reverse("hall:lookup", args=[hall.code])),
        (anonymous, reverse("hall:book", args=[hall.code])),
        (anonymous, reverse("hall:ticket", args=[ticket.code])),
        (anonymous, reverse("hall:slip", args=[ticket.code])),
        (anonymous, reverse("hall:lost_found")),
        (anonymous, reverse("hall:cancel_booking")),
        (anonymous, reverse("hall:window_screen", args=[window.pk])),
        (staff, reverse("hall:window", args=[window.pk])),
        (staff, reverse("hall:metrics", args=[hall.code])),
        (staff, reverse("hall:found_staff")),
        (staff, reverse("hall:found_new")),
    ])


def test_error_pages_are_english(case_world):
    case = case_in_state(case_world, State.SUBMITTED)
    walk([
        (english(), reverse("cases:track") + f"?number={case.number}&code=000000"),
        (english(), "/no-such-page/"),
        (english(case_world.citizen), reverse("cases:workbench")),
        (english(case_world.clerk_a), reverse("cases:case_action", args=[case.number, "accept"])),
    ], statuses=(403, 404, 405))


def test_an_api_error_in_english_has_no_chinese_and_keeps_its_code(case_world):
    for url in ["/api/v1/items/NO-SUCH-ITEM", "/api/v1/items?department=NOPE", "/api/v1/cases/"]:
        chinese = Client().get(url).json()["error"]
        english_error = Client(headers={"accept-language": "en"}).get(url).json()["error"]
        assert english_error["code"] == chinese["code"], url
        assert not CHINESE.search(english_error["message"]), (url, english_error["message"])
        assert CHINESE.search(chinese["message"]), (url, chinese["message"])


def test_the_api_answers_in_chinese_unless_accept_language_asks_for_english(case_world):
    url = "/api/v1/items/NO-SUCH-ITEM"
    for header, chinese in [("", True), ("zh-CN,zh;q=0.9", True), ("en-GB,en;q=0.8", False)]:
        client = Client(headers={"accept-language": header}) if header else Client()
        answer = client.get(url)
        message = answer.json()["error"]["message"]
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
        assert bool(CHINESE.search(message)) == chinese, (header, message)
        assert answer["Content-Language"] == ("zh-hans" if chinese else "en")

