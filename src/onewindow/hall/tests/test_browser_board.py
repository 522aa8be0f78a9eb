"""Browser journey: the TV board is open; a clerk calls the next ticket from the window page; the board shows
the call within a second and speaks it; after the server restarts the board reconnects by itself."""

from __future__ import annotations

from contextlib import closing

import pytest

from onewindow.core.tests.browser import (
    AsgiServer,
    free_port,
    launch_chromium,
    require_chromium,
    screenshots_on_failure,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_call_from_the_window_page_appears_on_the_board_and_is_spoken(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from onewindow.core.models import Role
    from onewindow.hall import services
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

    hall = HallFactory(code="YZ-HALL")
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    UserFactory(username="clerk5", role=Role.CLERK)
    services.issue_ticket(category=category)
    services.issue_ticket(category=category)

    port = free_port()
    server = AsgiServer(port).start()
    base = f"http://127.0.0.1:{port}"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                board = pages["board"] = browser.new_page(viewport={"width": 1920, "height": 1080})
                board.goto(f"{base}/hall/{hall.code}/board/")
                expect(board.locator("#link-status.online")).to_be_visible(timeout=10_000)
                expect(board.locator("#waiting")).to_contain_text("2")

                clerk = pages["window"] = browser.new_page(viewport={"width": 390, "height": 844})
                clerk.goto(f"{base}/accounts/login/?next=/hall/window/{window.pk}/")
                clerk.fill("input[name=username]", "clerk5")
                clerk.fill("input[name=password]", "pass-word-123")
                clerk.click("button.primary")
                clerk.wait_for_url(f"**/hall/window/{window.pk}/")
                clerk.click("#call-next")
                expect(clerk.locator("#current-ticket")).to_have_text("A001")

                expect(board.locator('.call-row[data-ticket="A001"]')).to_be_visible(timeout=1_000)
                expect(board.locator('.call-row[data-ticket="A001"] .window-no')).to_contain_text("5")
                expect(board.locator("#banner")).to_have_text("请 A001 号到 5 号窗口办理")
                assert board.evaluate("window.hallAnnouncements") == ["请 A001 号到 5 号窗口办理"]
                expect(board.locator("#waiting")).to_contain_text("1")

                # A network drop: the server goes away and comes back; the board reconnects on its own.
                server.stop()
                expect(board.locator("#link-status.offline")).to_be_visible(timeout=10_000)
                server = AsgiServer(port).start()
                expect(board.locator("#link-status.online")).to_be_visible(timeout=20_000)
                clerk.click("#finish")
                clerk.click("#call-next")
                expect(board.locator('.call-row[data-ticket="A002"]')).to_be_visible(timeout=2_000)
    finally:
        server.stop()
