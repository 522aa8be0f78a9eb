"""In Chromium on a 390-pixel phone the header fits: its links fold under a "菜单" button that opens them without
script, by pointer or keyboard; on a desk screen they are all in view and the button is not. axe-core finds no
WCAG 2.1 AA violation either way."""

from __future__ import annotations

from contextlib import closing

import pytest

from onewindow.core.tests.browser import (
    PHONE,
    AsgiServer,
    axe_violations,
    free_port,
    launch_chromium,
    require_chromium,
    screenshots_on_failure,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_header_folds_into_a_menu_on_a_phone_and_stays_open_on_a_desk(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    server = AsgiServer(free_port()).start()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            phone = browser.new_page(viewport=PHONE, locale="zh-CN")
            desk = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            with closing(browser), screenshots_on_failure({"phone": phone, "desk": desk}, screenshots):
                base = f"http://127.0.0.1:{server.port}"
                phone.goto(f"{base}/track/")
                track = phone.locator(".site-nav a", has_text="办件查询")
                assert not track.is_visible(), "the links are folded away on a phone"
                assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert axe_violations(phone) == []
                phone.click("label.menu-button")
                assert track.is_visible() and phone.locator(".site-nav a", has_text="预约").is_visible()
                assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert axe_violations(phone) == []
                phone.click("label.menu-button")
                assert not track.is_visible()
                phone.focus("#site-menu")
                phone.keyboard.press("Space")
                assert track.is_visible(), "the keyboard opens the menu too"

                desk.goto(f"{base}/track/")
                assert desk.locator(".site-nav a", has_text="办件查询").is_visible()
                assert not desk.locator("label.menu-button").is_visible()
                assert axe_violations(desk) == []
    finally:
        server.stop()
