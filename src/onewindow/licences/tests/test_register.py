"""Every licence issued on an approval enters the register (证照库) from the case engine's `result_issued`, inside
the issuing act: number, holder, item, issuing department, case, validity, state, history."""

import pytest
from django.db import transaction

from onewindow.cases import acts as case_acts
from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.licences.models import Licence, LicenceState
from onewindow.licences.selectors import licence_history
from onewindow.licences.tests.factories import day, issued_licence, term


def test_an_approvals_issued_licence_is_registered_valid_for_the_items_term(world):
    term(world, 5)
    licence = issued_licence(world, day="2025-09-01", number="SC2025-0001")
    assert licence.number == "SC2025-0001"
    assert licence.holder_name == "张三" and licence.holder_user == world.citizen
    assert licence.item == world.item_a and licence.department == world.dept_a
    assert licence.case.number.startswith("SC20250901")
    assert (licence.issued_on, licence.valid_from, licence.valid_until) == (
        day("2025-09-01"), day("2025-09-01"), day("2030-08-31"))
    assert licence.state == LicenceState.VALID
    assert [e.action for e in licence_history(licence)] == ["licence.register"]
    assert "*" in licence_history(licence)[0].after["holder"], "the audit chain keeps the identity number masked"


def test_the_issue_is_dated_in_beijing_a_late_evening_act_counts_on_its_beijing_day(world):
    term(world, 1)
    case = case_in_state(world, State.APPROVED, when=at("2025-12-31"))
    case_services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0999", at=at("2025-12-31", 23))
    licence = Licence.objects.get(case=case)
    assert (licence.valid_from, licence.valid_until) == (day("2025-12-31"), day("2026-12-30"))


def test_a_denials_written_decision_is_no_licence(world):
    case = case_in_state(world, State.DENIED)
    case_services.issue_denial(case, by=world.clerk_a, at=at("2025-09-01", 16))
    assert not Licence.objects.exists()


def test_an_item_without_a_term_issues_a_licence_without_a_fixed_validity(world):
    case = case_in_state(world, State.APPROVED)
    case_services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-09-01", 16))
    assert Licence.objects.get().valid_until is None


def test_the_default_validity_setting_applies_to_items_without_their_own_term(world, settings):
    settings.LICENCES_DEFAULT_VALIDITY_YEARS = 3
    case = case_in_state(world, State.APPROVED)
    case_services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-09-01", 16))
    assert Licence.objects.get().valid_until == day("2028-08-31")


class Undone(Exception):
    pass


def test_nothing_is_registered_when_the_issuing_act_rolls_back(world):
    case = case_in_state(world, State.APPROVED)
    with pytest.raises(Undone), transaction.atomic():
        case_acts.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=at("2025-09-01", 16))
        assert Licence.objects.filter(case=case).exists(), "written inside the issuing act"
        raise Undone
    assert not Licence.objects.exists()
