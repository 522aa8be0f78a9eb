"""Editors design a draft's form; a design that does not hold together is refused naming every problem, and
nothing is written; only catalog editors design forms."""

from __future__ import annotations

import pytest

from onewindow.catalog.tests.factories import ServiceItemFactory
from onewindow.core.audit import AuditEvent
from onewindow.core.errors import InvalidInput, PermissionDenied
from onewindow.core.models import Role, User
from onewindow.forms import services
from onewindow.forms.models import FormField, FormVersion
from onewindow.forms.tests.factories import RESTAURANT_RULES, draft_version, elements, restaurant_fields

pytestmark = pytest.mark.django_db


def test_a_sound_design_is_saved_with_its_columns_rules_and_audit_event():
    elements()
    draft = draft_version(ServiceItemFactory())
    form = services.save_form(draft, by=None, fields=restaurant_fields(), rules=RESTAURANT_RULES)
    assert FormField.objects.filter(form=form, table__isnull=True).count() == 10
    assert list(FormField.objects.filter(table__key="staff").values_list("key", flat=True)) == [
        "name", "id_number", "hours"]
    assert form.rules.count() == 3
    assert AuditEvent.objects.filter(action="forms.form.save").count() == 1


def test_every_design_problem_is_named_at_once_and_nothing_is_written():
    elements()
    draft = draft_version(ServiceItemFactory())
    fields = restaurant_fields()
    fields[3]["choices"] = []  # business_type without a code list
    fields[4]["key"] = "Floor Area"  # not a key
    fields[5]["shown_when"] = {"field": "nowhere", "equals": "x"}
    fields.append({"key": "applicant_name", "kind": "text", "label_zh": "重复"})
    fields.append({"key": "plan", "kind": "file", "label_zh": "平面图", "material": "没有这份材料"})
    rules = [{"kind": "lte", "a": "applicant_name", "b": "floor_area", "message_zh": "x"}]
    with pytest.raises(InvalidInput) as error:
        services.save_form(draft, by=None, fields=fields, rules=rules)
    assert {"fields.3.choices", "fields.4.key", "fields.4.element", "fields.5.shown_when", "fields.10.key",
            "fields.11.material", "rules.0"} <= set(error.value.fields)
    assert not FormVersion.objects.exists()


def test_a_field_mapped_to_an_element_takes_its_code_and_kind():
    elements()
    draft = draft_version(ServiceItemFactory())
    with pytest.raises(InvalidInput) as error:
        services.save_form(draft, by=None, fields=[
            {"key": "area", "kind": "number", "label_zh": "面积", "element": "floor_area"}])
    assert "fields.0.element" in error.value.fields


def test_a_file_field_names_a_material_of_its_version():
    draft = draft_version(ServiceItemFactory(name="小餐饮登记"))
    form = services.save_form(draft, by=None, fields=[
        {"key": "plan", "kind": "file", "label_zh": "平面图", "material": "小餐饮登记材料1"}])
    assert FormField.objects.get(form=form).material.name == "小餐饮登记材料1"


def test_only_catalog_editors_design_forms():
    draft = draft_version(ServiceItemFactory())
    clerk = User.objects.create(username="clerk", role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        services.save_form(draft, by=clerk, fields=restaurant_fields())
    assert not FormVersion.objects.exists()
