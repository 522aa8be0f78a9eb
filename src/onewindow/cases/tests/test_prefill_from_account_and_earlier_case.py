"""减填写: fields mapped to data elements come prefilled with their source — the applicant's account, their earlier
case — an authoritative value cannot be changed, and each item counts fields prefilled and typed."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases import selectors, services
from onewindow.cases.tests.factories import PDF, at, person
from onewindow.cases.tests.with_forms import give_form
from onewindow.core.errors import InvalidInput
from onewindow.forms.models import DataElement
from onewindow.forms.prefill import prefill
from onewindow.forms.selectors import spec_of
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def spec(world):
    form = give_form(world.item_a)
    DataElement.objects.filter(code="contact_mobile").update(source="account", source_key="mobile",
                                                             authoritative=True)
    DataElement.objects.filter(code__in=["applicant_name", "credit_code", "business_address"]).update(
        source="earlier_cases")
    world.citizen.mobile = "13900139000"
    world.citizen.save()
    return spec_of(form)


def apply(world, answers):
    material = world.item_a.published_version.materials.get(name="申请书")
    return services.apply_online(by=world.citizen, item=world.item_a, applicant=person(1), answers=answers,
                                 materials=[services.SuppliedMaterial(material.pk, services.Scan(PDF, "a.pdf"))])


def test_the_mobile_comes_from_the_account_and_nothing_else_without_an_earlier_case(world, spec):
    found = prefill(spec, world.citizen)
    assert set(found) == {"contact_mobile"}
    assert (found["contact_mobile"].value, found["contact_mobile"].origin) == ("13900139000", "实名账号")
    assert found["contact_mobile"].authoritative


def test_an_organisations_details_come_from_its_earlier_case(world, spec):
    first, _ = apply(world, good_answers(contact_mobile="13900139000"))
    found = prefill(spec, world.citizen)
    assert found["applicant_name"].value == "渝中区好味餐饮有限公司"
    assert found["business_address"].value["street"] == "解放碑街道"
    assert found["credit_code"].origin == f"办件 {first.number}"
    assert not found["credit_code"].authoritative


def test_an_authoritative_value_cannot_be_changed(world, spec):
    with pytest.raises(InvalidInput) as refused:
        apply(world, good_answers(contact_mobile="13800138000"))
    assert refused.value.fields == {"answers.contact_mobile": "authoritative"}
    assert "“联系电话”来自实名账号，不能修改" in refused.value.message


@pytest.mark.parametrize("dropped", [None, "", "\u200b"])
def test_an_authoritative_value_dropped_from_the_page_is_filed_all_the_same(world, spec, dropped):
    answers = good_answers()
    if dropped is None:
        del answers["contact_mobile"]
    else:
        answers["contact_mobile"] = dropped
    case, _ = apply(world, answers)
    assert case.answers["contact_mobile"] == "13900139000"
    assert case.prefill_sources["contact_mobile"] == "实名账号"


def test_each_item_counts_fields_on_its_form_prefilled_and_typed(world, spec):
    first, _ = apply(world, good_answers(contact_mobile="13900139000"))
    assert first.prefill_sources == {"contact_mobile": "实名账号"}
    second, _ = apply(world, good_answers(contact_mobile="13900139000"))
    assert set(second.prefill_sources) == {"contact_mobile", "applicant_name", "credit_code", "business_address"}
    figures = selectors.fill_figures(world.item_a.pk)
    assert (figures.fields, figures.cases) == (10, 2)
    assert figures.prefilled == 2.5  # (1 + 4) / 2
    assert figures.typed == 6.5  # each answered 9 fields
