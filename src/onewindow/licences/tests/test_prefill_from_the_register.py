"""减填写 from the licence register: a field mapped to a licence element is prefilled with the applicant's valid
licence of the kind the element names, read-only with its source; a licence of another kind never fills it."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases.tests.factories import at
from onewindow.forms.models import DataElement
from onewindow.forms.prefill import prefill
from onewindow.forms.spec import FieldSpec, FormSpec
from onewindow.licences.models import Licence
from onewindow.licences.tests.factories import issued_licence


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def test_the_licence_number_comes_from_the_register(world):
    licence = issued_licence(world, number="SC2025-0042")
    DataElement.objects.create(code="food_licence_number", name_zh="食品经营许可证编号", kind="text",
                               source="licences", source_key=f"number:{licence.name}", authoritative=True)
    spec = FormSpec(code="x", title="x", version=1, fields=(
        FieldSpec(key="food_licence_number", kind="text", label_zh="食品经营许可证编号",
                  element="food_licence_number"),))
    found = prefill(spec, world.citizen)["food_licence_number"]
    assert (found.value, found.origin, found.authoritative) == ("SC2025-0042", "证照 SC2025-0042", True)


def _licence_field(source_key: str) -> FormSpec:
    DataElement.objects.create(code="hr_licence_number", name_zh="人力资源服务许可证编号", kind="text",
                               source="licences", source_key=source_key, authoritative=True)
    return FormSpec(code="x", title="x", version=1, fields=(
        FieldSpec(key="hr_licence_number", kind="text", label_zh="人力资源服务许可证编号", element="hr_licence_number"),))


def test_only_a_licence_of_the_kind_the_element_names_fills_it(world):
    wanted = issued_licence(world, number="RS2025-0007", day="2025-08-01")
    Licence.objects.filter(pk=wanted.pk).update(name="人力资源服务许可证")
    issued_licence(world, number="SC2025-0042", n=2)  # the holder's latest licence, of another kind
    spec = _licence_field("number:人力资源服务许可证")
    found = prefill(spec, world.citizen)["hr_licence_number"]
    assert (found.value, found.origin) == ("RS2025-0007", "证照 RS2025-0007")


def test_a_licence_of_another_kind_leaves_the_field_for_the_applicant(world):
    issued_licence(world, number="SC2025-0042")
    assert prefill(_licence_field("number:人力资源服务许可证"), world.citizen) == {}


def test_an_element_that_names_no_licence_kind_is_not_filled_with_just_any_licence(world):
    issued_licence(world, number="SC2025-0042")
    assert prefill(_licence_field("number"), world.citizen) == {}
