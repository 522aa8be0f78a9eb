"""Browser journey on a phone: a window clerk takes in an application — the applicant, the checklist with a
scan, acceptance — in one post, lands on the case page with the acceptance notice to print, and that page offers
only what a clerk may do there. The intake page and the case page pass axe-core's WCAG 2.1 AA rules."""

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
def test_a_clerk_takes_in_an_application_in_one_post_and_is_offered_only_their_actions(
        screenshots, short_lived_connections, tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import PDF, identity_number, make_world
    from onewindow.workdays.services import seed_from_package

    today = dt.date.today()
    seed_from_package(years=[today.year - 1, today.year, today.year + 1])
    world = make_world()
    world.clerk_a.set_password("pass-word-123")
    world.clerk_a.save()
    materials = {m.name: m.pk for m in world.item_a.published_version.materials.all()}
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(PDF)
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport=PHONE, locale="zh-CN")
            with closing(browser), screenshots_on_failure({"intake": page}, screenshots):
                page.goto(f"{base}/accounts/login/?next=/workbench/intake/{world.item_a.implementation_code}/")
                page.fill("input[name=username]", "clerk_a")
                page.fill("input[name=password]", "pass-word-123")
                page.click("button.primary")
                page.wait_for_url("**/workbench/intake/**")
                assert axe_violations(page) == []

                page.fill("input[name=applicant_name]", "李四")
                page.fill("input[name=applicant_id_number]", identity_number(7))
                page.fill("input[name=applicant_mobile]", "13900139000")
                page.check(f"input[name=m{materials['申请书']}_status][value=received]")
                page.set_input_files(f"input[name=m{materials['申请书']}_file]", str(scan))
                page.check(f"input[name=m{materials['场地证明']}_status][value=missing]")
                page.check(f"input[name=m{materials['其他说明']}_status][value=missing]")
                page.check("input[name=decision][value=accept]")
                # Within the case's statutory limit (20 working days): a later 容缺 promise is refused.
                page.fill("input[name=tolerance_due_on]", (today + dt.timedelta(days=14)).isoformat())
                page.click("form button.primary")
                page.wait_for_url("**/workbench/cases/**")

                number = page.url.rstrip("/").split("?")[0].rstrip("/").rsplit("/", 1)[-1]
                assert page.locator(f"a[href='/workbench/cases/{number}/notice/acceptance.pdf']").count() == 1
                offered = {form.get_attribute("id") for form in page.locator("form[id^=action-]").all()}
                assert offered == {"action-withdraw", "action-add_material"}, "a clerk may not decide here"
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert axe_violations(page) == []
    finally:
        server.stop()
    case = Case.objects.get()  # the ORM is used outside Playwright's event loop
    assert (case.number, case.state) == (number, "accepted")
    assert [t["name"] for t in case.tolerated_materials] == ["场地证明"]
