"""The demo's application forms (电子申请表): every one passes the checks an editor's save runs, each 一件事 theme's
single form asks each shared data element once, seeding twice writes them once, and the seeded cases' answers pass
the form their case is filed under."""

from __future__ import annotations

import random

import pytest
import time_machine

from onewindow.cases.acts import Applicant as CaseApplicant
from onewindow.cases.demo import seed_cases_demo
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at
from onewindow.catalog.models import ItemVersion
from onewindow.core.models import Role, User
from onewindow.demo import services
from onewindow.demo.forms import case_answers
from onewindow.demo.forms_data import ELEMENTS, THEME_FORMS, TOP_FORMS, theme_item_names, top_item_names
from onewindow.forms.acts.design import check_design
from onewindow.forms.models import DataElement, FormVersion
from onewindow.forms.selectors import spec_of, theme_form
from onewindow.forms.spec import Kind, RuleKind, design_problems
from onewindow.forms.validation import problems_of

THEMES = ("hotel", "restaurant", "entertainment", "construction")


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-11-20", 17), tick=False):
        yield


@pytest.fixture
def district(calendar_loaded, settings):
    from onewindow.catalog.importexport import import_catalog
    from onewindow.demo.district import build_district

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_catalog(build_district(2018), by=None)


@pytest.fixture
def forms(district):
    summary, ran = services.seed_forms("forms", [*top_item_names(), *theme_item_names()], seed=2018)
    assert ran
    return summary


def _all_fields(spec):
    for field in spec.fields:
        yield field
        yield from field.columns


def test_every_demo_form_passes_the_design_checks_with_fields_of_every_kind_and_rules(forms):
    assert forms == {"forms": 25, "elements_added": len(ELEMENTS)}
    stored = list(FormVersion.objects.select_related("item_version__item"))
    assert {f.item_version.name for f in stored} == set(THEME_FORMS) | set(TOP_FORMS)
    specs = []
    for form in stored:
        assert form.item_version.status == ItemVersion.Status.PUBLISHED
        assert form.item_version.item.published_version_id == form.item_version_id, "the form is the one in force"
        spec = spec_of(form)
        assert design_problems(spec) == {}, form.item_version.name
        assert check_design(form.item_version, spec) == {}, form.item_version.name
        assert any(f.element for f in spec.fields), f"{form.item_version.name} asks no shared element"
        for field in _all_fields(spec):
            if field.kind == Kind.NUMBER:
                assert field.unit, f"{form.item_version.name}: {field.label_zh} has no unit"
        specs.append(spec)
    fields = [f for spec in specs for f in _all_fields(spec)]
    assert {f.kind for f in fields} == set(Kind), "every kind of field appears on some demo form"
    assert any(f.shown_when for f in fields) and any(f.kind == Kind.TABLE for f in fields)
    assert {r.kind for spec in specs for r in spec.rules} == set(RuleKind)
    assert all(r.message_zh and r.message_en for spec in specs for r in spec.rules)


def test_the_dictionary_names_its_standards_and_where_each_element_is_prefilled_from(forms):
    stored = {e.code: e for e in DataElement.objects.all()}
    assert stored["credit_code"].standard.startswith("GB 32100")
    assert stored["contact_id_number"].standard.startswith("GB 11643")
    assert (stored["contact_name"].source, stored["contact_name"].source_key) == ("account", "display_name")
    assert stored["contact_id_number"].authoritative, "the 实名 identity is an authoritative record"
    assert stored["legal_representative"].source == "earlier_cases" and not stored["legal_representative"].authoritative
    hr = stored["hr_service_licence_number"]
    assert (hr.source, hr.source_key, hr.authoritative) == ("licences", "number:人力资源服务许可证", True)
    licences = [e for e in stored.values() if e.source == "licences"]
    assert all(e.source_key.startswith("number:") and e.source_key[7:] in e.name_zh for e in licences), (
        "every licence element names the kind of licence it reads")


@pytest.mark.parametrize("code", THEMES)
def test_each_themes_single_form_asks_each_shared_element_once(forms, code):
    package = theme_form(code)
    per_item = [{f.element for f in spec.fields if f.element} for _form, spec in package.parts.values()]
    assert len(per_item) >= 5, "every item of the theme has a form"
    shared = {e for e in set().union(*per_item) if sum(e in elements for elements in per_item) > 1}
    assert {"applicant_name", "legal_representative", "business_address", "contact_mobile"} <= shared
    asked = [f.element for f in package.spec.fields if f.element]
    assert sorted(asked) == sorted(set(asked)), f"{code}: a shared element is asked twice"
    assert shared <= set(asked)
    keys = [f.key for f in package.spec.fields]
    assert len(keys) == len(set(keys))
    own_fields = sum(len([f for f in spec.fields if not f.element]) for _form, spec in package.parts.values())
    assert len(package.spec.fields) == len(set(asked)) + own_fields, "each item's own fields are all asked"


def test_seeding_the_forms_again_writes_nothing(forms):
    versions = dict(FormVersion.objects.values_list("item_version__item_id", "item_version__number"))
    again, ran = services.seed_forms("forms", top_item_names(), seed=2018)
    assert (again, ran) == (forms, False)
    other, ran = services.seed_forms("forms_again", theme_item_names(), seed=2018)
    assert ran and other == {"forms": 0, "elements_added": 0}
    assert dict(FormVersion.objects.values_list("item_version__item_id", "item_version__number")) == versions


def test_sample_answers_pass_every_form_for_organisations_persons_and_citizens(forms):
    citizen = User.objects.create_user("answers-citizen", role=Role.CITIZEN, display_name="演示群众",
                                       identity_number="500103198808080015")
    applicants = [
        (CaseApplicant(kind="organization", name="重庆渝中好味餐饮有限公司", id_number="91350100M000100Y43",
                       mobile="13900139000", legal_representative="张伟"), None),
        (CaseApplicant(kind="person", name="李娜", id_number="11010519491231002X", mobile="13800138000"), None),
        (CaseApplicant(kind="person", name="演示群众", id_number=citizen.identity_number, mobile="13700137000"), citizen),
    ]
    for form in FormVersion.objects.all():
        spec = spec_of(form)
        for n, (applicant, account) in enumerate(applicants):
            answers = case_answers(spec, applicant, account, random.Random(n))
            assert problems_of(spec, answers)[1] == [], form.item_version.name
            if account is not None and spec.field("contact_id_number"):
                assert answers["contact_id_number"] == citizen.identity_number, "the account's identity, prefilled"


def test_the_seeded_cases_answer_the_form_they_are_filed_under(forms):
    seed_cases_demo(seed=2018, count=120, answers=case_answers)

    with_form = Case.objects.filter(form_version__isnull=False).select_related("form_version__item_version__item")
    assert with_form.count() >= 5
    for case in with_form:
        spec = spec_of(case.form_version)
        assert case.answers and problems_of(spec, case.answers)[1] == [], case.number
        assert problems_of(spec, case.first_answers)[1] == [], case.number
        assert set(case.prefill_sources) <= set(case.answers)
    assert not Case.objects.filter(form_version__isnull=True, item__published_version__form__isnull=False,
                                   item_version__form__isnull=False).exists()
    origins = {origin for case in with_form for origin in case.prefill_sources.values()}
    assert "实名账号" in origins, "a citizen's own application keeps the identity the account holds"


def test_every_count_in_the_demo_forms_takes_whole_numbers_only():
    def numbers(fields):
        for field in fields:
            yield from numbers(field.get("columns", []))
            if field["kind"] == "number":
                yield field
    found = [f for form in [*THEME_FORMS.values(), *TOP_FORMS.values()] for f in numbers(form["fields"])]
    counts = {f["key"]: f.get("whole_number", False) for f in found if f.get("unit") in ("人", "个", "间", "张", "层")}
    assert {"employees", "seats", "room_count", "bed_count", "capacity", "floors"} <= set(counts)
    assert all(counts.values()), counts
    assert not any(f.get("whole_number") for f in found if f["key"] in ("floor_area", "registered_capital"))


def test_a_shared_element_named_the_forms_own_way_has_english_of_that_name_too():
    generic = {e["code"]: (e["name_zh"], e["name_en"]) for e in ELEMENTS}
    renamed = [f for form in [*THEME_FORMS.values(), *TOP_FORMS.values()] for f in form["fields"]
               if f.get("element") and f["label_zh"] != generic[f["element"]][0]]
    assert {f["label_zh"] for f in renamed} >= {"公司名称", "经营者名称", "建设单位"}
    assert [f["label_zh"] for f in renamed if f["label_en"] == generic[f["element"]][1]] == []
