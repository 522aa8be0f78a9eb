"""Each department sees only its own sub-cases plus the package summary; others do not see the package."""

import pytest

from onewindow.bundles.selectors import package_page, packages_visible_to
from onewindow.bundles.tests.factories import accepted, decide, sub_case
from onewindow.cases.selectors import cases_visible_to
from onewindow.core.errors import NotFound


def test_a_departments_reviewer_sees_only_its_own_sub_case_and_the_summary(world):
    package = accepted(world)
    decide(world, package, "licence")
    page = package_page(world.reviewers["WS"], package.number)
    assert [s.case.department.code for s in page["sub_cases"]] == ["WS"]
    assert page["counts"]["total"] == 5, "the summary still counts every item"
    assert [row["department"].code for row in page["timeline"]["rows"]] == ["WS"]
    assert list(cases_visible_to(world.reviewers["WS"]).filter(package_link__package=package)) == [
        sub_case(package, "food")]


def test_a_department_outside_the_package_cannot_open_it(world):
    package = accepted(world)
    assert not packages_visible_to(world.outsider).filter(pk=package.pk).exists()
    with pytest.raises(NotFound):
        package_page(world.outsider, package.number)


def test_the_applicant_the_window_and_supervisors_follow_every_sub_case(world):
    package = accepted(world)
    for user in (world.citizen, world.window, world.supervisor, world.lead_clerk):
        page = package_page(user, package.number)
        assert len(page["sub_cases"]) == 5, user.username


def test_the_lead_department_sees_the_whole_timeline_but_opens_only_its_own_cases(world):
    package = accepted(world)
    page = package_page(world.lead_clerk, package.number)
    assert {s.case.department.code for s in page["sub_cases"]} == {"SC", "HB", "WS", "XF", "PS"}
    assert page["own_case_ids"] == {sub_case(package, "licence").pk}


def test_another_citizen_cannot_see_the_package(world):
    from onewindow.core.models import Role, User

    other = User.objects.create(username="other", role=Role.CITIZEN)
    package = accepted(world)
    assert not packages_visible_to(other).exists()
    assert packages_visible_to(world.citizen).get() == package
