"""On a 390-pixel phone the catalog's item lists (home, a department, a theme) and a guide's materials and steps
become one card per row: every column — the promised days and the handling modes included — lies within the
screen, nothing scrolls sideways, and axe-core finds no WCAG 2.1 AA violation on those pages."""

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

# Every cell of every card list: its box, its column's name, and whether its text is within the viewport.
CELLS = """() => [...document.querySelectorAll('table.cards td[data-label]')].map(td => {
  const box = td.getBoundingClientRect();
  return {label: td.dataset.label, left: box.left, right: box.right, width: box.width};
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_catalog_and_guide_lists_are_cards_on_a_phone_with_every_column_on_screen(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from onewindow.catalog.models import Department
    from onewindow.catalog.tests.factories import ServiceItemFactory, ThemeFactory, ThemeItemFactory

    department = Department.objects.create(code="SCJ", name="区市场监督管理局")
    items = [ServiceItemFactory(department=department, name=f"食品经营许可（新办、延续、变更）第{n}项")
             for n in range(3)]
    theme = ThemeFactory(code="restaurant", name="开饭店", lead_department=department, published=True)
    entries = [ThemeItemFactory(theme=theme, item=item) for item in items]
    entries[1].requires.set([entries[0]])
    pages = {
        "home": "/",
        "department": "/departments/SCJ/",
        "theme": "/themes/restaurant/",
        "guide": f"/items/{items[0].implementation_code}/",
    }
    server = AsgiServer(free_port()).start()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport=PHONE, locale="zh-CN")
            with closing(browser), screenshots_on_failure({"phone": page}, screenshots):
                for name, path in pages.items():
                    page.goto(f"http://127.0.0.1:{server.port}{path}")
                    cells = page.evaluate(CELLS)
                    assert cells, f"{name}: its lists are cards with named columns"
                    labels = {cell["label"] for cell in cells}
                    if name in ("home", "department"):
                        assert {"承诺时限", "办理方式"} <= labels, f"{name}: days and modes are shown"
                    off_screen = [c for c in cells if c["left"] < 0 or c["right"] > PHONE["width"] or not c["width"]]
                    assert off_screen == [], f"{name}: cells beyond the 390-pixel screen"
                    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], \
                        f"{name}: the page scrolls sideways"
                    assert page.locator("table.cards thead").first.is_hidden(), f"{name}: no table header row"
                    assert axe_violations(page) == [], name
    finally:
        server.stop()
