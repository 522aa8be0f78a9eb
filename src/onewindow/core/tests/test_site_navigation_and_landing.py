"""The site header leads everywhere a person goes — 网上申报, 我的办件, 办件查询, the hall and appointments — as
fits who they are, the same on every page, and folds into a menu on a phone without script. After signing in,
each person lands on their own workbench unless a safe `next` says otherwise."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from onewindow.core.models import Role, User

pytestmark = pytest.mark.django_db


def _user(role: str) -> User:
    return User.objects.create_user(f"u-{role}", password="口令-123456", role=role)


def _nav(client: Client, path: str = "/track/") -> list[str]:
    page = client.get(path).content.decode()
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, f"no site navigation on {path}"
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_a_visitor_is_led_to_apply_online_track_a_case_the_hall_and_appointments():
    links = _nav(Client())
    for href in ("/apply/", "/track/", "/hall/", "/hall/appointments/"):
        assert href in links, f"{href} missing from the header"
    assert "/my/cases/" not in links and "/workbench/" not in links


def test_a_citizen_also_finds_my_cases_and_a_clerk_the_workbench_and_not_the_citizens_pages():
    citizen, clerk = Client(), Client()
    citizen.force_login(_user(Role.CITIZEN))
    clerk.force_login(_user(Role.CLERK))
    citizen_links, clerk_links = _nav(citizen), _nav(clerk)
    assert {"/my/cases/", "/apply/", "/track/", "/hall/", "/hall/appointments/"} <= set(citizen_links)
    assert "/workbench/" not in citizen_links
    assert {"/workbench/", "/track/", "/hall/"} <= set(clerk_links)
    assert "/apply/" not in clerk_links and "/my/cases/" not in clerk_links


def test_the_header_is_the_same_on_the_catalog_the_cases_and_the_hall_pages_without_repeats():
    client = Client()
    client.force_login(_user(Role.CITIZEN))
    headers = {path: _nav(client, path) for path in ("/track/", "/hall/", "/themes/")}
    for path, links in headers.items():
        assert len(links) == len(set(links)), f"a link repeats in the header of {path}: {links}"
        assert {"/my/cases/", "/track/", "/hall/"} <= set(links), path


def test_on_a_phone_the_navigation_folds_into_a_menu_opened_without_script():
    page = Client().get("/track/").content.decode()
    header = page[page.index('<header class="site-header"'):page.index("</header>")]
    assert re.search(r'<input type="checkbox" id="site-menu"[^>]*>\s*<label for="site-menu"', header)
    assert "<script" not in header


@pytest.mark.parametrize(("role", "landing"), [
    (Role.CITIZEN, "/my/cases/"), (Role.CLERK, "/workbench/"), (Role.REVIEWER, "/workbench/"),
    (Role.LEADER, "/workbench/"), (Role.SUPERVISOR, "/workbench/board/"), (Role.ADMIN, "/workbench/board/"),
])
def test_each_person_lands_on_their_workbench_after_signing_in(role, landing, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _user(role)
    response = Client().post("/accounts/login/", {"username": f"u-{role}", "password": "口令-123456"})
    assert response.status_code == 302 and response["Location"] == landing


def test_a_safe_next_is_followed_and_an_outside_one_is_not(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _user(Role.CLERK)
    login = {"username": "u-clerk", "password": "口令-123456"}
    assert Client().post("/accounts/login/", {**login, "next": "/hall/"})["Location"] == "/hall/"
    assert Client().post("/accounts/login/", {**login, "next": "https://evil.example/"})["Location"] == "/workbench/"
