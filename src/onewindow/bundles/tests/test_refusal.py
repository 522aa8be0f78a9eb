"""Refusing a package (不予受理) closes it and every sub-case with it, for the same reason, in one act."""

import pytest

from onewindow.bundles import services
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package, PackageCorrection
from onewindow.bundles.tests.factories import FORM, apply, at, sub_case
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Notice
from onewindow.core.errors import IllegalTransition, InvalidInput
from onewindow.core.models import AuditEvent


def test_refusing_refuses_the_submitted_sub_cases_and_withdraws_the_waiting_ones(world, django_capture_on_commit_callbacks):
    package = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_package(package, by=world.window, reason="不属于本中心受理范围", at=at("2025-09-02"))
    for key in ("licence", "env"):
        case = sub_case(package, key)
        assert (case.state, case.closed_reason) == (State.NOT_ACCEPTED, "不属于本中心受理范围")
    for key in ("food", "fire", "drain"):
        case = sub_case(package, key)
        assert case.state == State.WITHDRAWN, f"{key} waited for its prerequisites"
        assert case.closed_reason == "一件事不予受理：不属于本中心受理范围", "the package's reason, not a prerequisite's"
    package = Package.objects.get(pk=package.pk)
    assert (package.state, package.closed_reason) == (PackageState.NOT_ACCEPTED, "不属于本中心受理范围")
    assert Notice.objects.filter(recipient=world.citizen, kind="package_refused").count() == 1
    assert AuditEvent.objects.filter(action="package.refuse", object_id=str(package.pk)).count() == 1


def test_refusing_a_package_waiting_for_correction_closes_its_notice(world):
    package = apply(world, names=[n for n in FORM if n != "申请书"])
    services.request_package_correction(package, by=world.window, at=at("2025-09-01", 11))
    services.refuse_package(package, by=world.window, reason="逾期未补正", at=at("2025-09-08"))
    assert PackageCorrection.objects.get(package=package).resolved_at is not None
    assert sub_case(package, "licence").state == State.WITHDRAWN, "a sub-case waiting for correction is withdrawn"
    assert Package.objects.get(pk=package.pk).state == PackageState.NOT_ACCEPTED


def test_a_refusal_without_a_reason_or_of_an_accepted_package_changes_nothing(world):
    package = apply(world)
    with pytest.raises(InvalidInput) as caught:
        services.refuse_package(package, by=world.window, reason="  ", at=at("2025-09-02"))
    assert caught.value.fields == {"reason": "required"}
    assert sub_case(package, "licence").state == State.SUBMITTED
    services.accept_package(package, by=world.window, at=at("2025-09-02"))
    with pytest.raises(IllegalTransition):
        services.refuse_package(Package.objects.get(pk=package.pk), by=world.window, reason="晚了", at=at("2025-09-03"))
    assert sub_case(package, "licence").state == State.ACCEPTED
    assert Package.objects.get(pk=package.pk).state == PackageState.ACCEPTED
