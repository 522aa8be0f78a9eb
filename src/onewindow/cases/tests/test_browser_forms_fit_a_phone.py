"""In Chromium on a 390 px phone, an application form with a repeating table (申请表的表格字段) and the case page's
补正前后对照 fit the screen: the page never scrolls sideways; a wide table scrolls inside its own focusable,
labelled box (or turns into cards), so no input and no "after" column is cut off; after a row is removed the rows'
spoken names are renumbered. axe-core finds nothing."""

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

PHONE = {"width": 390, "height": 844}
WIDTHS = "() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth})"


def _world_with_a_corrected_table():
    from onewindow.cases import services
    from onewindow.cases.models import Channel
    from onewindow.cases.tests.factories import complete_materials, make_world, person
    from onewindow.cases.tests.with_forms import give_form
    from onewindow.forms.tests.factories import good_answers
    from onewindow.workdays.services import seed_from_package

    today = dt.date.today()
    seed_from_package(years=[today.year - 1, today.year, today.year + 1])
    world = make_world()
    for user in (world.citizen, world.clerk_a):
        user.set_password("pass-word-123")
        user.save()
    give_form(world.item_a)
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   applicant_user=world.citizen, submit=True, answers=good_answers())
    complete_materials(case, by=world.clerk_a)
    services.request_correction(case, by=world.clerk_a, items=[
        services.CorrectionItem(field="staff", problem="从业人员与花名册不符")])
    case.refresh_from_db()
    staff = [{"name": f"从业人员{n}号", "id_number": "11010519491231002X", "hours": 20} for n in range(1, 4)]
    services.resubmit_with_corrections(case, by=world.citizen, answers=good_answers(staff=staff))
    return world, case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_with_a_table_and_the_changes_fit_a_phone(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    world, case = _world_with_a_corrected_table()
    code = world.item_a.implementation_code
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    pages: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["citizen"] = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
                log_in(page, base, "citizen", next_path=f"/apply/{code}/")
                page.wait_for_url(f"**/apply/{code}/")
                widths = page.evaluate(WIDTHS)
                assert widths["doc"] <= widths["view"], f"the apply page scrolls sideways: {widths}"
                box = page.locator("#answers-staff .table-wrap")
                assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-labelledby"), \
                    "the table scrolls in a box a keyboard can reach, named by the field"
                name = page.locator("#answers-staff-0-name").bounding_box()
                assert name is not None and name["x"] + name["width"] <= PHONE["width"], name
                assert axe_violations(page) == []

                rows = page.locator("#answers-staff tbody tr")
                page.locator("#answers-staff [data-add-row]").click()
                page.fill("#answers-staff-0-name", "张三")
                count = rows.count()
                rows.first.locator("[data-remove-row]").click()
                assert rows.count() == count - 1
                assert rows.first.locator("input").first.get_attribute("aria-label").startswith("第 1 行"), \
                    "after a row is removed the first row is announced as row 1"
                assert rows.last.locator("input").first.get_attribute("aria-label").startswith(f"第 {count - 1} 行")
                assert rows.first.locator("[data-remove-row] .visually-hidden").text_content().strip() == "1"

                page = pages["clerk"] = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
                log_in(page, base, "clerk_a", next_path=f"/workbench/cases/{case.number}/")
                page.wait_for_url(f"**/workbench/cases/{case.number}/")
                assert page.locator(".answer-changes").count() == 1
                widths = page.evaluate(WIDTHS)
                assert widths["doc"] <= widths["view"], f"the case page scrolls sideways: {widths}"
                after = page.locator(".answer-changes ins").first.bounding_box()
                assert after is not None and after["x"] + after["width"] <= PHONE["width"], \
                    f"the corrected answer is on screen: {after}"
                assert axe_violations(page) == []
    finally:
        server.stop()
