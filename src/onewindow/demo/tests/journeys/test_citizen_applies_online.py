"""A citizen's journey online: finds 食品经营许可 by its pinyin initials, reads the guide, applies with uploads
(result by free post), is asked for a correction, supplies it, tracks the case, receives the result by post and
sees it in 我的办件 — on a desk screen (the form by keyboard alone) and on a 390-pixel phone, then the same pages in
English and at 200 % zoom. Every page passes axe-core's WCAG 2.1 AA rules in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from onewindow.demo.tests.journeys.district import publish_as
from onewindow.demo.tests.journeys.walk import (
    PASSWORD,
    Audit,
    choose_file_by_keyboard,
    log_in,
    tab_to,
    to_english,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM_NAME = "食品经营许可"
PINYIN = "spjyxk"  # 食品经营许可, by the initials people type
ADDRESS = "重庆市渝中区解放碑民族路 188 号"
TRACKING = "SF1234567890"


@dataclass
class Citizens:
    world: object
    code: str
    scans: Path


@pytest.fixture
def town(site, calendar, tmp_path):
    """市场监管局 with its staff, and 食品经营许可 published for online application with free post."""
    from onewindow.cases.tests.factories import PDF, make_world

    world = make_world()
    item = world.item_a
    publish_as(item, ITEM_NAME, mode_online=True, delivery_post=True)
    for user in (world.citizen, world.clerk_a, world.reviewer_a, world.leader_a):
        user.set_password(PASSWORD)
        user.save()
    type(world.citizen).objects.filter(pk=world.citizen.pk).update(display_name="张三", mobile="13800138000")
    scans = tmp_path
    for name in ("申请书", "场地证明", "场地证明（盖章）"):
        (scans / f"{name}.pdf").write_bytes(PDF + name.encode())
    return Citizens(world=world, code=item.implementation_code, scans=scans)


def _material(town: Citizens, name: str):
    return town.world.item_a.published_version.materials.get(name=name)


def _latest_case(town: Citizens):
    from onewindow.cases.models import Case

    return Case.objects.filter(applicant_user=town.world.citizen).order_by("-id").first()


def _find_and_read(page, site, audit: Audit, town: Citizens) -> None:
    """The catalog's search box with pinyin initials, then the guide of the item found."""
    page.goto(site.url("/"))
    audit.page(page)
    page.fill("input[name=q]", PINYIN)
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    audit.page(page)
    found = page.locator(f"a[href='/items/{town.code}/']")
    assert found.count() >= 1, f"searching {PINYIN!r} does not find {ITEM_NAME}"
    with page.expect_navigation():
        found.first.click()
    audit.page(page)
    assert ITEM_NAME in page.locator("h1").inner_text()


def _fill_by_keyboard(page, town: Citizens) -> None:
    """The application form completed with Tab, typing, arrow keys, Space and Enter alone."""
    tab_to(page, "input[name=applicant_id_number]")
    page.keyboard.type(_id_number())
    tab_to(page, "input[name=applicant_mobile]")
    page.keyboard.press("Control+A")
    page.keyboard.type("13800138000")
    tab_to(page, "input[name=delivery_method]:checked, input[name=delivery_method]")
    for _ in range(4):
        if page.locator("input[name=delivery_method][value=post]").is_checked():
            break
        page.keyboard.press("ArrowRight")
    assert page.locator("input[name=delivery_method][value=post]").is_checked(), "free post chosen by arrow keys"
    tab_to(page, "input[name=postal_address]")
    page.keyboard.type(ADDRESS)
    choose_file_by_keyboard(page, f"input[name=file{_material(town, '申请书').pk}]", town.scans / "申请书.pdf")
    choose_file_by_keyboard(page, f"input[name=file{_material(town, '场地证明').pk}]", town.scans / "场地证明.pdf")
    tab_to(page, "form[enctype] button.primary, form[enctype] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _fill_by_touch(page, town: Citizens) -> None:
    page.fill("input[name=applicant_id_number]", _id_number())
    page.fill("input[name=applicant_mobile]", "13800138000")
    page.check("input[name=delivery_method][value=post]")
    page.fill("input[name=postal_address]", ADDRESS)
    page.set_input_files(f"input[name=file{_material(town, '申请书').pk}]", str(town.scans / "申请书.pdf"))
    page.set_input_files(f"input[name=file{_material(town, '场地证明').pk}]", str(town.scans / "场地证明.pdf"))
    with page.expect_navigation():
        page.locator("form[enctype] button.primary").click()


def _id_number() -> str:
    from onewindow.cases.tests.factories import identity_number

    return identity_number(1)


def _staff_ask_for_a_correction(town: Citizens, case) -> None:
    """The window clerk finds 场地证明 without its seal and says so, once and all at once (一次性告知)."""
    from onewindow.cases import services

    services.request_correction(case, by=town.world.clerk_a, items=[services.CorrectionItem(
        material_id=_material(town, "场地证明").pk, problem="未加盖产权单位公章")])


def _staff_decide_and_post(town: Citizens, case) -> None:
    """Accepted, assigned, approved, the licence issued and posted with its tracking number."""
    from onewindow.cases import services

    world = town.world
    case = services.accept_case(case, by=world.clerk_a)
    case = services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a)
    case = services.approve_case(case, by=world.reviewer_a, legal_basis="《食品经营许可和备案管理办法》第十六条")
    case = services.issue_result(case, by=world.clerk_a, licence_number=f"JY15001030{case.pk:06d}")
    services.deliver_case(case, by=world.clerk_a, method="post", tracking_number=TRACKING, postal_address=ADDRESS)


def _walk(site, town: Citizens, audit: Audit, *, phone: bool) -> None:
    from onewindow.cases.models import Case

    context = site.context(phone=phone)
    page = context.new_page()
    with site.pictures({"citizen-phone" if phone else "citizen-desk": page}):
        _find_and_read(page, site, audit, town)
        # 在线申请 on the guide; the site asks who is applying, then comes back to the form.
        with page.expect_navigation():
            page.locator(f"a[href='/apply/{town.code}/']").first.click()
        assert "/accounts/login/" in page.url, "applying online asks the citizen to sign in"
        audit.page(page)
        page.fill("input[name=username]", "citizen")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        assert page.url.endswith(f"/apply/{town.code}/"), f"after signing in the citizen is on {page.url}"
        audit.page(page)
        assert page.input_value("input[name=applicant_name]") == "张三", "the account holder's name is filled in"
        (_fill_by_touch if phone else _fill_by_keyboard)(page, town)

        case = _latest_case(town)
        assert case is not None and case.channel == "online", "the application was not received"
        assert page.url.endswith(f"/my/cases/{case.number}/"), f"after applying the citizen is on {page.url}"
        assert case.number in page.locator(".messages").inner_text()
        assert case.delivery_method == "post" and case.postal_address == ADDRESS
        audit.page(page)

        _staff_ask_for_a_correction(town, case)
        page.reload()
        correction = page.locator(".correction-list")
        assert "场地证明" in correction.inner_text() and "公章" in correction.inner_text()
        audit.page(page)
        page.set_input_files(f"input[name=file{_material(town, '场地证明').pk}]",
                             str(town.scans / "场地证明（盖章）.pdf"))
        with page.expect_navigation():
            page.locator("form:has(input[name=action][value=submit]) button").click()
        case.refresh_from_db()
        assert case.state == "submitted", f"the correction was not taken: the case is {case.state_label}"
        audit.page(page)

        _staff_decide_and_post(town, Case.objects.get(pk=case.pk))
        case.refresh_from_db()

        # Tracking by number and query code, as printed on the notices; no sign-in needed.
        page.goto(site.url("/track/"))
        audit.page(page)
        page.fill("input[name=number]", case.number)
        page.fill("input[name=code]", case.query_code)
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")
        result = page.locator(".track-result")
        assert case.state_label in result.inner_text(), f"tracking does not show {case.state_label}"
        audit.page(page)

        page.goto(site.url("/my/cases/"))
        row = page.locator(f"a[href='/my/cases/{case.number}/']").first
        assert row.count() == 1, "the case is not among my cases"
        mine = page.locator(f"tr:has(a[href='/my/cases/{case.number}/']), li:has(a[href='/my/cases/{case.number}/']),"
                            f" .card:has(a[href='/my/cases/{case.number}/'])").first
        assert case.state_label in mine.inner_text(), "my cases does not show that the result was delivered"
        audit.page(page)
        with page.expect_navigation():
            row.click()
        assert case.state_label in page.locator("main").inner_text()
        decision = page.locator(f"a[href='/my/cases/{case.number}/notice/approval.pdf']")
        assert decision.count() == 1, "the citizen cannot read the approval decision on their case page"
        assert page.request.get(site.url(f"/my/cases/{case.number}/notice/approval.pdf")).body()[:5] == b"%PDF-"
        audit.page(page)

        # The same pages in English, through the header's switch.
        to_english(page)
        for path in ("/", f"/?q={PINYIN}", f"/items/{town.code}/", f"/apply/{town.code}/", "/my/cases/",
                     f"/my/cases/{case.number}/", f"/track/?number={case.number}&code={case.query_code}"):
            page.goto(site.url(path))
            assert page.locator("html").get_attribute("lang") == "en", f"{path} is not in English"
            audit.page(page, english=True)
        if phone:
            for path in ("/", f"/items/{town.code}/", "/my/cases/", f"/my/cases/{case.number}/"):
                page.goto(site.url(path))
                audit.reflow(page)
    context.close()


def test_a_citizen_applies_online_on_a_desk_screen_with_the_keyboard_alone(site, town, audit):
    _walk(site, town, audit, phone=False)
    audit.assert_clean()


def test_a_citizen_applies_online_on_a_phone(site, town, audit):
    _walk(site, town, audit, phone=True)
    audit.assert_clean()


def test_the_citizen_pages_read_at_200_percent_zoom(site, town, audit):
    """Browser zoom at 200 % on a 1280-pixel screen (see walk.ZOOM_200): no sideways scrolling, nothing cut off."""
    from onewindow.cases.tests.factories import new_case

    case = new_case(town.world, when=None)
    context = site.context(zoom=True)
    page = context.new_page()
    with site.pictures({"citizen-zoom": page}):
        log_in(page, site, "citizen")
        for path in ("/", f"/?q={PINYIN}", f"/items/{town.code}/", f"/apply/{town.code}/", "/my/cases/",
                     f"/my/cases/{case.number}/", f"/track/?number={case.number}&code={case.query_code}"):
            page.goto(site.url(path))
            audit.reflow(page)
    context.close()
    audit.assert_clean()
