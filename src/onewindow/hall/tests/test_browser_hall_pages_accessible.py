"""Browser check of the citizen's hall pages: the ticket page tells of a call in its polite live region without
reloading; the ticket, booking and lost-and-found pages have no axe-core violations (WCAG 2.1 AA)."""

from __future__ import annotations

import threading
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
def test_the_ticket_page_announces_the_call_in_place_and_the_hall_pages_pass_axe(screenshots,
                                                                                 short_lived_connections):
    require_chromium()
    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from onewindow.core.models import Role
    from onewindow.hall import services
    from onewindow.hall.models import AppointmentSlot, FoundItemKind
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

    hall = HallFactory(code="YZ-HALL")
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = UserFactory(username="clerk5", role=Role.CLERK)
    ticket = services.issue_ticket(category=category)
    AppointmentSlot.objects.create(category=category, day=timezone.localdate() + timezone.timedelta(days=1),
                                   start=timezone.datetime(2000, 1, 1, 9).time(),
                                   end=timezone.datetime(2000, 1, 1, 10).time(), capacity=2)
    services.register_found_item(hall=hall, kind=FoundItemKind.KEYS, description="一串钥匙", found_place="3号窗口",
                                 found_at=timezone.now(), storage_place="服务台", by=clerk)
    port = free_port()
    server = AsgiServer(port).start()
    base = f"http://127.0.0.1:{port}"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["ticket"] = browser.new_page(viewport=PHONE, locale="zh-CN")
                page.goto(f"{base}/hall/ticket/{ticket.code}/")
                expect(page.locator("#ticket-status")).to_contain_text("前面还有 0 人")
                assert axe_violations(page) == []
                page.evaluate("window.__sameDocument = true")
                worker = threading.Thread(target=lambda: services.call_next(window=window, by=clerk))
                worker.start()
                worker.join()
                page.locator("#ticket-live").dispatch_event("ticket:poll")
                expect(page.locator("[aria-live=polite] #ticket-status")).to_contain_text("请到 5 号窗口办理")
                assert page.evaluate("window.__sameDocument") is True, "the ticket page reloaded itself"

                for name, path in (("booking", f"/hall/{hall.code}/appointments/"),
                                   ("lost_found", "/hall/lost-found/?kind=keys")):
                    other = pages[name] = browser.new_page(viewport=PHONE, locale="zh-CN")
                    other.goto(base + path)
                    assert axe_violations(other) == [], name
    finally:
        server.stop()
