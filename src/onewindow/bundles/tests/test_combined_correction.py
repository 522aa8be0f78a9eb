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
from onewindow.core.models import AuditEvent


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


def _department_correction(world, package, key: str, material: str, problem: str, when: str = "2025-09-02"):
    case = sub_case(package, key)
    return case_services.request_correction(case, by=world.clerks[case.department.code], at=at(when), items=[
        case_services.CorrectionItem(problem=problem, material_id=case.item_version.materials.get(name=material).pk)])


def _package_messages(world) -> list[str]:
    return list(Notice.objects.filter(recipient=world.citizen, kind="package_correction").order_by("id")
                .values_list("body", flat=True))


def test_the_window_notice_reaching_four_sub_cases_is_one_message_to_the_applicant(world,
                                                                                 django_capture_on_commit_callbacks):
    package = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                            lines=[services.CorrectionLine("租赁合同", "缺少出租方签字")])
    assert sub_case(package, "licence").corrections.count() == 1, "each waiting sub-case has its own notice"
    assert sub_case(package, "env").corrections.count() == 1
    assert len(_package_messages(world)) == 1
    assert AuditEvent.objects.filter(action="package.request_correction", object_id=str(package.pk)).count() == 1


def test_a_second_department_asking_for_the_same_material_adds_its_case_but_no_message(
        world, django_capture_on_commit_callbacks):
    package = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        _department_correction(world, package, "licence", "租赁合同", "缺少出租方签字")
        _department_correction(world, package, "env", "租赁合同", "缺少出租方签字")
    [line] = PackageCorrection.objects.get(package=package).items
    assert line["name"] == "租赁合同"
    assert line["cases"] == sorted([sub_case(package, "licence").number, sub_case(package, "env").number])
    assert len(_package_messages(world)) == 1, "the applicant already knows to bring the lease again"


def test_a_department_adding_a_new_material_tells_the_applicant_the_whole_notice_again(
        world, django_capture_on_commit_callbacks):
    package = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        _department_correction(world, package, "licence", "申请书", "未签名")
        _department_correction(world, package, "env", "环境影响登记表", "数据不完整")
    messages = _package_messages(world)
    assert len(messages) == 2
    assert "申请书" in messages[-1] and "环境影响登记表" in messages[-1], "the second message is the whole notice"
    assert PackageCorrection.objects.filter(package=package).count() == 1, "still one notice"
