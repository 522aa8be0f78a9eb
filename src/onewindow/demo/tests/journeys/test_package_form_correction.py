"""一表申请 in the demo district, from the citizen's side to the reviewer's: the demo citizen opens 开饭店, fills the
package's one application form — choosing 餐饮服务经营者 by keyboard makes 加工操作区面积 and 就餐座位数 appear — saves a
draft, leaves, comes back to find it resumed, and submits; the 综合窗口 clerk names the form field 经营面积 in a
correction notice on the package page; the citizen sees the notice naming that field, finds every other answer
read-only, changes the floor area by keyboard alone and resubmits; the window accepts; the ecology and environment
bureau's reviewer opens its sub-case and reads the floor area's before and after (补正前后对照). Every account is a demo
account signed in through the login page with the password the demo gives it; every page passes axe-core's WCAG
2.1 AA rules; in English the form's labels are English, and the package page has no Chinese left but the
applicant's words."""

from __future__ import annotations

import pytest

from onewindow.demo.tests.journeys.walk import log_in, tab_to, to_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEME = "restaurant"
APPLY = f"/bundles/themes/{THEME}/apply/"
SHOP = "渝中味道餐饮店"
ENV_ITEM = "建设项目环境影响登记表备案"  # starts at acceptance: it waits for no other item
PROBLEM = "经营面积与房产证记载不符"
# The package form's answers as the citizen types them: name → value (text and numbers).
TYPED = {
    "answers.applicant_name": SHOP,
    "answers.business_address.province": "重庆市", "answers.business_address.city": "重庆市",
    "answers.business_address.district": "渝中区", "answers.business_address.street": "解放碑街道",
    "answers.business_address.detail": "民族路 188 号",
    "answers.business_scope": "餐饮服务；食品销售",
    "answers.floor_area": "120", "answers.employees": "8", "answers.contact_mobile": "13800138000",
    "answers.project_name": "渝中味道餐饮店装修项目", "answers.credit_code": "91500103MA0000007E",
    "answers.legal_representative": "李四", "answers.total_investment": "80", "answers.env_investment": "6",
    "answers.kitchen_area": "30", "answers.seats": "40", "answers.safety_manager": "刘洋",
    "answers.staff.0.name": "王五", "answers.staff.0.id_number": "50010319900101007X",
    "answers.staff.0.post": "厨师",
    "answers.floors": "1层", "answers.capacity": "60", "answers.fire_manager": "黄磊",
    "answers.fire_manager_mobile": "13900139000", "answers.opening_date": "2027-03-01",
    "answers.daily_discharge": "12", "answers.outlets": "1",
}
CHOSEN = {
    "answers.organization_form": "individual", "answers.industry": "catering", "answers.project_nature": "rebuild",
    "answers.measures": "fume", "answers.business_items": "hot", "answers.online": "no",
    "answers.venue_type": "restaurant", "answers.pledge": "yes", "answers.drainage_category": "catering",
    "answers.pretreatment": "grease",
}


@pytest.fixture
def district(site, calendar, settings, tmp_path):
    """The demo district as `onewindow demo` seeds it for this journey: the catalog (seed 2018), its staff and
    citizen accounts with their passwords in ./var/demo-passwords.txt, and the four themes' forms."""
    from onewindow.catalog.tests.factories import item_type
    from onewindow.demo import services
    from onewindow.demo.forms_data import theme_item_names

    item_type()  # the GB/T 39046 item types, seeded again if an earlier transactional test flushed them
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin, _ = services.ensure_admin()
    services.seed_catalog(seed=2018, by=admin)
    services.ensure_staff_accounts(by=admin)
    services.seed_forms("forms_themes", theme_item_names(), seed=2018, by=admin)
    return services.read_passwords()


def _form(page):
    return page.locator("form[enctype]")


def _fill(page) -> None:
    """Everything the package's form asks that is not filled in for the citizen already."""
    for name, value in TYPED.items():
        if name in ("answers.kitchen_area", "answers.seats"):
            continue  # asked only once 餐饮服务经营者 is chosen
        page.fill(f"[name='{name}']", value)
    for name, value in CHOSEN.items():
        page.check(f"[name='{name}'][value='{value}']")


def _open(page, site, path: str) -> None:
    page.goto(site.url(path))
    page.wait_for_load_state("load")


def test_a_citizen_answers_a_correction_naming_one_field_of_the_package_form_and_the_reviewer_sees_it(
        site, district, audit, tmp_path):
    from onewindow.bundles.models import Package
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import PDF

    scan = tmp_path / "材料.pdf"
    scan.write_bytes(PDF)

    passwords = district
    citizen = site.context().new_page()
    window = site.context().new_page()
    reviewer = site.context().new_page()
    with site.pictures({"citizen": citizen, "window": window, "reviewer": reviewer}):
        # The citizen finds 开饭店 and its one form.
        log_in(citizen, site, "citizen", password=passwords["citizen"], next_path=f"/themes/{THEME}/")
        audit.page(citizen)
        with citizen.expect_navigation():
            citizen.locator(f"a[href$='{APPLY}']").first.click()
        audit.page(citizen)
        assert citizen.locator("[name='answers.floor_area']").count() == 1, "经营面积 is asked once for the package"
        kitchen, seats = citizen.locator("#answers-kitchen_area-field"), citizen.locator("#answers-seats-field")
        assert kitchen.is_hidden() and seats.is_hidden(), "the kitchen and seats are asked only of a caterer"
        assert citizen.input_value("[name='answers.contact_name']") == "演示群众", "the account's name is filled in"
        _fill(citizen)

        # By keyboard: Tab into 主体业态 and move to 餐饮服务经营者; its two questions appear.
        tab_to(citizen, "[name='answers.business_type']")
        citizen.keyboard.press("ArrowDown")
        assert citizen.is_checked("[name='answers.business_type'][value='catering']")
        assert kitchen.is_visible() and seats.is_visible(), "a caterer is asked its kitchen and seats"
        audit.page(citizen)
        citizen.fill("[name='answers.kitchen_area']", TYPED["answers.kitchen_area"])
        citizen.fill("[name='answers.seats']", TYPED["answers.seats"])
        with citizen.expect_navigation():
            citizen.click("button[value=save_draft]")
        assert Package.objects.count() == 0, "a draft is not an application"

        # Away and back: the draft is resumed, the conditional questions with it.
        _open(citizen, site, "/my/cases/")
        _open(citizen, site, APPLY)
        assert "已恢复" in citizen.locator(".draft-note").inner_text()
        assert citizen.input_value("[name='answers.floor_area']") == "120"
        assert citizen.input_value("[name='answers.seats']") == "40"
        assert citizen.is_checked("[name='answers.business_type'][value='catering']")
        assert kitchen.is_visible(), "the resumed answer shows its conditional field"
        audit.page(citizen)
        # The applicant's own mobile (申请人, above the form) is not part of the draft: the draft keeps the form.
        citizen.fill("[name=applicant_mobile]", "13800138000")
        for upload in _form(citizen).locator("input[type=file]").all():  # files are not kept with a draft
            upload.set_input_files(str(scan))
        with citizen.expect_navigation():
            citizen.click("button[value=submit]")
        package = Package.objects.filter(theme__code=THEME).first()
        assert package is not None, "the package application was not received: " + _errors(citizen)
        assert f"/bundles/packages/{package.number}/" in citizen.url
        audit.page(citizen)

        # The 综合窗口 clerk names 经营面积 in a correction notice on the package page.
        log_in(window, site, "window", password=passwords["window"], next_path=f"/bundles/packages/{package.number}/")
        audit.page(window)
        window.select_option("select[name=line_field]", "floor_area")
        window.fill("input[name=line_problem]", PROBLEM)
        with window.expect_navigation():
            window.click("button:has-text('发出补正告知')")
        assert "已一次性告知补正" in window.locator("body").inner_text()
        audit.page(window)

        # The citizen reads the notice naming the field; every other answer is shown, not editable.
        citizen.reload()
        notice = citizen.locator("li", has_text=PROBLEM)
        assert notice.count() == 1 and "申请表字段" in notice.inner_text() and "经营面积" in notice.inner_text()
        correction = citizen.locator("section[aria-labelledby=answers-form-title]")
        editable = correction.locator("input:not([type=hidden]), select, textarea")
        assert [editable.nth(i).get_attribute("name") for i in range(editable.count())] == ["answers.floor_area"]
        assert correction.locator(".fixed", has_text="不可修改").count() > 10
        assert SHOP in correction.locator("#answers-applicant_name-field").inner_text()
        audit.page(citizen)
        # By keyboard alone: Tab to the floor area, type the new one, Enter submits the correction.
        tab_to(citizen, "[name='answers.floor_area']")
        citizen.keyboard.press("Control+A")
        citizen.keyboard.type("150")
        with citizen.expect_navigation():
            citizen.keyboard.press("Enter")
        assert "申请表已补正" in citizen.locator("body").inner_text()
        changes = citizen.locator("table.answer-changes")
        assert "120 平方米" in changes.locator("del").first.inner_text()
        assert "150 平方米" in changes.locator("ins").first.inner_text()
        audit.page(citizen)

        # The window accepts the corrected package; the sub-cases go to their departments.
        window.reload()
        assert "已补齐" in window.locator("main").inner_text(), "the window sees the notice answered"
        with window.expect_navigation():
            window.click("button:has-text('一窗受理')")
        audit.page(window)

        # The ecology and environment bureau's reviewer finds its sub-case on the desk, opens it and sees the floor
        # area's before and after.
        env = Case.objects.get(package_link__package=package, item__published_version__name=ENV_ITEM)
        log_in(reviewer, site, "sthj-reviewer", password=passwords["sthj-reviewer"], next_path="/workbench/")
        audit.page(reviewer)
        with reviewer.expect_navigation():
            reviewer.locator(f"a[href$='/workbench/cases/{env.number}/']").first.click()
        audit.page(reviewer)
        answers = reviewer.locator("#answers")
        assert "150 平方米" in answers.locator("dl").inner_text()
        row = answers.locator("table.answer-changes tr", has_text="面积")
        assert row.count() == 1, "the reviewer sees one change, the floor area"
        assert "120 平方米" in row.locator("del").inner_text() and "150 平方米" in row.locator("ins").inner_text()
        # What the pages said is what was recorded.
        env.refresh_from_db()
        assert (env.first_answers["floor_area"], env.answers["floor_area"]) == (120, 150)

        # In English the reviewer reads the field as the environment form names it (占地（经营）面积), the citizen
        # as the package's one form does; numbers with their units in English.
        to_english(reviewer)
        changes = reviewer.locator("#answers table.answer-changes").inner_text()
        assert "Site (business) area" in changes and "150 m²" in changes and "面积" not in changes
        to_english(citizen)
        citizen.goto(site.url(f"/bundles/packages/{package.number}/"))
        changes = citizen.locator("table.answer-changes").inner_text()
        assert "150 m²" in changes and "120 m²" in changes and "面积" not in changes, changes
        audit.page(citizen, english=True)
    audit.assert_clean()


def _errors(page) -> str:
    found = page.locator(".form-errors, .errorlist")
    return " | ".join(found.nth(i).inner_text() for i in range(found.count()))
