"""Browser check of the TV board's layout: the call banner has its own row and never covers the lists; the text
is sized in rem, so at 200 % browser zoom it is twice as large and nothing is clipped; axe-core finds nothing."""

from __future__ import annotations

import threading
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

TV = {"width": 1920, "height": 1080}
# 200 % browser zoom: the page's CSS viewport is half as wide and high, each CSS pixel two device pixels.
TV_AT_200_PERCENT = {"viewport": {"width": 960, "height": 540}, "device_scale_factor": 2}

OVERLAPS = """() => {
  const box = el => el.getBoundingClientRect();
  const banner = box(document.getElementById('banner'));
  return [...document.querySelectorAll('.board-panel, .board-panel li, .call-row')].map(box)
    .filter(r => r.left < banner.right && banner.left < r.right && r.top < banner.bottom && banner.top < r.bottom)
    .length;
}"""

CLIPPED = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page scrolls sideways');
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      out.push(el.id || el.className || el.tagName);
    const r = el.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1) out.push((el.id || el.className || el.tagName) + ' beyond the right edge');
  }
  return out;
}"""

FONT_OF_A_WAITING_LINE = "parseFloat(getComputedStyle(document.querySelector('#waiting li')).fontSize)"


def _call_in_another_thread(window, clerk) -> None:
    """A call made while the page is open (the test's own thread runs Playwright's event loop: no ORM there)."""
    from onewindow.hall import services

    worker = threading.Thread(target=lambda: services.call_next(window=window, by=clerk))
    worker.start()
    worker.join()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_call_banner_has_its_own_row_and_the_board_reads_at_200_percent_zoom(screenshots,
                                                                                 short_lived_connections):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from onewindow.core.models import Role
    from onewindow.hall import services
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

    hall = HallFactory(code="YZ-HALL")
    categories = [CategoryFactory(hall=hall, prefix=p, name=f"{name}业务") for p, name in
                  (("A", "社保"), ("B", "不动产登记"), ("C", "公安户政与出入境证件办理"), ("D", "税务"))]
    windows = [WindowFactory(hall=hall, number=str(n), categories=categories) for n in range(1, 7)]
    clerk = UserFactory(username="clerk5", role=Role.CLERK)
    for category in categories * 5:
        services.issue_ticket(category=category)
    for window in windows[:5]:
        services.call_next(window=window, by=clerk)

    port = free_port()
    server = AsgiServer(port).start()
    url = f"http://127.0.0.1:{port}/hall/{hall.code}/board/"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                tv = pages["tv"] = browser.new_page(viewport=TV, locale="zh-CN")
                tv.goto(url)
                expect(tv.locator("#link-status.online")).to_be_visible(timeout=10_000)
                _call_in_another_thread(windows[5], clerk)
                expect(tv.locator("#banner.show")).to_contain_text("6 号窗口")
                assert tv.evaluate(OVERLAPS) == 0, "the call banner covers part of the lists"
                assert tv.evaluate(CLIPPED) == []
                assert axe_violations(tv) == []
                size_at_100 = tv.evaluate(FONT_OF_A_WAITING_LINE)

                zoomed = pages["zoomed"] = browser.new_page(**TV_AT_200_PERCENT, locale="zh-CN")
                zoomed.goto(url)
                expect(zoomed.locator(".call-row").first).to_be_visible()
                # The same size in CSS pixels is twice the size on the screen: the text grew with the zoom.
                assert zoomed.evaluate(FONT_OF_A_WAITING_LINE) == size_at_100, \
                    "the board's text does not grow with the browser's zoom"
                assert zoomed.evaluate(CLIPPED) == []
                assert zoomed.evaluate(OVERLAPS) == 0
                assert axe_violations(zoomed) == []
    finally:
        server.stop()
