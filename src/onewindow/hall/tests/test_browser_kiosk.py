"""Browser journey at the kiosk (自助取号机): a full screen of its own — no site navigation, no sign-in link —
with touch-sized choices under a group label; a ticket is printed and the screen returns to its start; the only
way out is a staff member's long press on the top-left corner and sign-in. axe-core finds nothing."""

from __future__ import annotations

from contextlib import closing

import pytest

from onewindow.core.tests.browser import (
    AsgiServer,
    axe_violations,
    free_port,
    launch_chromium,
    require_chromium,
    screenshots_on_failure,
)

KIOSK_SCREEN = {"width": 1080, "height": 1920}  # a portrait touch screen


def _targets_smaller_than_44px(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll(
        'main button, main a, main input:not([type=radio]):not([type=hidden]), .kiosk-choice span, .kiosk-lang button')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, r]) => r.width < 44 || r.height < 44)
        .map(([el, r]) => `${el.outerHTML.slice(0, 60)} ${Math.round(r.width)}x${Math.round(r.height)}`)""")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_kiosk_is_a_full_screen_of_touch_sized_choices_that_only_staff_can_leave(screenshots,
                                                                                     short_lived_connections,
                                                                                     settings):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from onewindow.core.models import Role
    from onewindow.hall.models import Priority, Ticket
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory

    settings.HALL_KIOSK_SLIP_SECONDS = 600
    hall = HallFactory(code="YZ-HALL")
    CategoryFactory(hall=hall, prefix="A", name="社保业务")
    CategoryFactory(hall=hall, prefix="B", name="不动产登记")
    UserFactory(username="clerk5", role=Role.CLERK)
    UserFactory(username="citizen1", role=Role.CITIZEN)
    port = free_port()
    server = AsgiServer(port).start()
    base = f"http://127.0.0.1:{port}"
    kiosk_url = f"{base}/hall/{hall.code}/kiosk/"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["kiosk"] = browser.new_page(viewport=KIOSK_SCREEN, has_touch=True, locale="zh-CN")
                page.goto(kiosk_url)
                assert page.locator(".site-nav, .site-header, a[href*='/accounts/login']").count() == 0, \
                    "the kiosk shows the site's navigation or a sign-in link"
                assert page.locator("a").count() == 0, "the kiosk offers a link out"
                expect(page.locator("fieldset legend").first).to_contain_text("优先类型")
                assert _targets_smaller_than_44px(page) == []
                assert axe_violations(page) == []

                page.click("label.kiosk-choice:has-text('老年人')")
                page.click("button[name=category][value=B]")
                expect(page.locator("#slip-number")).to_have_text("B001")
                assert page.locator(".site-nav").count() == 0
                assert axe_violations(page) == []
                settings.HALL_KIOSK_SLIP_SECONDS = 1
                page.reload()
                page.wait_for_url(kiosk_url, timeout=10_000)  # back at the start once the slip is taken

                # A citizen's account cannot open the way out; a short touch of the corner does nothing.
                corner = page.locator("#kiosk-corner")
                corner.click()
                expect(page.locator("#kiosk-exit")).not_to_be_visible()
                corner.dispatch_event("pointerdown")
                expect(page.locator("#kiosk-exit")).to_be_visible(timeout=6_000)
                page.fill("#kiosk-exit input[name=username]", "citizen1")
                page.fill("#kiosk-exit input[name=password]", "pass-word-123")
                page.click("#kiosk-exit button.primary")
                expect(page.locator(".kiosk-messages")).to_contain_text("只有大厅工作人员可以退出自助模式")
                assert page.locator(".site-nav").count() == 0

                page.goto(kiosk_url)
                page.locator("#kiosk-corner").dispatch_event("pointerdown")
                expect(page.locator("#kiosk-exit")).to_be_visible(timeout=6_000)
                page.fill("#kiosk-exit input[name=username]", "clerk5")
                page.fill("#kiosk-exit input[name=password]", "pass-word-123")
                page.click("#kiosk-exit button.primary")
                page.wait_for_url(f"{base}/hall/")
                expect(page.locator(".site-nav")).to_be_visible()
    finally:
        server.stop()
    assert Ticket.objects.get().priority == Priority.ELDERLY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_kiosk_issues_a_ticket_without_javascript(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from onewindow.hall.models import Ticket
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory

    hall = HallFactory(code="YZ-HALL")
    CategoryFactory(hall=hall, prefix="A", name="社保业务")
    port = free_port()
    server = AsgiServer(port).start()
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                context = browser.new_context(java_script_enabled=False, viewport=KIOSK_SCREEN, locale="zh-CN")
                page = pages["kiosk"] = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/hall/{hall.code}/kiosk/")
                page.click("label.kiosk-choice:has-text('孕妇')")
                page.click("button[name=category][value=A]")
                expect(page.locator("#slip-number")).to_have_text("A001")
    finally:
        server.stop()
    assert Ticket.objects.get().priority == "pregnant"
