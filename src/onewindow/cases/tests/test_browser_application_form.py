"""In Chromium, the online application with the item's form (电子申请表): a field shown only for 餐饮 appears when
餐饮 is chosen and goes (out of the submission) when 零售 is; a row is added to a table by keyboard and the focus
lands in it; a refused submit keeps every value typed, the focus on the error summary whose link leads to the field;
axe-core finds nothing against WCAG 2.1 AA before or after."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

import pytest

from onewindow.core.tests.browser import (
    AsgiServer,
    axe_violations,
    free_port,
    launch_chromium,
    log_in,
    require_chromium,
    screenshots_on_failure,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _world():
    from onewindow.cases.tests.factories import make_world
    from onewindow.cases.tests.with_forms import give_form
    from onewindow.workdays.services import seed_from_package

    today = dt.date.today()
    seed_from_package(years=[today.year - 1, today.year, today.year + 1])
    world = make_world()
    world.citizen.set_password("pass-word-123")
    world.citizen.save()
    give_form(world.item_a)
    return world


def _focused(page) -> dict:
    return page.evaluate("() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(), id: e.id, "
                         "cls: e.className, name: e.name || ''}; }")


def _fill_the_form(page, uploads: list[tuple[int, str]]) -> None:
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_applicant_id_number", "11010519491231002X")
    page.fill("#id_applicant_mobile", "13800138000")
    page.fill("#answers-applicant_name", "渝中区好味餐饮有限公司")
    page.fill("#answers-credit_code", "91500103MA0000001U")
    for part, text in (("province", "重庆市"), ("city", "重庆市"), ("district", "渝中区"), ("street", "解放碑街道")):
        page.fill(f"#answers-business_address-{part}", text)
    page.fill("#answers-floor_area", "0")  # refused: at least 1 平方米
    for pk, name in uploads:
        page.set_input_files(f"#id_file{pk}", files=[{"name": f"{name}.pdf", "mimeType": "application/pdf",
                                                       "buffer": PDF}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_fills_the_items_form_by_keyboard_and_a_refusal_keeps_it(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    world = _world()
    code = world.item_a.implementation_code
    uploads = [(m.pk, m.name) for m in world.item_a.published_version.materials.all() if not m.fetchable]
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    pages: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["citizen"] = browser.new_context(locale="zh-CN").new_page()
                log_in(page, base, "citizen", next_path=f"/apply/{code}/")
                page.wait_for_url(f"**/apply/{code}/")
                assert axe_violations(page) == []

                kitchen = page.locator("#answers-kitchen_area-field")
                assert kitchen.is_hidden(), "厨房面积 waits for 经营类型 = 餐饮"
                page.focus("#answers-business_type-0")
                page.keyboard.press("Space")
                assert kitchen.is_visible(), "choosing 餐饮 shows 厨房面积"
                page.fill("#answers-kitchen_area", "30")
                page.keyboard.press("Shift+Tab")
                page.focus("#answers-business_type-1")
                page.keyboard.press("Space")
                assert kitchen.is_hidden() and page.locator("#answers-kitchen_area").is_disabled(), \
                    "choosing 零售 hides 厨房面积 and keeps it out of the submission"
                page.focus("#answers-business_type-0")
                page.keyboard.press("Space")
                assert kitchen.is_visible() and page.locator("#answers-kitchen_area").input_value() == "30"

                rows = page.locator("#answers-staff tbody tr")
                before = rows.count()
                page.focus("#answers-staff [data-add-row]")
                page.keyboard.press("Enter")
                assert rows.count() == before + 1
                added = _focused(page)
                assert added["name"] == f"answers.staff.{before}.name", f"the focus is in the new row: {added}"
                page.keyboard.type("王五")
                page.keyboard.press("Tab")
                page.keyboard.type("11010519491231002X")

                _fill_the_form(page, uploads)
                page.locator("form button.primary").focus()
                page.keyboard.press("Enter")
                page.wait_for_selector(".form-errors")
                summary = _focused(page)
                assert "form-errors" in summary["cls"], f"the focus is on the error summary, not {summary}"
                assert axe_violations(page) == []
                # The empty rows above it are not answers: the row typed comes back first, with its identity number.
                assert page.locator("#answers-staff-0-name").input_value() == "王五"
                assert page.locator("#answers-staff-0-id_number").input_value() == "11010519491231002X"
                assert page.locator("#answers-kitchen_area").input_value() == "30" and kitchen.is_visible()
                assert page.locator("#answers-business_address-street").input_value() == "解放碑街道"
                assert page.locator("#answers-floor_area").input_value() == "0"

                page.keyboard.press("Tab")
                link = _focused(page)
                assert link["tag"] == "a", link
                page.keyboard.press("Enter")
                field = _focused(page)
                assert field["id"] == "answers-floor_area", field
                assert page.locator("#answers-floor_area").get_attribute("aria-invalid") == "true"

                page.fill("#answers-floor_area", "120")
                page.locator("form button.primary").click()
                page.wait_for_url("**/my/cases/*/")
                assert axe_violations(page) == []
    finally:
        server.stop()

    from onewindow.cases.models import Case

    case = Case.objects.get()
    assert case.answers["floor_area"] == 120 and case.answers["kitchen_area"] == 30
    assert case.answers["staff"] == [{"name": "王五", "id_number": "11010519491231002X"}]
