"""A package follows what happens to its sub-cases through the case engine's declared events, whoever acts: a
department, the applicant, or the package's own acts. A case on its own never runs package code."""

import pytest
from django.apps import apps
from django.utils import timezone

from onewindow.bundles import services
from onewindow.bundles.acts import reactions
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import FORM, accepted, apply, at, case_on_its_own, decide, make_item, sub_case
from onewindow.cases import events
from onewindow.cases import services as case_services
from onewindow.cases.events import CaseDecided
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.catalog.models import StaffAssignment, ThemeItem
from onewindow.core.models import AuditEvent, Role, User


class PackageCodeRan(Exception):
    """Raised by a stand-in for the package's reaction, to show whether it ran."""


def _package_code_fails(monkeypatch) -> None:
    def fail(package_id):
        raise PackageCodeRan(package_id)

    monkeypatch.setattr(reactions, "locked", fail)


def test_a_case_on_its_own_is_decided_even_when_the_package_reactions_would_fail(world, monkeypatch):
    case = case_on_its_own(world)
    package = accepted(world)
    _package_code_fails(monkeypatch)
    case_services.approve_case(case, by=world.reviewers["HB"], at=at("2025-09-02"))
    assert Case.objects.get(pk=case.pk).state == State.APPROVED
    with pytest.raises(PackageCodeRan):
        decide(world, package, "env", when="2025-09-02")
    assert sub_case(package, "env").state == State.ACCEPTED, "a sub-case's decision and its package's fail together"


def test_a_reaction_to_a_case_on_its_own_costs_one_query(world, django_assert_num_queries):
    case = case_on_its_own(world)
    payload = CaseDecided(case=case, action="approve", previous_state=State.ACCEPTED, by=world.reviewers["HB"],
                          at=timezone.now(), approved=True)
    with django_assert_num_queries(1):
        reactions.on_case_decided(payload)


def test_each_package_reaction_is_connected_once_however_often_the_app_is_readied(world):
    apps.get_app_config("bundles").ready()
    apps.get_app_config("bundles").ready()
    for event in (events.case_decided, *events.ENDINGS, events.correction_requested, events.result_issued):
        receivers = event._in_transaction._live_receivers(event)[0]
        ours = [r for r in receivers if getattr(r, "receiver", r).__module__ == reactions.__name__]
        assert len(ours) == 1, f"{event.name} reaches the package {len(ours)} times"


def test_the_applicant_withdrawing_a_sub_case_stops_what_needed_it_and_finishes_the_package(world):
    package = accepted(world)
    decide(world, package, "env", when="2025-09-02")
    case_services.withdraw_case(sub_case(package, "licence"), by=world.citizen, reason="不再开店",
                                at=at("2025-09-03"))
    for key in ("food", "fire", "drain"):
        assert sub_case(package, key).state == State.WITHDRAWN, f"{key} needed the withdrawn licence"
    package = Package.objects.get(pk=package.pk)
    assert package.state == PackageState.DECIDED
    assert AuditEvent.objects.filter(action="package.finish", object_id=str(package.pk)).count() == 1


def test_a_leader_terminating_a_sub_case_is_followed_like_a_denial(world):
    leader = User.objects.create(username="leader_xf", role=Role.LEADER, display_name="消防负责人")
    StaffAssignment.objects.create(user=leader, department=world.departments["XF"])
    package = accepted(world)
    for key in ("licence", "env", "food", "drain"):
        decide(world, package, key, when="2025-09-03")
    case_services.terminate_case(sub_case(package, "fire"), by=leader, reason="申请人主体资格终止",
                                 legal_basis="行政许可法第七十条", at=at("2025-09-04"))
    package = Package.objects.get(pk=package.pk)
    assert package.state == PackageState.DECIDED and package.finished_on.isoformat() == "2025-09-04"


def test_a_denial_stops_every_level_below_it_and_each_item_once(world):
    """招牌 needs 食品经营许可 and 消防检查, which both need 营业执照: denying the licence withdraws the two, and the
    first withdrawal's own reaction already withdraws 招牌 — the second finds it withdrawn and leaves it."""
    sign = make_item(world.departments["JY"], "sign", 2, [("招牌设计图", "applicant")])
    entry = ThemeItem.objects.create(theme=world.theme, item=sign, order=9)
    entry.requires.set([world.entries["food"], world.entries["fire"]])
    package = apply(world, names=[*FORM, "招牌设计图"])
    services.accept_package(package, by=world.window, at=at("2025-09-01", 11))
    decide(world, package, "env", when="2025-09-02")
    decide(world, package, "licence", approve=False, when="2025-09-03")
    states = {key: sub_case(package, key).state for key in ("food", "fire", "drain", "sign")}
    assert states == dict.fromkeys(states, State.WITHDRAWN)
    signs = AuditEvent.objects.filter(action="case.withdraw", object_id=str(sub_case(package, "sign").pk))
    assert signs.count() == 1
    assert "food许可" in sub_case(package, "sign").closed_reason, "withdrawn because its first prerequisite fell"
    assert Package.objects.get(pk=package.pk).state == PackageState.DECIDED
