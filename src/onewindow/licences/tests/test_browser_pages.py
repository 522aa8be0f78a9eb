"""Browser check on a phone: the holder's 我的证照 list and licence page (with its renewal form), the department's
register and a licence page with the 撤销 / 注销 forms pass axe-core's WCAG 2.1 AA rules, in Chinese and English,
and fit the screen."""

from __future__ import annotations

from contextlib import closing

import pytest
from django.conf import settings

from onewindow.core.tests.browser import (
    PHONE,
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
def test_the_licence_pages_pass_wcag_aa_on_a_phone(screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from onewindow.cases.tests.factories import make_world
    from onewindow.licences.tests.factories import issued_licence, term
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2024, 2025, 2026])
    world = make_world()
    term(world, 5)
    licence = issued_licence(world)
    for user in (world.citizen, world.leader_a):
        user.set_password("pass-word-123")
        user.save()
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            for username, paths in (("citizen", ["/my/licences/", f"/my/licences/{licence.pk}/"]),
                                    ("leader_a", ["/workbench/licences/", f"/workbench/licences/{licence.pk}/"])):
                for locale in ("zh-CN", "en"):
                    context = browser.new_context(viewport=PHONE, locale=locale)
                    if locale == "en":  # English by the visitor's choice (the switch's cookie), not the browser's
                        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
                    page = context.new_page()
                    with closing(context), screenshots_on_failure({f"{username}-{locale}": page}, screenshots):
                        log_in(page, base, username, next_path=paths[0])
                        page.wait_for_url(f"**{paths[0]}")
                        if locale == "en":  # chosen English: the site answers in it
                            assert page.locator("html").get_attribute("lang") == "en"
                        for path in paths:
                            page.goto(f"{base}{path}")
                            assert licence.number in page.content()
                            assert axe_violations(page) == [], (username, locale, path)
                            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            browser.close()
    finally:
        server.stop()
