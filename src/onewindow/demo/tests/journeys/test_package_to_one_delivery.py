"""一件事 from the applicant's side: a restaurant company applies once for 开饭店 on the merged form, the window
accepts it, and the company follows its five sub-cases — those without prerequisites start at once, the others
when theirs are decided — to one delivery of every result. In 我的办件 the sub-cases are part of the package, never
drafts to resubmit. Every page passes axe-core's WCAG 2.1 AA rules in both languages."""

from __future__ import annotations

import pytest

from onewindow.demo.tests.journeys.district import publish_as
from onewindow.demo.tests.journeys.walk import PASSWORD, log_in, to_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {"licence": "企业设立登记", "env": "建设项目环境影响登记表备案", "food": "食品经营许可",
         "fire": "公众聚集场所投入使用营业前消防安全检查", "drain": "城镇污水排入排水管网许可"}
WITHOUT_PREREQUISITES = ("licence", "env")
TRACKING = "EMS9876543210"
ADDRESS = "重庆市渝中区较场口 88 号"


@pytest.fixture
def restaurant(site, calendar):
    from onewindow.bundles.tests.factories import make_world

    world = make_world()
    for key, item in world.items.items():
        publish_as(item, NAMES[key])
    world.citizen.set_password(PASSWORD)
    world.citizen.save()
    return world


def _choose(page, name: str, value: str) -> None:
    """A choice field, whether the page shows it as radio buttons or a list."""
    field = page.locator(f"[name={name}]")
    if field.first.evaluate("el => el.tagName") == "SELECT":
        field.select_option(value)
    else:
        page.check(f"[name={name}][value={value}]")


def _decide_what_has_started(world) -> int:
    """Each department decides and issues the sub-cases of the package that are running; returns how many."""
    from onewindow.cases import services
    from onewindow.cases.models import Case

    done = 0
    for case in Case.objects.filter(package_link__isnull=False, state__in=("accepted", "in_review")):
        case = services.approve_case(case, by=world.reviewers[case.department.code], legal_basis="有关法规")
        services.issue_result(case, by=world.clerks[case.department.code],
                              licence_number=f"{case.department.code}-{case.pk:05d}")
        done += 1
    return done


def test_a_company_applies_for_a_package_and_follows_its_sub_cases_to_one_delivery(site, restaurant, audit,
                                                                                  tmp_path):
    from onewindow.bundles import services as bundles
    from onewindow.bundles.models import Package
    from onewindow.bundles.tests.factories import credit_code
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import PDF

    world = restaurant
    scan = tmp_path / "材料.pdf"
    scan.write_bytes(PDF)
    context = site.context()
    page = context.new_page()
    with site.pictures({"package": page}):
        log_in(page, site, "citizen", next_path="/themes/")
        audit.page(page)
        with page.expect_navigation():
            page.locator("a[href*='/themes/restaurant/']").first.click()
        audit.page(page)
        with page.expect_navigation():
            page.locator("a[href$='/themes/restaurant/apply/']").first.click()
        audit.page(page)
        theme_pages = {page.url.split(site.base, 1)[-1]}

        _choose(page, "applicant_kind", "organization")
        name = page.locator("[name=applicant_name]")
        name.fill("渝中味道餐饮有限公司1")
        page.fill("[name=id_number], [name=applicant_id_number]", credit_code(1))
        page.fill("[name=legal_representative]", "李四")
        page.fill("[name=mobile], [name=applicant_mobile]", "13800138000")
        _choose(page, "delivery_method", "post")
        page.fill("[name=postal_address]", ADDRESS)
        for upload in page.locator("form[enctype] input[type=file]").all():
            upload.set_input_files(str(scan))
        with page.expect_navigation():
            page.locator("form[enctype] button[type=submit], form[enctype] button.primary").last.click()
        package = Package.objects.filter(applicant_user=world.citizen).first()
        assert package is not None, "the package application was not received"
        assert f"/bundles/packages/{package.number}/" in page.url
        for key in WITHOUT_PREREQUISITES:
            row = page.locator(".gantt-row", has_text=NAMES[key])
            assert "等待前置事项" not in row.inner_text(), f"{NAMES[key]} has no prerequisite yet is said to wait"
        audit.page(page)

        bundles.accept_package(package, by=world.window)
        rounds = 0
        while _decide_what_has_started(world):
            rounds += 1
            page.reload()
            audit.page(page)
            assert rounds <= len(NAMES), "the sub-cases never finish"
        package.refresh_from_db()
        assert rounds == 2, "the items without prerequisites did not start first, the others after them"
        assert package.state == "decided", f"every sub-case is decided, yet the package is {package.state}"

        # 我的办件: the sub-cases belong to the package; none is a draft to be resubmitted.
        page.goto(site.url("/my/cases/"))
        audit.page(page)
        sub_cases = list(Case.objects.filter(package_link__package=package))
        assert len(sub_cases) == len(NAMES)
        first = page.locator(f"a[href='/my/cases/{sub_cases[0].number}/']")
        if first.count():
            with page.expect_navigation():
                first.first.click()
            audit.page(page)
            assert page.locator("input[name=action][value=submit]").count() == 0, \
                "a sub-case of a package offers to resubmit the application"

        bundles.deliver_package(package, by=world.window, method="post", tracking_number=TRACKING,
                                postal_address=ADDRESS)
        page.goto(site.url(f"/bundles/packages/{package.number}/"))
        audit.page(page)
        package.refresh_from_db()
        assert package.state_label in page.locator("main").inner_text()
        delivered = {(c.state, c.tracking_number, c.delivered_on) for c in Case.objects.filter(pk__in=[
            c.pk for c in sub_cases])}
        assert len(delivered) == 1 and next(iter(delivered))[1] == TRACKING, \
            f"the results did not go out in one delivery: {delivered}"

        to_english(page)
        for path in ("/themes/", *theme_pages, f"/bundles/packages/{package.number}/", "/my/cases/"):
            page.goto(site.url(path))
            audit.page(page, english=True)
    context.close()
    audit.assert_clean()
