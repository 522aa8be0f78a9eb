"""一表申请: a package's one set of answers is checked whole against the theme's merged form, every fault named at
once with nothing written, then split so each sub-case is filed under its own item's form with its own answers."""

from pathlib import Path

import pytest
from django.conf import settings

from onewindow.bundles import selectors, services
from onewindow.bundles.acts.base import missing_lines
from onewindow.bundles.models import Package, PackageMaterial
from onewindow.bundles.tests.factories import (
    FORM,
    at,
    company,
    form_files,
    package_answers,
    sub_case,
    with_forms,
)
from onewindow.cases.models import Case
from onewindow.catalog import services as catalog_services
from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.forms import services as form_services
from onewindow.forms.models import Draft, FormVersion
from onewindow.forms.selectors import theme_form


def _apply(world, answers, **kwargs):
    package, _ = services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(1), channel="online",
                                          materials=form_files(), at=at("2025-09-01"), answers=answers, **kwargs)
    return package


def test_each_sub_case_is_filed_under_its_own_items_form_with_its_own_answers(world):
    codes = with_forms(world)
    merged = [f.key for f in theme_form("restaurant").spec.fields]
    assert merged.count("floor_area") == 1 and merged.count("credit_code") == 1, "a shared element is asked once"
    package = _apply(world, package_answers(world))
    licence, food, env = (sub_case(package, key) for key in ("licence", "food", "env"))
    assert licence.form_version == FormVersion.objects.get(item_version=world.items["licence"].published_version)
    assert food.form_version == FormVersion.objects.get(item_version=world.items["food"].published_version)
    assert env.form_version is None and env.answers == {}, "an item without a form takes no answers"
    assert licence.answers == {"applicant_name": "渝中味道餐饮有限公司1", "credit_code": company(1).id_number,
                               "floor_area": 120, "weekly_hours": 70}
    assert food.answers["floor_area"] == 120, "the shared floor area typed once reaches every item that asks it"
    assert (food.answers["weekly_hours"], food.answers["seats"]) == (60, 40), "each item keeps its own fields"
    assert food.first_answers == food.answers
    # 减填写: the food licence did not ask the shared elements again — they came from the package's form.
    assert food.prefill_sources == {"applicant_name": "一件事申请表", "credit_code": "一件事申请表",
                                    "floor_area": "一件事申请表"}
    assert licence.prefill_sources == {}, "the first item asking a field is where it was typed"
    assert codes["food"] in theme_form("restaurant").keys


def test_a_sub_case_keeps_its_form_version_when_the_item_publishes_a_new_form(world):
    with_forms(world)
    package = _apply(world, package_answers(world))
    filed = sub_case(package, "food").form_version_id
    draft = catalog_services.start_draft(world.items["food"], by=None)
    form_services.save_form(draft, by=None, fields=[{"key": "seats", "kind": "number", "label_zh": "座位数"}])
    catalog_services.publish_version(draft, by=None, reason="改版")
    assert sub_case(package, "food").form_version_id == filed
    view = selectors.package_answers(package)
    assert view.answers["seats"] == 40 and view.answers["kitchen_area"] == 30, "the package shows what was filed"


def test_the_package_page_data_is_one_merged_view_of_the_answers(world):
    with_forms(world)
    package = _apply(world, package_answers(world))
    view = selectors.package_answers(package)
    assert view.answers == package_answers(world), "the package shows its answers as they were typed, once"
    labels = [row.label for row in view.rows()]
    assert labels.count("经营面积") == 1 and "座位数" in labels
    assert next(r.value for r in view.rows() if r.key == "floor_area") == "120 平方米"


def _files() -> int:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_bad_answers_are_refused_field_by_field_and_nothing_is_written(world):
    codes = with_forms(world)
    bad = package_answers(world, floor_area=0, seats=None, credit_code="123", kitchen_area=None,
                          **{f"{codes['food']}.weekly_hours": "many"})
    with pytest.raises(InvalidInput) as refused:
        _apply(world, bad)
    assert refused.value.code == ErrorCode.FORM_INVALID
    assert set(refused.value.fields) == {"answers.floor_area", "answers.seats", "answers.credit_code",
                                         "answers.kitchen_area", f"answers.{codes['food']}.weekly_hours"}
    assert refused.value.fields["answers.floor_area"] == "too_small"
    assert not Package.objects.exists() and not Case.objects.exists() and not PackageMaterial.objects.exists()
    assert _files() == 0, "no uploaded file is left behind"


def test_a_condition_on_the_merged_form_is_kept(world):
    with_forms(world)
    package = _apply(world, package_answers(world, business_type="retail", kitchen_area=None))
    assert "kitchen_area" not in sub_case(package, "food").answers
    with pytest.raises(InvalidInput) as refused:
        _apply(world, package_answers(world, kitchen_area=None), idempotency_key="second")
    assert refused.value.fields == {"answers.kitchen_area": "required"}


def test_answers_to_a_theme_without_forms_are_refused(world):
    with pytest.raises(InvalidInput) as refused:
        _apply(world, {"floor_area": 120})
    assert refused.value.fields == {"answers": "no_form"}
    assert not Package.objects.exists()


def test_applying_discards_the_applicants_draft_of_the_package_form(world):
    with_forms(world)
    form_services.save_draft(by=world.citizen, theme=world.theme, answers={"floor_area": 80})
    with pytest.raises(InvalidInput):
        _apply(world, {"floor_area": 80})
    assert Draft.objects.filter(user=world.citizen, theme=world.theme).exists(), "a refused application keeps it"
    _apply(world, package_answers(world))
    assert not Draft.objects.filter(user=world.citizen, theme=world.theme).exists()


def test_an_items_form_standing_for_its_paper_application_files_the_generated_form_as_that_material(world):
    with_forms(world, replaces={"licence": "申请书"})
    package = _apply_without(world, "申请书")
    licence = sub_case(package, "licence")
    filed = licence.materials.get(material__name="申请书")
    assert filed.original_name == "申请书（电子申请表）.pdf", "the 申请表 PDF stands for the paper 申请书"
    assert "申请书" not in missing_lines(selectors.sub_cases_of(package), selectors.material_aliases(world.theme))
    services.accept_package(package, by=world.window, at=at("2025-09-01", 11))


def test_an_uploaded_paper_application_is_kept_and_no_form_pdf_is_added(world):
    with_forms(world, replaces={"licence": "申请书"})
    package = _apply(world, package_answers(world))
    names = list(sub_case(package, "licence").materials.filter(material__name="申请书")
                 .values_list("original_name", flat=True))
    assert names == ["申请书.pdf"]


def _apply_without(world, *names):
    package, _ = services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(1), channel="online",
                                          materials=form_files([n for n in FORM if n not in names]),
                                          at=at("2025-09-01"), answers=package_answers(world))
    return package
