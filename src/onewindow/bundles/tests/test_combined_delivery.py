"""Results are delivered together (一口办结): one pick-up code or one free postal delivery for every result."""

import pytest

from onewindow.bundles import services
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import accepted, at, company, decide, form_files, issue, sub_case
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Notice
from onewindow.core.errors import Conflict, InvalidInput

KEYS = ("licence", "env", "food", "fire", "drain")


def _decided(world, package, *, deny=()):
    for key in ("licence", "env", "food", "fire", "drain"):
        if sub_case(package, key).state in (State.ACCEPTED, State.IN_REVIEW):
            decide(world, package, key, approve=key not in deny, when="2025-09-05")
    return Package.objects.get(pk=package.pk)


def test_every_result_is_handed_over_with_one_pick_up_code(world, django_capture_on_commit_callbacks):
    package = _decided(world, accepted(world))
    with django_capture_on_commit_callbacks(execute=True):
        for key in KEYS:
            issue(world, package, key)
    package.refresh_from_db()
    assert len(package.pickup_code) == 6
    assert Notice.objects.filter(recipient=world.citizen, kind="package_results_ready").count() == 1
    services.deliver_package(package, by=world.window, pickup_code=package.pickup_code, at=at("2025-09-08"))
    assert package.state == PackageState.DELIVERED
    assert {sub_case(package, key).state for key in KEYS} == {State.DELIVERED}


def test_a_wrong_pick_up_code_delivers_nothing(world):
    package = _decided(world, accepted(world))
    for key in KEYS:
        issue(world, package, key)
    package.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.deliver_package(package, by=world.window, pickup_code="000000" if package.pickup_code != "000000"
                                 else "111111", at=at("2025-09-08"))
    package.refresh_from_db()
    assert package.state == PackageState.DECIDED
    assert {sub_case(package, key).state for key in KEYS} == {State.RESULT_ISSUED}


def test_delivery_waits_until_every_result_is_issued(world):
    package = _decided(world, accepted(world))
    for key in ("licence", "env", "food"):
        issue(world, package, key)
    package.refresh_from_db()
    with pytest.raises(Conflict) as caught:
        services.deliver_package(package, by=world.window, pickup_code="123456", at=at("2025-09-08"))
    assert "fire许可" in caught.value.message and "drain许可" in caught.value.message
    assert sub_case(package, "licence").state == State.RESULT_ISSUED


def test_free_postal_delivery_sends_every_result_in_one_parcel(world):
    package, _ = services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(), channel="online",
                                          materials=form_files(), delivery_method="post",
                                          postal_address="重庆市渝中区解放碑1号", at=at("2025-09-01"))
    services.accept_package(package, by=world.window, at=at("2025-09-01", 11))
    package = _decided(world, package)
    for key in KEYS:
        issue(world, package, key)
    package.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.deliver_package(package, by=world.window, at=at("2025-09-08"))
    services.deliver_package(package, by=world.window, tracking_number="EMS1234567890", at=at("2025-09-08"))
    cases = [sub_case(package, key) for key in KEYS]
    assert {c.tracking_number for c in cases} == {"EMS1234567890"}
    assert {c.delivery_method for c in cases} == {"post"}


def test_a_denied_items_decision_is_delivered_with_the_licences(world):
    package = _decided(world, accepted(world), deny=("fire",))
    for key in KEYS:
        issue(world, package, key)
    package.refresh_from_db()
    services.deliver_package(package, by=world.window, pickup_code=package.pickup_code, at=at("2025-09-08"))
    assert sub_case(package, "fire").state == State.DELIVERED
    assert sub_case(package, "fire").licence_number == ""
