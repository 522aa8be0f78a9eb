"""Accepting a package once starts every sub-case without a prerequisite at once, in parallel."""

import datetime as dt

from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.tests.factories import accepted, apply, at, sub_case
from onewindow.cases.lifecycle import State
from onewindow.workdays.selectors import due_date


def test_applying_submits_independent_items_to_their_departments_and_keeps_dependents_waiting(world):
    package = apply(world)
    assert package.state == PackageState.SUBMITTED
    assert package.number.startswith("YJS20250901")
    states = {key: sub_case(package, key).state for key in ("licence", "env", "food", "fire", "drain")}
    assert states == {"licence": State.SUBMITTED, "env": State.SUBMITTED, "food": State.DRAFT,
                      "fire": State.DRAFT, "drain": State.DRAFT}


def test_accepting_once_starts_every_item_without_prerequisites_on_the_same_day(world):
    package = accepted(world)
    licence, env = sub_case(package, "licence"), sub_case(package, "env")
    assert licence.state == env.state == State.ACCEPTED
    assert licence.accepted_on == env.accepted_on == dt.date(2025, 9, 1)
    assert licence.due_on == due_date(dt.date(2025, 9, 1), 3), "each sub-case runs its own item's clock"
    assert env.due_on == due_date(dt.date(2025, 9, 1), 1)
    for key in ("food", "fire", "drain"):
        case = sub_case(package, key)
        assert case.state == State.DRAFT and case.accepted_on is None, f"{key} must wait for its prerequisites"


def test_each_sub_case_belongs_to_its_own_department(world):
    package = accepted(world)
    assert {key: sub_case(package, key).department.code for key in ("licence", "env", "food", "fire", "drain")} == {
        "licence": "SC", "env": "HB", "food": "WS", "fire": "XF", "drain": "PS"}


def test_the_package_has_its_own_due_date_from_the_theme_limit_and_a_green_light(world):
    from onewindow.bundles.selectors import package_light

    package = accepted(world)
    assert package.state == PackageState.ACCEPTED
    assert package.due_on == due_date(dt.date(2025, 9, 1), 10)
    assert package_light(package, dt.date(2025, 9, 2)) == "green"
    assert package_light(package, package.due_on + dt.timedelta(days=1)) == "red"


def test_the_one_window_cannot_accept_a_package_twice(world):
    import pytest

    from onewindow.bundles import services
    from onewindow.core.errors import IllegalTransition

    package = accepted(world)
    with pytest.raises(IllegalTransition):
        services.accept_package(package, by=world.window, at=at("2025-09-02"))


def test_a_department_that_does_not_lead_the_theme_cannot_accept_it(world):
    import pytest

    from onewindow.bundles import services
    from onewindow.core.errors import PermissionDenied

    package = apply(world)
    with pytest.raises(PermissionDenied):
        services.accept_package(package, by=world.clerks["WS"], at=at("2025-09-01", 11))
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
