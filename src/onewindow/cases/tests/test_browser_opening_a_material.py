"""Browser check: a reviewer on the case page follows the link of an uploaded PDF and the browser is told to show
it in place (inline, application/pdf, nosniff); a reviewer of another department who has the same address gets the
404 page and not a byte of the file."""

from __future__ import annotations

from contextlib import closing

import pytest

from onewindow.core.tests.browser import (
    AsgiServer,
    free_port,
    launch_chromium,
    log_in,
    require_chromium,
    screenshots_on_failure,
)

DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_opens_an_uploaded_pdf_inline_and_another_departments_reviewer_cannot(
        screenshots, short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from onewindow.cases import services
    from onewindow.cases.tests.factories import PDF, make_world, new_case
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2024, 2025, 2026])
    world = make_world()
    for user in (world.reviewer_a, world.reviewer_b):
        user.set_password("pass-word-123")
        user.save()
    case = new_case(world)
    row = services.add_material(case, by=world.clerk_a, content=PDF, filename="申请书.pdf",
                                material_id=case.item_version.materials.order_by("order").first().pk)
    address = f"/workbench/cases/{case.number}/materials/{row.pk}/"
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            own = browser.new_page(viewport=DESKTOP)
            other = browser.new_context(viewport=DESKTOP).new_page()  # a browser of its own: its own session
            with closing(browser), screenshots_on_failure({"own": own, "other": other}, screenshots):
                log_in(own, base, "reviewer_a", next_path=f"/workbench/cases/{case.number}/")
                own.wait_for_url(f"**/workbench/cases/{case.number}/")
                link = own.locator(f"a[href='{address}']")
                assert link.count() == 1, "the case page links the uploaded material"
                assert link.get_attribute("target") == "_blank"
                opened = own.request.get(base + address)
                assert opened.status == 200
                assert opened.headers["content-type"] == "application/pdf"
                assert opened.headers["content-disposition"].startswith("inline;")
                assert opened.headers["x-content-type-options"] == "nosniff"
                assert opened.body() == PDF

                log_in(other, base, "reviewer_b", next_path="/workbench/")
                other.wait_for_url("**/workbench/")
                refused = other.goto(base + address)
                assert refused.status == 404
                assert b"%PDF" not in refused.body()
    finally:
        server.stop()
