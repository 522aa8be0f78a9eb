"""In Chromium on a phone: the 404 and 403 pages pass axe-core's WCAG 2.1 AA rules and fit the screen; a stale
form's page leads back to the form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager

import pytest

from onewindow.core.tests.browser import (
    PHONE,
    AsgiServer,
    axe_violations,
    free_port,
    launch_chromium,
    log_in,
    require_chromium,
    screenshots_on_failure,
)


def _check(page, url: str, status: int, heading: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    assert page.locator("h1").all_inner_texts() == [heading]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    violations = axe_violations(page)
    assert violations == [], f"{url}: {violations}"


@contextmanager
def _on_a_phone(screenshots, name: str) -> Iterator[tuple]:
    """A phone-sized Chromium page on the project served in this process, and the server's base URL."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    server = AsgiServer(free_port()).start()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport=PHONE, locale="zh-CN")
            with closing(browser), screenshots_on_failure({name: page}, screenshots):
                yield page, f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_404_and_403_pages_pass_axe_on_a_phone_in_chinese_and_english(screenshots, short_lived_connections):
    from onewindow.core.models import Role, User

    User.objects.create_user("citizen1", password="pass-word-123", role=Role.CITIZEN)
    with _on_a_phone(screenshots, "error-page") as (page, base):
        _check(page, f"{base}/items/NO-SUCH-ITEM/", 404, "页面不存在")

        log_in(page, base, "citizen1", next_path="/workbench/")
        page.wait_for_url("**/workbench/")
        _check(page, f"{base}/workbench/", 403, "无权使用此页面")

        page.click("button[name=language][value=en]")
        page.wait_for_load_state()
        _check(page, f"{base}/workbench/", 403, "You may not use this page")
        _check(page, f"{base}/items/NO-SUCH-ITEM/", 404, "Page not found")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_stale_form_page_leads_back_to_the_form_which_then_works(screenshots, short_lived_connections):
    from onewindow.core.models import Role, User

    User.objects.create_user("clerk1", password="pass-word-123", role=Role.CLERK)
    with _on_a_phone(screenshots, "stale-form") as (page, base):
        page.goto(f"{base}/accounts/login/?next=/workbench/")
        page.context.clear_cookies()  # the form's token is gone, as after a long pause
        page.fill("input[name=username]", "clerk1")
        page.fill("input[name=password]", "pass-word-123")
        page.click("button.primary")
        page.wait_for_load_state()

        assert page.locator("h1").all_inner_texts() == ["无权使用此页面"]
        assert "请返回上一页，刷新后重新提交。" in page.inner_text("main")
        assert "换一个账号登录" not in page.inner_text("main")
        assert axe_violations(page) == []
        page.click("a.button.primary")  # 返回上一页
        page.wait_for_url("**/accounts/login/?next=/workbench/")
        log_in(page, base, "clerk1", next_path="/workbench/")
        page.wait_for_url("**/workbench/")
