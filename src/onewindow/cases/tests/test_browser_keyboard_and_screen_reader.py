"""In Chromium, by keyboard: the first Tab stop is the skip link, which leads into the main content; a refused
application moves the focus to its error summary, whose link puts the focus in the field; the focus ring, the
fields' edges and the lights' shapes stand out (3:1 or more); the case pages pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import datetime as dt
import re
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

PAGE_BACKGROUND = (244, 247, 251)  # --bg
WHITE = (255, 255, 255)


def _rgb(css: str) -> tuple[int, int, int]:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return red, green, blue


def _contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.textContent.trim(),
                outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor}; }""")


def _assert_visible_ring(focused: dict, background: tuple[int, int, int]) -> None:
    assert focused["outlineStyle"] not in ("none", "") and focused["outlineWidth"] >= 2, focused
    assert _contrast(_rgb(focused["outlineColor"]), background) >= 3, focused


def _world():
    from onewindow.cases.lifecycle import State
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import case_in_state, make_world
    from onewindow.catalog.models import ItemVersion
    from onewindow.workdays.selectors import is_working_day
    from onewindow.workdays.services import seed_from_package

    today = dt.date.today()
    seed_from_package(years=[today.year - 1, today.year, today.year + 1])
    world = make_world()
    for user in (world.citizen, world.clerk_a, world.supervisor):
        user.set_password("pass-word-123")
        user.save()
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    def accepted_on(day: dt.date, n: int):
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
        return case_in_state(world, State.ACCEPTED, n=n, when=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC))

    red = accepted_on(today - dt.timedelta(days=90), 1)
    accepted_on(today - dt.timedelta(days=1), 2)  # green
    yellow = accepted_on(today - dt.timedelta(days=1), 3)
    Case.objects.filter(pk=yellow.pk).update(clock_warn_on=today)  # its warning day has come
    return world, red


def _citizen_applies_by_keyboard(page, base: str, code: str) -> None:
    page.goto(f"{base}/apply/{code}/")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert (skip["tag"], skip["text"]) == ("a", "跳到主要内容"), "the first Tab stop is the skip link"
    _assert_visible_ring(skip, WHITE)
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main", "the skip link leads into the main content"

    page.fill("input[name=applicant_name]", "")
    page.fill("input[name=applicant_id_number]", "12345")
    page.locator("form button.primary").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".form-errors")
    summary = _focused(page)
    assert "form-errors" in summary["cls"], f"the focus is on the error summary, not {summary}"
    assert axe_violations(page) == []

    page.keyboard.press("Tab")
    link = _focused(page)
    assert link["tag"] == "a" and link["text"], link
    _assert_visible_ring(link, (253, 236, 236))  # the summary's pale red
    page.keyboard.press("Enter")
    field = _focused(page)
    assert field["tag"] in ("input", "select", "textarea") and field["id"], field
    assert page.locator(f"#{field['id']}").get_attribute("aria-invalid") == "true"
    _assert_visible_ring(field, WHITE)
    edge = page.evaluate("getComputedStyle(document.querySelector('input[name=applicant_mobile]')).borderTopColor")
    assert _contrast(_rgb(edge), WHITE) >= 3, "a field's edge stands out from the page (1.4.11)"


def _lights_have_names_and_shapes(page) -> None:
    named = page.locator(".light[role=img]")
    assert named.count() >= 1 and all(named.nth(i).get_attribute("aria-label") for i in range(named.count()))
    shapes = page.evaluate("""() => ['green', 'yellow', 'red'].map((light) => {
        const mark = document.createElement('span'); mark.className = 'light ' + light;
        document.querySelector('main').append(mark); const s = getComputedStyle(mark);
        const shape = [s.borderRadius, s.clipPath].join(' '); const colour = s.backgroundColor; mark.remove();
        return {shape, colour}; })""")
    assert len({s["shape"] for s in shapes}) == 3, f"each light has a shape of its own: {shapes}"
    for light in shapes:
        assert _contrast(_rgb(light["colour"]), WHITE) >= 3, f"a light stands out from a white row: {light}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_and_screen_reader_users_get_through_the_forms_and_the_case_pages(screenshots,
                                                                                  short_lived_connections):
    require_chromium()
    from playwright.sync_api import sync_playwright

    world, red = _world()
    server = AsgiServer(free_port()).start()
    base = f"http://127.0.0.1:{server.port}"
    pages: dict = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with closing(browser), screenshots_on_failure(pages, screenshots):
                citizen = pages["citizen"] = browser.new_context(locale="zh-CN").new_page()
                citizen.goto(f"{base}/accounts/login/")
                assert axe_violations(citizen) == []
                log_in(citizen, base, "citizen", next_path="/my/cases/")
                citizen.wait_for_url("**/my/cases/")
                _citizen_applies_by_keyboard(citizen, base, world.item_a.implementation_code)
                for path in ("/my/cases/", f"/my/cases/{red.number}/", "/track/"):
                    citizen.goto(base + path)
                    assert axe_violations(citizen) == [], path

                staff = pages["supervisor"] = browser.new_context(locale="zh-CN").new_page()
                log_in(staff, base, "supervisor", next_path="/workbench/board/")
                staff.wait_for_url("**/workbench/board/")
                assert staff.locator(".count.green, .count.yellow, .count.red").count() >= 3, "every light counted"
                assert axe_violations(staff) == [], "the supervision board"
                # axe leaves one-digit counts undecided ("too short"); the demo's two-digit ones failed: measure
                counts = staff.evaluate("[...document.querySelectorAll('.count, .count a')].map(e => "
                                        "[e.className, getComputedStyle(e).color])")
                assert all(_contrast(_rgb(colour), WHITE) >= 4.5 for _, colour in counts), counts
                for path in ("/workbench/board/?list=red", "/workbench/board/?list=yellow",
                             f"/workbench/cases/{red.number}/"):
                    staff.goto(base + path)
                    assert axe_violations(staff) == [], path

                clerk = pages["clerk"] = browser.new_context(locale="zh-CN").new_page()
                log_in(clerk, base, "clerk_a", next_path="/workbench/")
                clerk.wait_for_url("**/workbench/")
                assert axe_violations(clerk) == [], "the workbench"
                _lights_have_names_and_shapes(clerk)
    finally:
        server.stop()
