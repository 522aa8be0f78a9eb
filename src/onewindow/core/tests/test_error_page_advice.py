"""Each error page's advice matches its cause and links to what it advises, its main button first; the page
keeps the header of the section it belongs to; an unknown action is 404 whatever the method."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.conf import settings
from django.test import Client

from onewindow.core.models import Role, User

ERROR_URLS = "onewindow.core.tests.error_urls"
CASE = "/workbench/cases/2025-000001/"
APPROVE = CASE + "approve/"
REFERER = "http://testserver" + CASE

# What an advice says to do → the label of the link that does it (Chinese, English).
PROMISES = {
    "zh": {"返回上一页": "返回上一页", "用该账号登录": "换一个账号登录", "请先登录": "登录",
           "打开表单所在的页面": "打开表单所在的页面", "首页": "返回首页"},
    "en": {"previous page": "Previous page", "log in with it": "Log in with another account", "Log in first": "Log in",
           "page that holds the form": "Open the page with the form", "home page": "Home page"},
}


def person(role: str) -> User:
    return User.objects.create_user(role, password="pass-word-123", role=role)


def browser(user: User | None = None, *, language: str = "zh", csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def read(response) -> dict:
    """What a visitor reads on an error page: the advice, the buttons in order, the header's links."""
    page = response.content.decode()
    section = re.search(r'<section class="card narrow error-page".*?</section>', page, re.S).group(0)
    advice = re.search(r"</h2>\s*<p>(.*?)</p>", section, re.S).group(1)
    buttons = re.findall(r'<a class="button(?: primary)?" href="([^"]*)">([^<]*)</a>', section)
    primary = re.search(r'<a class="button primary" href="([^"]*)">([^<]*)</a>', section)
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    return {"advice": htmllib.unescape(advice.strip()), "buttons": [(htmllib.unescape(u), t) for u, t in buttons],
            "primary": (htmllib.unescape(primary.group(1)), primary.group(2)), "nav": nav, "html": page}


def promised(advice: str, language: str) -> list[str]:
    """The link labels the advice promises, in the order it says them."""
    found = [(advice.find(phrase), label) for phrase, label in PROMISES[language].items() if phrase in advice]
    return [label for _, label in sorted(found)]


def assert_advice_is_kept(page: dict, language: str) -> None:
    labels = [label for _, label in page["buttons"]]
    wanted = promised(page["advice"], language)
    for label in wanted:
        assert label in labels, f"the advice “{page['advice']}” promises “{label}”, the buttons are {labels}"
    if wanted:
        assert page["primary"][1] == wanted[0], f"the main button is what “{page['advice']}” says first"


# -- a stale form (CSRF) ------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_stale_form_on_the_workbench_says_to_go_back_and_reload_with_that_button_first_and_keeps_the_header(
        language):
    client = browser(person(Role.CLERK), language=language, csrf=True)

    response = client.post(APPROVE, {"reason": "同意"}, HTTP_REFERER=REFERER)

    assert response.status_code == 403
    page = read(response)
    assert page["advice"] == {"zh": "请返回上一页，刷新后重新提交。",
                              "en": "Go back to the previous page, reload it and send the form again."}[language]
    assert page["primary"] == (REFERER, {"zh": "返回上一页", "en": "Previous page"}[language])
    assert_advice_is_kept(page, language)
    for wrong in ("换一个账号登录", "Log in with another account", "其他账号", "another account"):
        assert wrong not in page["html"], "a stale form is not a matter of the account"
    for link, label in (("/workbench/intake/", {"zh": "窗口收件", "en": "Window intake"}),
                        ("/track/", {"zh": "办件查询", "en": "Case tracking"})):
        assert f'href="{link}">{label[language]}</a>' in page["nav"], "the workbench's header is kept"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_stale_form_without_a_known_previous_page_sends_to_the_home_page_and_promises_no_way_back(language):
    response = browser(person(Role.CLERK), language=language, csrf=True).post(APPROVE, {"reason": "同意"})

    assert response.status_code == 403
    page = read(response)
    assert page["advice"] == {
        "zh": "请从首页重新进入填写表单的页面，刷新后重新提交。",
        "en": "Open the form's page again from the home page, reload it and send the form again."}[language]
    assert page["buttons"] == [("/", {"zh": "返回首页", "en": "Home page"}[language])]


@pytest.mark.django_db
def test_a_stale_login_form_asks_to_reload_not_to_log_in_first():
    response = browser(csrf=True).post("/accounts/login/", {"username": "someone", "password": "x"},
                                       HTTP_REFERER="http://testserver/accounts/login/")

    assert response.status_code == 403
    page = read(response)
    assert page["advice"] == "请返回上一页，刷新后重新提交。"
    assert page["primary"] == ("http://testserver/accounts/login/", "返回上一页")
    assert "登录后将回到此页面" not in page["html"]


# -- every cause, with and without a page to go back to ---------------------------------------------------------
def _citizen_on_the_workbench(language, referer):
    return browser(person(Role.CITIZEN), language=language).get("/workbench/", **referer)


def _get_on_an_action(language, referer):
    return browser(person(Role.CLERK), language=language).get(APPROVE, **referer)


def _conflict(language, referer):
    return browser(language=language).get("/test/conflict/", **referer)


def _not_found(language, referer):
    return browser(language=language).get("/items/NO-SUCH-ITEM/", **referer)


def _stale_form(language, referer):
    return browser(person(Role.CLERK), language=language, csrf=True).post(APPROVE, {}, **referer)


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("came_from", ["a page of ours", "nowhere known"])
@pytest.mark.parametrize("trigger", [_citizen_on_the_workbench, _get_on_an_action, _conflict, _not_found,
                                     _stale_form])
def test_every_error_page_links_to_what_its_advice_says_with_that_button_first(trigger, came_from, language):
    referer = {"HTTP_REFERER": REFERER} if came_from == "a page of ours" else {}

    page = read(trigger(language, referer))

    assert_advice_is_kept(page, language)
    if not referer:
        assert "返回上一页" not in page["advice"] and "previous page" not in page["advice"], page["advice"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_get_on_an_action_from_the_case_page_offers_to_go_back_to_it_first(language):
    response = browser(person(Role.CLERK), language=language).get(APPROVE, HTTP_REFERER=REFERER)

    assert response.status_code == 405 and response["Allow"] == "POST"
    page = read(response)
    assert page["advice"] == {"zh": "请返回上一页，使用页面上的按钮操作。",
                              "en": "Go back to the previous page and use the buttons on it."}[language]
    assert page["primary"] == (REFERER, {"zh": "返回上一页", "en": "Previous page"}[language])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_get_on_an_action_opened_from_nowhere_offers_the_case_page_that_holds_its_form(language):
    response = browser(person(Role.CLERK), language=language).get(APPROVE)

    assert response.status_code == 405
    page = read(response)
    assert page["advice"] == {"zh": "请打开表单所在的页面，使用页面上的按钮操作。",
                              "en": "Open the page that holds the form and use the buttons on it."}[language]
    assert page["primary"] == (CASE, {"zh": "打开表单所在的页面", "en": "Open the page with the form"}[language])


# -- an unknown action ------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_action_is_the_404_page_whatever_the_method(method, language):
    response = getattr(browser(person(Role.CLERK), language=language), method)(CASE + "frobnicate/")

    assert response.status_code == 404
    assert "Allow" not in response, "no method would make an unknown action work"
    page = read(response)
    assert re.search(r"<h1[^>]*>(.*?)</h1>", page["html"]).group(1) == {"zh": "页面不存在",
                                                                      "en": "Page not found"}[language]
    assert 'href="/track/"' in page["nav"], "the workbench's header is kept"


# -- the section's header -----------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_error_page_keeps_the_sites_one_header_with_the_persons_own_links(language):
    clerk = browser(person(Role.CLERK), language=language)
    hall_link = {"zh": "服务大厅", "en": "Service hall"}[language]
    intake_link = {"zh": "窗口收件", "en": "Window intake"}[language]

    unknown_case = read(clerk.get("/workbench/cases/2025-999999/"))
    unknown_hall = read(clerk.get("/hall/NOPE/board/"))
    unknown_address = read(clerk.get("/no-such-page/"))

    for page in (unknown_case, unknown_hall, unknown_address):
        assert intake_link in page["nav"], "a clerk keeps the way to the window intake on every error page"
        assert f'href="/hall/">{hall_link}</a>' in page["nav"], "and the way to the hall"
    assert 'href="/workbench/"' in unknown_address["nav"], "the site's own header, as on every page"
