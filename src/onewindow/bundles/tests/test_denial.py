"""If an item is denied, the package still finishes and reports which items were approved and which were not."""

import datetime as dt

from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.bundles.selectors import package_report, sub_cases_of
from onewindow.bundles.tests.factories import accepted, decide, sub_case
from onewindow.cases.lifecycle import State


def test_denying_one_item_finishes_the_package_with_a_report_of_approved_and_denied_items(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-02")
    decide(world, package, "env", when="2025-09-02")
    decide(world, package, "food", when="2025-09-05")
    decide(world, package, "drain", when="2025-09-05")
    decide(world, package, "fire", approve=False, reason="疏散通道宽度不足", when="2025-09-08")
    package = Package.objects.get(pk=package.pk)
    assert package.state == PackageState.DECIDED
    assert package.finished_on == dt.date(2025, 9, 8)
    report = package_report(sub_cases_of(package))
    assert sorted(r["item"] for r in report["approved"]) == ["drain许可", "env许可", "food许可",
                                                             "licence许可"]
    assert [(r["item"], r["reason"]) for r in report["not_approved"]] == [("fire许可", "疏散通道宽度不足")]


def test_denying_a_prerequisite_stops_the_items_that_needed_it_and_says_why(world):
    package = accepted(world)
    decide(world, package, "env", when="2025-09-02")
    decide(world, package, "licence", approve=False, reason="名称与已登记企业重复", when="2025-09-03")
    for key in ("food", "fire", "drain"):
        case = sub_case(package, key)
        assert case.state == State.WITHDRAWN, f"{key} can never start without the licence"
        assert "licence许可" in case.closed_reason
    package = Package.objects.get(pk=package.pk)
    assert package.state == PackageState.DECIDED
    report = package_report(sub_cases_of(package))
    assert [r["item"] for r in report["approved"]] == ["env许可"]
    assert {r["item"] for r in report["not_approved"]} == {"licence许可", "food许可", "fire许可", "drain许可"}


def test_the_package_is_not_finished_while_one_item_is_still_in_review(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-02")
    decide(world, package, "env", when="2025-09-02")
    decide(world, package, "food", when="2025-09-05")
    decide(world, package, "fire", when="2025-09-05")
    package = Package.objects.get(pk=package.pk)
    assert package.state == PackageState.ACCEPTED
    assert package.finished_on is None
