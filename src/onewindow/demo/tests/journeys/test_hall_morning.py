"""A morning in the hall: the TV board is on; a person takes a ticket at the kiosk and gets a slip; another books
an appointment on a phone, confirms it with the code sent by text, and checks in at the kiosk; the window calls
— the booked person first — and the board shows and speaks each call; the window finishes both. The ticket page
follows its ticket in place; the board's text grows with zoom. Every page passes axe-core's WCAG 2.1 AA rules in
Chinese and in English, where no Chinese is left but names."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.demo.tests.journeys.walk import PASSWORD, log_in, to_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HALL = "YZ-HALL"
MOBILE = "13900000004"
KIOSK = {"width": 1080, "height": 1920}
TV = {"width": 1920, "height": 1080}


@pytest.fixture
def hall(site, calendar):
    """One hall with 社保业务 (A) at window 5, its clerk, and a booking slot starting in ten minutes."""
    from django.utils import timezone

    from onewindow.core.models import Role
    from onewindow.hall.models import AppointmentSlot
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

    hall = HallFactory(code=HALL)
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = UserFactory(username="clerk5", role=Role.CLERK)
    clerk.set_password(PASSWORD)
    clerk.save()
    now = timezone.localtime()
    # Bookable (it has not begun) and open for check-in already (check-in opens before the start).
    start = (now + dt.timedelta(minutes=10)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(minutes=70)).time().replace(second=0, microsecond=0)
    assert start < end, "the journey needs a slot that does not cross midnight"
    AppointmentSlot.objects.create(category=category, day=now.date(), start=start, end=end, capacity=2)
    return window


def _font_px(page, selector: str) -> float:
    return page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector)


def test_a_hall_morning_from_kiosk_and_booking_to_the_window_and_the_board(site, hall, audit):
    window = hall
    tv_context, kiosk_context = site.context(viewport=TV), site.context(viewport=KIOSK, has_touch=True)
    phone_context, clerk_context = site.context(phone=True), site.context()
    board, kiosk = tv_context.new_page(), kiosk_context.new_page()
    phone, clerk = phone_context.new_page(), clerk_context.new_page()
    pages = {"board": board, "kiosk": kiosk, "phone": phone, "window": clerk}
    try:
        _morning(site, audit, window, pages)
    finally:
        # The board's socket is closed while the test database is still open to the server.
        for context in (tv_context, kiosk_context, phone_context, clerk_context):
            context.close()
    audit.assert_clean()


def _morning(site, audit, window, pages) -> None:
    from playwright.sync_api import expect

    from onewindow.hall.models import Appointment, Ticket
    from onewindow.hall.tests.factories import sent_code, valid_id

    board, kiosk, phone, clerk = (pages[name] for name in ("board", "kiosk", "phone", "window"))
    with site.pictures(pages):
        board.goto(site.url(f"/hall/{HALL}/board/"))
        expect(board.locator("#link-status.online")).to_be_visible()
        audit.page(board)

        # The kiosk: a ticket for 社保业务, its slip.
        kiosk.goto(site.url(f"/hall/{HALL}/kiosk/"))
        audit.page(kiosk)
        with kiosk.expect_navigation():
            kiosk.locator("button[name=category][value=A]").click()
        assert "/slip/" in kiosk.url, f"the kiosk did not print a slip: {kiosk.url}"
        walk_in_code = kiosk.url.split("/hall/ticket/", 1)[1].split("/", 1)[0]
        walk_in = Ticket.objects.get(code=walk_in_code).number
        assert walk_in == "A001", f"the first ticket of the morning is {walk_in}"
        assert walk_in in kiosk.locator("main, body").first.inner_text(), "the slip does not show the number"
        audit.page(kiosk)

        # The ticket page follows the ticket in place, in a polite live region, without reloading itself.
        phone.goto(site.url(f"/hall/ticket/{walk_in_code}/"))
        assert phone.locator("meta[http-equiv=refresh]").count() == 0, "the ticket page reloads itself"
        assert phone.locator("[aria-live=polite]").count() >= 1, "the ticket page has no polite live region"
        audit.page(phone)

        # An appointment booked on a phone: a day, a time, the person; then the code sent by text.
        phone.goto(site.url(f"/hall/{HALL}/appointments/"))
        audit.page(phone)
        with phone.expect_navigation():
            phone.locator("#day-picker a").first.click()
        phone.locator("input[name=slot]:not([disabled])").first.check()
        phone.fill("input[name=identity_number]", valid_id(4))
        phone.fill("input[name=mobile]", MOBILE)
        with phone.expect_navigation():
            phone.locator("form button.primary").last.click()
        audit.page(phone)
        phone.fill("input[name=code]", sent_code(MOBILE))
        with phone.expect_navigation():
            phone.locator("form button.primary").last.click()
        booked = phone.locator("#appointment-code").inner_text().strip()
        assert Appointment.objects.get(code=booked).state == "booked"
        audit.page(phone)

        # Checked in at the kiosk with the booking code.
        kiosk.goto(site.url(f"/hall/{HALL}/kiosk/"))
        kiosk.fill("#kiosk-checkin input[name=appointment_code]", booked)
        with kiosk.expect_navigation():
            kiosk.locator("#kiosk-checkin button[type=submit]").click()
        assert "/slip/" in kiosk.url, f"checking in did not print a slip: {kiosk.url}"
        appointment_ticket = Ticket.objects.get(code=kiosk.url.split("/hall/ticket/", 1)[1].split("/", 1)[0]).number
        audit.page(kiosk)

        # The window calls: the booked person first, then the walk-in; the board shows and speaks each call.
        log_in(clerk, site, "clerk5", next_path=f"/hall/window/{window.pk}/")
        assert clerk.url.endswith(f"/hall/window/{window.pk}/")
        audit.page(clerk)
        for expected in (appointment_ticket, walk_in):
            with clerk.expect_navigation():
                clerk.click("#call-next")
            expect(clerk.locator("#current-ticket")).to_have_text(expected)
            expect(board.locator(f'.call-row[data-ticket="{expected}"]')).to_be_visible()
            expect(board.locator("#banner")).to_contain_text(expected)
            spoken = board.evaluate("window.hallAnnouncements || []")
            assert any(expected in text for text in spoken), f"the board did not announce {expected}: {spoken}"
            audit.page(clerk)
            with clerk.expect_navigation():
                clerk.click("#finish")
        audit.page(board)

        # The board's text grows with the browser's zoom (a 640-pixel layout at twice the pixels, walk.ZOOM_200).
        desk_size = _font_px(board, ".call-row, #banner")
        zoomed_context = site.context(zoom=True)
        zoomed = zoomed_context.new_page()
        zoomed.goto(site.url(f"/hall/{HALL}/board/"))
        assert _font_px(zoomed, ".call-row, #banner") >= desk_size, "the board's text does not grow with zoom"
        audit.reflow(zoomed)
        zoomed_context.close()

        for page, paths in ((board, [f"/hall/{HALL}/board/"]),
                            (kiosk, [f"/hall/{HALL}/kiosk/", f"/hall/ticket/{walk_in_code}/slip/"]),
                            (phone, [f"/hall/ticket/{walk_in_code}/", f"/hall/{HALL}/appointments/"]),
                            (clerk, [f"/hall/window/{window.pk}/", "/hall/"])):
            if page.locator("form.lang button, button[name=language]").count():
                to_english(page)
            else:  # the kiosk and the board have no header: the language is the session's, as set elsewhere
                page.goto(site.url("/"))
                to_english(page)
            for path in paths:
                page.goto(site.url(path))
                audit.page(page, english=True)
