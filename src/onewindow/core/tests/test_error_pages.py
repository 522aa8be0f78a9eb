"""The page edge: styled error pages in Chinese and English, one status per domain error, JSON under /api/v1/."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from onewindow.core.models import Role, User

HAN = re.compile(r"[\u3400-\u9fff]")
# Proper names may stay Chinese on an English page: the center's name and the language switch's "中文".
PROPER_NAMES = [settings.CENTER_NAME, "中文"]
ERROR_URLS = "onewindow.core.tests.error_urls"

# status → (Chinese h1, English h1)
TITLES = {
    400: ("请求无法处理", "The request could not be handled"),
    403: ("无权使用此页面", "You may not use this page"),
    404: ("页面不存在", "Page not found"),
    405: ("不能这样打开此地址", "This address cannot be opened this way"),
    500: ("系统出错了", "Something went wrong on our side"),
}


def person(role: str, username: str | None = None) -> User:
    return User.objects.create_user(username or role, password="pass-word-123", role=role)


def browser(user: User | None = None, *, english: bool = False) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def h1_of(html: str) -> str:
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert len(headings) == 1, f"one h1 per page, found {headings}"
    return headings[0].strip()


def han_outside_proper_names(html: str) -> list[str]:
    for name in PROPER_NAMES:
        html = html.replace(name, "")
    return HAN.findall(html)


def trigger(status: int, *, english: bool):
    """Reach each error the way a visitor does."""
    if status == 400:
        return browser(english=english).get("/", HTTP_HOST="not-our-host.example")
    if status == 403:
        return browser(person(Role.CITIZEN), english=english).get("/workbench/")
    if status == 404:
        return browser(english=english).get("/items/NO-SUCH-ITEM/")
    if status == 405:
        return browser(person(Role.CLERK), english=english).get("/workbench/cases/2025-000001/approve/")
    return browser(english=english).get("/test/crash/")


# -- each page, in each language -----------------------------------------------------------------------------
# language → what its pages say: html lang, the status line, the "next" heading, the link home
LANGUAGES = {
    "zh-hans": ('<html lang="zh-hans">', "错误代码 {}", "接下来可以", 'href="/">返回首页</a>'),
    "en": ('<html lang="en">', "Error {}", "What you can do next", 'href="/">Home page</a>'),
}


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("status", sorted(TITLES))
def test_each_error_page_is_in_the_sites_layout_in_the_visitors_language_with_a_way_back(status, language):
    english = language == "en"
    response = trigger(status, english=english)

    assert response.status_code == status
    html = response.content.decode()
    lang, status_line, next_heading, home_link = LANGUAGES[language]
    assert lang in html
    assert h1_of(html) == TITLES[status][english]
    assert status_line.format(status) in html
    assert next_heading in html, "the page says what to do next"
    assert home_link in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html, landmark
    assert 'name="viewport"' in html, "laid out for a phone"
    if english:
        assert han_outside_proper_names(html) == [], "an English error page has no Chinese left but proper names"


@pytest.mark.django_db
def test_a_domain_message_without_an_english_translation_gives_way_to_the_pages_own_explanation():
    zh = browser().get("/items/NO-SUCH-ITEM/").content.decode()
    en = browser(english=True).get("/items/NO-SUCH-ITEM/").content.decode()

    assert "NO-SUCH-ITEM" in zh and "不存在" in zh, "in Chinese the service's own message is shown"
    assert "does not exist, or is not among those you may see" in en


# -- 403 ------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_citizen_on_the_workbench_gets_the_styled_403_offering_to_log_in_with_another_account():
    response = browser(person(Role.CITIZEN)).get("/workbench/")

    assert response.status_code == 403
    html = response.content.decode()
    assert h1_of(html) == "无权使用此页面"
    assert "此页面仅对中心和部门工作人员开放" in html, "the page says who the page is for"
    assert 'href="/accounts/login/?next=%2Fworkbench%2F">换一个账号登录</a>' in html


@pytest.mark.django_db
def test_a_stranger_is_sent_to_log_in_rather_than_refused():
    response = browser().get("/workbench/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workbench/"


@pytest.mark.django_db
def test_a_stale_form_is_refused_with_the_styled_403_saying_to_reload():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "someone", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert h1_of(html) == "无权使用此页面"
    assert "页面已过期或来自其他网站，表单没有提交" in html


# -- one rule for every app -----------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("board", ["/workbench/board/", "/bundles/board/"])
def test_the_same_refusal_is_403_on_the_case_board_and_the_package_board(board):
    clerk = browser(person(Role.CLERK))
    supervisor = browser(person(Role.SUPERVISOR))

    refused = clerk.get(board)
    assert refused.status_code == 403
    assert "电子监察仅对中心督查人员和部门负责人开放" in refused.content.decode()
    assert supervisor.get(board).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/workbench/cases/2025-999999/", "/bundles/packages/YJS-2025-999999/"])
def test_an_unknown_case_and_an_unknown_package_are_both_the_styled_404(url):
    response = browser(person(Role.SUPERVISOR)).get(url)

    assert response.status_code == 404
    assert h1_of(response.content.decode()) == "页面不存在"


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
def test_a_domain_error_no_view_caught_is_answered_with_its_own_status():
    response = browser().get("/test/conflict/")

    assert response.status_code == 409
    html = response.content.decode()
    assert h1_of(html) == "操作未完成"
    assert "办件已被他人更新" in html


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
def test_a_not_authenticated_error_on_a_page_sends_the_visitor_to_log_in():
    response = browser().get("/test/sign-in/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/test/sign-in/"


# -- 405 ------------------------------------------------------------------------------------------------------
FORM_PAGE = "请打开表单所在的页面，使用页面上的按钮操作"
FROM_HOME = "请从首页进入相应的页面，使用页面上的按钮操作"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "method", "url", "allow", "advice", "first_link"),
    [
        # require_POST (a case action): the case page holds its form
        (Role.CLERK, "get", "/workbench/cases/2025-000001/approve/", "POST", FORM_PAGE,
         'href="/workbench/cases/2025-000001/">打开表单所在的页面</a>'),
        # require_POST (a package act): the package page
        (Role.CLERK, "get", "/bundles/packages/YJS-2025-000001/accept/", "POST", FORM_PAGE,
         'href="/bundles/packages/YJS-2025-000001/">打开表单所在的页面</a>'),
        # require_GET: the page itself
        (Role.CLERK, "post", "/workbench/", "GET", FORM_PAGE, 'href="/workbench/">打开表单所在的页面</a>'),
        # require_http_methods: the page itself
        (None, "put", "/hall/YZ-HALL/kiosk/", "GET, POST", FORM_PAGE, 'href="/hall/YZ-HALL/kiosk/">打开表单所在的页面</a>'),
        # a class-based view whose form is in every page's header: from the home page
        (None, "get", "/accounts/logout/", "POST, OPTIONS", FROM_HOME, 'href="/">返回首页</a>'),
    ],
)
def test_a_method_an_address_does_not_take_gets_the_styled_405_keeping_allow(who, method, url, allow, advice,
                                                                            first_link):
    client = browser(person(who) if who else None)
    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert response["Allow"] == allow
    html = response.content.decode()
    assert h1_of(html) == "不能这样打开此地址"
    assert advice in html and "请返回上一页" not in html, "no page to go back to is known: none is advised"
    assert f'class="button primary" {first_link}' in html, "the main button does what the advice says"


@pytest.mark.django_db
def test_the_405_page_links_back_to_the_page_the_form_came_from_but_never_to_another_site():
    client = browser(person(Role.CLERK))
    url = "/workbench/cases/2025-000001/approve/"

    ours = client.get(url, HTTP_REFERER="http://testserver/workbench/cases/2025-000001/").content.decode()
    foreign = client.get(url, HTTP_REFERER="https://elsewhere.example/").content.decode()

    assert 'href="http://testserver/workbench/cases/2025-000001/">返回上一页</a>' in ours
    assert "elsewhere.example" not in foreign and ">返回上一页</a>" not in foreign


# -- 500 ------------------------------------------------------------------------------------------------------
@pytest.mark.urls(ERROR_URLS)
def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query made while answering would fail the request. The session cookie would make a
    # page that looked up the signed-in person query the sessions table.
    client = browser()
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-page-must-not-look-up"
    response = client.get("/test/crash/")

    assert response.status_code == 500
    html = response.content.decode()
    assert h1_of(html) == "系统出错了"
    assert "<main" in html and 'href="/">返回首页</a>' in html, "the page in the site's layout"
    assert "a bug in a view" not in html, "the error's details stay in the log"


@pytest.mark.urls(ERROR_URLS)
def test_the_500_page_renders_when_a_context_processor_is_broken(settings):
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{ERROR_URLS}.broken_context_processor"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]

    response = browser(english=True).get("/test/crash/")

    assert response.status_code == 500
    html = response.content.decode()
    assert h1_of(html) == "Something went wrong on our side"
    assert "<main" in html and 'href="/">Home page</a>' in html, "the page in the site's layout"


@pytest.mark.urls(ERROR_URLS)
def test_the_500_answer_still_says_what_happened_when_its_template_cannot_render(monkeypatch):
    from onewindow.core import error_pages

    def missing(name):
        raise error_pages.loader.TemplateDoesNotExist(name)

    monkeypatch.setattr(error_pages.loader, "get_template", missing)
    response = browser().get("/test/crash/")

    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


# -- the API stays JSON ---------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/no-such-endpoint", 404, "not_found"),
        ("delete", "/api/v1/items", 405, "method_not_allowed"),
        ("get", "/api/v1/test/crash", 500, "server_error"),
    ],
)
def test_errors_under_the_api_stay_json(method, url, status, code):
    response = getattr(browser(), method)(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "<html" not in response.content.decode()
    if status == 405:
        assert response["Allow"] == "GET"
