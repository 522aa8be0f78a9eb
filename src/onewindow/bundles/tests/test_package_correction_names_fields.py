"""A package correction (一次性告知) names fields of the package's one form as well as materials; the applicant
changes only those fields, once, a shared element on every sub-case that has it, and each sub-case shows the
change beside its first answers."""

import pytest
from django.test import Client

from onewindow.bundles import selectors, services
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import PackageCorrection
from onewindow.bundles.tests.factories import PDF, at, company, form_files, package_answers, sub_case, with_forms
from onewindow.cases import services as case_services
from onewindow.cases.acts import CorrectionItem
from onewindow.cases.lifecycle import State
from onewindow.cases.selectors import answer_changes
from onewindow.core.errors import IllegalTransition, InvalidInput
from onewindow.core.models import AuditEvent


def _apply(world):
    package, _ = services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(1), channel="online",
                                          materials=form_files(), at=at("2025-09-01"), answers=package_answers(world))
    return package


def _answer(world, package, when="2025-09-03", **changes):
    current = selectors.package_answers(package).answers
    return services.answer_package_correction(package, by=world.citizen, answers={**current, **changes},
                                              at=at(when))


def test_a_shared_field_named_once_is_changed_on_every_sub_case_that_has_it(world):
    with_forms(world)
    package = _apply(world)
    correction = services.request_package_correction(
        package, by=world.window, at=at("2025-09-02"),
        lines=[services.CorrectionLine("", "经营面积与房产证不符", field="floor_area"),
               services.CorrectionLine("租赁合同", "缺少出租方签字")])
    area = next(line for line in correction.items if line.get("field"))
    assert area["name"] == "经营面积" and area["cases"] == sorted([sub_case(package, "licence").number,
                                                                sub_case(package, "food").number])
    licence = sub_case(package, "licence")
    assert licence.state == State.CORRECTION_REQUESTED
    assert {"field": "floor_area", "name": "经营面积", "material_id": None, "problem": "经营面积与房产证不符"} \
        in licence.corrections.get().items, "the sub-case's own notice names its field"

    _answer(world, package, floor_area=150)
    assert sub_case(package, "licence").state == State.CORRECTION_REQUESTED, "the lease is still to come"
    services.supply_package_material(package, by=world.citizen, name="租赁合同", content=PDF + b"signed",
                                     filename="lease.pdf", at=at("2025-09-03", 11))
    licence, food = sub_case(package, "licence"), sub_case(package, "food")
    assert licence.state == State.SUBMITTED, "both the field and the material answered: the sub-case resumes"
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
    assert PackageCorrection.objects.get(package=package).resolved_at is not None
    for case in (licence, food):
        assert case.answers["floor_area"] == 150 and case.first_answers["floor_area"] == 120
        assert [(c.label, c.first, c.now) for c in answer_changes(case)] == [("经营面积", "120 平方米", "150 平方米")]
    assert selectors.package_answers(package).answers["floor_area"] == 150, "the package shows the corrected value"


def test_the_sub_case_page_shows_what_the_correction_changed(world):
    with_forms(world)
    package = _apply(world)
    services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                        lines=[services.CorrectionLine("", "与房产证不符", field="floor_area")])
    _answer(world, package, floor_area=150)
    client = Client()
    client.force_login(world.reviewers["WS"])
    html = client.get(f"/workbench/cases/{sub_case(package, 'food').number}/").content.decode()
    assert "补正前后对照" in html and "<del>120 平方米</del>" in html and "<ins>150 平方米</ins>" in html


def test_changing_a_field_the_notice_does_not_name_is_refused_and_nothing_changes(world):
    codes = with_forms(world)
    package = _apply(world)
    services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                        lines=[services.CorrectionLine("", "与房产证不符", field="floor_area")])
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _answer(world, package, floor_area=150, seats=80, **{f"{codes['licence']}.weekly_hours": -1})
    assert refused.value.fields["answers.seats"] == "not_asked"
    assert refused.value.fields[f"answers.{codes['licence']}.weekly_hours"] == "not_asked"
    assert "answers.floor_area" not in refused.value.fields
    assert sub_case(package, "licence").answers["floor_area"] == 120
    assert sub_case(package, "food").answers["seats"] == 40
    assert AuditEvent.objects.count() == events


def test_a_bad_value_for_a_named_field_is_refused_on_that_field(world):
    with_forms(world)
    package = _apply(world)
    services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                        lines=[services.CorrectionLine("", "与房产证不符", field="floor_area")])
    with pytest.raises(InvalidInput) as refused:
        _answer(world, package, floor_area=0)
    assert refused.value.fields == {"answers.floor_area": "too_small"}


def test_a_departments_correction_naming_its_field_joins_the_package_notice(world):
    codes = with_forms(world)
    package = _apply(world)
    licence = sub_case(package, "licence")
    case_services.request_correction(licence, by=world.clerks["SC"], at=at("2025-09-02"),
                                     items=[CorrectionItem(problem="营业时长有误", field="weekly_hours")])
    notice = PackageCorrection.objects.get(package=package)
    assert [(i["name"], i.get("field")) for i in notice.items] == [("每周营业时长", f"{codes['licence']}.weekly_hours")]
    with pytest.raises(InvalidInput) as refused:
        _answer(world, package, **{f"{codes['food']}.weekly_hours": 50})
    assert refused.value.fields == {f"answers.{codes['food']}.weekly_hours": "not_asked"}, \
        "the food licence's own hours have the same key on its form, but were not named"
    _answer(world, package, **{f"{codes['licence']}.weekly_hours": 84})
    licence = sub_case(package, "licence")
    assert licence.state == State.SUBMITTED and licence.answers["weekly_hours"] == 84
    assert sub_case(package, "food").answers["weekly_hours"] == 60


def test_the_window_cannot_name_a_field_the_package_form_does_not_have(world):
    with_forms(world)
    package = _apply(world)
    with pytest.raises(InvalidInput) as refused:
        services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                            lines=[services.CorrectionLine("", "有误", field="rooms")])
    assert refused.value.fields == {"lines.0.field": "unknown"}
    assert not PackageCorrection.objects.exists()


def test_answers_without_a_field_to_correct_are_refused(world):
    with_forms(world)
    package = _apply(world)
    with pytest.raises(IllegalTransition):
        _answer(world, package, floor_area=150)
    assert sub_case(package, "licence").answers["floor_area"] == 120


def test_a_field_only_a_waiting_sub_case_has_is_corrected_on_it_and_the_package_returns_to_the_window(world):
    with_forms(world)
    package = _apply(world)
    assert sub_case(package, "food").state == State.DRAFT, "the food licence waits for the business licence"
    services.request_package_correction(package, by=world.window, at=at("2025-09-02"),
                                        lines=[services.CorrectionLine("", "座位数与平面图不符", field="seats")])
    package.refresh_from_db()
    assert package.state == PackageState.CORRECTION_REQUESTED
    assert sub_case(package, "licence").state == State.SUBMITTED, "the business licence has nothing to correct"
    _answer(world, package, seats=36)
    package.refresh_from_db()
    assert package.state == PackageState.SUBMITTED
    food = sub_case(package, "food")
    assert (food.answers["seats"], food.first_answers["seats"]) == (36, 40)
    assert "seats" not in sub_case(package, "licence").answers
