"""Corrections are gathered into one notice for the applicant (一次性告知); one supply resumes every sub-case."""

import pytest

from onewindow.bundles import services
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import PackageCorrection
from onewindow.bundles.tests.factories import FORM, PDF, apply, at, sub_case
from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Notice
from onewindow.core.errors import InvalidInput


def _without(*names):
    return [n for n in FORM if n not in names]


def test_the_window_sends_one_notice_listing_its_findings_and_everything_still_missing(world, django_capture_on_commit_callbacks):
    package = apply(world, names=_without("排水设施图"))
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.request_package_correction(
            package, by=world.window, lines=[services.CorrectionLine("租赁合同", "缺少出租方签字")], at=at("2025-09-02"))
    names = {line["name"]: line for line in correction.items}
    assert set(names) == {"租赁合同", "排水设施图"}
    assert names["租赁合同"]["problem"] == "缺少出租方签字"
    assert len(names["租赁合同"]["cases"]) == 4, "the lease concerns four sub-cases, told once"
    assert PackageCorrection.objects.filter(package=package).count() == 1
    notices = Notice.objects.filter(recipient=world.citizen, kind="package_correction")
    assert notices.count() == 1, "the applicant receives one combined notice"
    assert "租赁合同" in notices.get().body and "排水设施图" in notices.get().body
    package.refresh_from_db()
    assert package.state == PackageState.CORRECTION_REQUESTED
    assert sub_case(package, "licence").state == State.CORRECTION_REQUESTED
    assert sub_case(package, "env").state == State.CORRECTION_REQUESTED


def test_supplying_the_material_once_resumes_every_sub_case_that_waited_for_it(world):
    package = apply(world)
    services.request_package_correction(package, by=world.window,
                                        lines=[services.CorrectionLine("租赁合同", "缺少出租方签字")], at=at("2025-09-02"))
    services.supply_package_material(package, by=world.citizen, name="租赁合同", content=PDF + b"signed",
                                     filename="lease.pdf", at=at("2025-09-03"))
    assert sub_case(package, "licence").state == State.SUBMITTED
    assert sub_case(package, "env").state == State.SUBMITTED
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
    assert PackageCorrection.objects.get(package=package).resolved_at is not None
    services.accept_package(package, by=world.window, at=at("2025-09-03", 15))
    assert sub_case(package, "licence").state == State.ACCEPTED


def test_a_missing_material_blocks_acceptance_until_it_is_supplied(world):
    package = apply(world, names=_without("消防设计图"))
    with pytest.raises(InvalidInput) as caught:
        services.accept_package(package, by=world.window, at=at("2025-09-01", 11))
    assert "消防设计图" in caught.value.message
    services.request_package_correction(package, by=world.window, at=at("2025-09-01", 11))
    services.supply_package_material(package, by=world.citizen, name="消防设计图", content=PDF + b"fire",
                                     filename="fire.pdf", at=at("2025-09-02"))
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
    services.accept_package(package, by=world.window, at=at("2025-09-02", 11))


def test_a_departments_own_correction_request_joins_the_packages_one_notice(world, django_capture_on_commit_callbacks):
    package = apply(world)
    env = sub_case(package, "env")
    with django_capture_on_commit_callbacks(execute=True):
        case_services.request_correction(env, by=world.clerks["HB"], at=at("2025-09-02"), items=[
            case_services.CorrectionItem(problem="数据不完整", material_id=env.item_version.materials.get(
                name="环境影响登记表").pk)])
    package.refresh_from_db()
    assert package.state == PackageState.CORRECTION_REQUESTED
    correction = PackageCorrection.objects.get(package=package)
    assert [line["name"] for line in correction.items] == ["环境影响登记表"]
    services.supply_package_material(package, by=world.citizen, name="环境影响登记表", content=PDF + b"v2",
                                     filename="env.pdf", at=at("2025-09-03"))
    assert sub_case(package, "env").state == State.SUBMITTED
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED


def test_a_correction_with_nothing_to_correct_is_refused(world):
    package = apply(world)
    with pytest.raises(InvalidInput):
        services.request_package_correction(package, by=world.window, at=at("2025-09-02"))
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
    assert not PackageCorrection.objects.exists()
