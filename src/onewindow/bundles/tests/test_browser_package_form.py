"""In Chromium: a citizen fills a package's one form (一表申请) with a conditional field, saves a draft, resumes it,
is refused field by field and corrects it, submits; the window's correction names one field, the citizen changes
only it on the package page and the change shows; every step passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_fills_the_package_form_saves_resumes_submits_and_answers_a_field_correction(
        screenshots, short_lived_connections, monkeypatch):
    require_chromium()
    # The test drives the browser and reads the database from one thread, and Playwright's loop runs in it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from onewindow.bundles import services
    from onewindow.bundles.models import Package
    from onewindow.bundles.tests.factories import company, make_world, sub_case, with_forms
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2024, 2025, 2026])
    world = make_world()
    codes = with_forms(world)
    world.citizen.set_password("pass-word-123")
    world.citizen.save()
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    pages: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                page = pages["citizen"] = browser.new_context(locale="zh-CN").new_page()
                log_in(page, base, "citizen", next_path="/bundles/themes/restaurant/apply/")
                page.wait_for_url("**/apply/")
                assert page.locator("input[name='answers.floor_area']").count() == 1, "asked once"
                kitchen = page.locator("#answers-kitchen_area-field")
                assert kitchen.is_hidden(), "the kitchen is asked only for catering"
                page.check("input[name='answers.business_type'][value='catering']")
                assert kitchen.is_visible()
                assert axe_violations(page) == [], "the package form"
                page.fill("input[name=applicant_name]", company(1).name)
                page.fill("input[name=legal_representative]", "李四")
                page.fill("input[name='answers.applicant_name']", company(1).name)
                page.fill("input[name='answers.credit_code']", company(1).id_number)
                page.fill("input[name='answers.floor_area']", "120")
                page.fill(f"input[name='answers.{codes['licence']}.weekly_hours']", "70")
                page.fill("input[name='answers.seats']", "40")
                page.click("button[value=save_draft]")
                page.wait_for_selector(".draft-note")

                page.goto(base + "/bundles/themes/restaurant/apply/")  # a later visit resumes the draft
                assert page.input_value("input[name='answers.floor_area']") == "120"
                assert page.is_checked("input[name='answers.business_type'][value='catering']")
                assert kitchen.is_visible(), "the resumed answer shows its conditional field"
                page.fill("input[name=applicant_name]", company(1).name)
                page.fill("input[name=legal_representative]", "李四")
                page.click("button[value=submit]")
                page.wait_for_selector(".form-errors")
                assert page.evaluate("document.activeElement.classList.contains('form-errors')")
                assert page.locator(".form-errors a[href='#answers-kitchen_area']").count() == 1
                assert page.input_value("input[name='answers.seats']") == "40", "what was typed is kept"
                assert axe_violations(page) == [], "the refused package form"
                page.fill("input[name='answers.kitchen_area']", "30")
                page.click("button[value=submit]")
                page.wait_for_url("**/bundles/packages/YJS*/")
                package = Package.objects.get()
                assert sub_case(package, "food").answers["kitchen_area"] == 30

                services.request_package_correction(package, by=world.window, lines=[
                    services.CorrectionLine("", "经营面积与房产证不符", field="floor_area")])
                page.reload()
                assert page.locator("input[name='answers.seats']").count() == 0, "only the named field is editable"
                assert axe_violations(page) == [], "the package page with its correction form"
                page.fill("input[name='answers.floor_area']", "150")
                page.click("#answers-form-title ~ form button.primary")
                page.wait_for_selector("table.answer-changes")
                assert "150 平方米" in page.locator("table.answer-changes ins").first.inner_text()
                assert sub_case(package, "licence").answers["floor_area"] == 150
                assert sub_case(package, "food").answers["floor_area"] == 150
    finally:
        server.stop()
