"""In Chromium: the 一件事 form, its refused submit, the package page, my packages and the package board pass
axe-core's WCAG 2.1 AA rules; a refused application puts the focus on its error summary, and every light on the
board and the lists is named."""

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
def test_the_package_pages_pass_axe_and_a_refused_application_focuses_its_summary(screenshots,
                                                                                short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from onewindow.bundles.tests.factories import accepted, make_world
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2024, 2025, 2026])
    world = make_world()
    package = accepted(world)  # due 2025-09-15: red by the real today
    for user in (world.citizen, world.supervisor):
        user.set_password("pass-word-123")
        user.save()
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    pages: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                citizen = pages["citizen"] = browser.new_context(locale="zh-CN").new_page()
                log_in(citizen, base, "citizen", next_path="/bundles/themes/restaurant/apply/")
                citizen.wait_for_url("**/apply/")
                assert axe_violations(citizen) == [], "the package form"
                citizen.fill("input[name=applicant_name]", "")
                citizen.click("form button.primary")
                citizen.wait_for_selector(".form-errors")
                assert citizen.evaluate("document.activeElement.classList.contains('form-errors')")
                assert axe_violations(citizen) == [], "the refused package form"
                for path in ("/bundles/packages/", f"/bundles/packages/{package.number}/"):
                    citizen.goto(base + path)
                    assert axe_violations(citizen) == [], path

                supervisor = pages["supervisor"] = browser.new_context(locale="zh-CN").new_page()
                log_in(supervisor, base, "supervisor", next_path="/bundles/board/")
                supervisor.wait_for_url("**/bundles/board/")
                assert supervisor.locator(".light.red[role=img]").first.get_attribute("aria-label") == "红灯（已超期）"
                assert axe_violations(supervisor) == [], "the package board"
    finally:
        server.stop()
