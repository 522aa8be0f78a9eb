"""Browser journey: a person picks a day in the booking page's date picker, then a time of that day, receives the code by text message, enters it on
the confirmation step and sees the booking confirmed with its code; a wrong code is refused on the same page."""

from __future__ import annotations

import datetime as dt
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
def test_a_person_books_on_the_page_and_confirms_with_the_code_sent_to_the_mobile(screenshots,
                                                                                 short_lived_connections):
    require_chromium()
    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentState
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, sent_code, valid_id

    hall = HallFactory(code="YZ-HALL")
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    slot = AppointmentSlot.objects.create(category=category, day=timezone.localdate() + dt.timedelta(days=1),
                                          start=dt.time(9), end=dt.time(10), capacity=2)
    port = free_port()
    server = AsgiServer(port).start()
    base = f"http://127.0.0.1:{port}"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["booking"] = browser.new_page(viewport=PHONE, locale="zh-CN")
                page.goto(f"{base}/hall/{hall.code}/appointments/")
                assert axe_violations(page) == []
                page.click(f"#day-picker a[href^='?day={slot.day.isoformat()}']")
                expect(page.locator("#day-picker [aria-current=date]")).to_contain_text(f"{slot.day:%m-%d}")
                page.click(f"label.time-choice:has(input[value='{slot.pk}'])")
                expect(page.locator(f"input[name=slot][value='{slot.pk}']")).to_be_checked()
                page.fill("input[name=identity_number]", valid_id(4))
                page.fill("input[name=mobile]", "13900000004")
                page.click("button.primary")
                expect(page.locator("h1")).to_have_text("确认预约")
                expect(page.locator("body")).to_contain_text("139****0004")
                code = sent_code("13900000004")
                page.fill("input[name=code]", "000000" if code != "000000" else "111111")
                page.click("button.primary")
                expect(page.locator("body")).to_contain_text("验证码错误，还可尝试 4 次")
                page.fill("input[name=code]", code)
                page.click("button.primary")
                expect(page.locator("h1")).to_have_text("预约成功")
                shown = page.locator("#appointment-code").inner_text()
    finally:
        server.stop()
    booked = Appointment.objects.get()
    assert (booked.code, booked.state) == (shown, AppointmentState.BOOKED)
