"""减填写 from the licence register: a field mapped to a licence element is prefilled with the applicant's valid
licence, read-only with its source."""

from __future__ import annotations

import pytest
import time_machine

from onewindow.cases.tests.factories import at
from onewindow.forms.models import DataElement
from onewindow.forms.prefill import prefill
from onewindow.forms.spec import FieldSpec, FormSpec
from onewindow.licences.tests.factories import issued_licence


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def test_the_licence_number_comes_from_the_register(world):
    issued_licence(world, number="SC2025-0042")
    DataElement.objects.create(code="food_licence_number", name_zh="食品经营许可证编号", kind="text",
                               source="licences", source_key="number", authoritative=True)
    spec = FormSpec(code="x", title="x", version=1, fields=(
        FieldSpec(key="food_licence_number", kind="text", label_zh="食品经营许可证编号",
                  element="food_licence_number"),))
    found = prefill(spec, world.citizen)["food_licence_number"]
    assert (found.value, found.origin, found.authoritative) == ("SC2025-0042", "证照 SC2025-0042", True)
