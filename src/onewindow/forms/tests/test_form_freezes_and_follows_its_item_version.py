"""A form is frozen with its published item version, follows the item into its next draft, and the editors see
what changed between two versions — a required field dropped is allowed but flagged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from onewindow.catalog import services as catalog_services
from onewindow.core.errors import Conflict
from onewindow.forms import selectors, services
from onewindow.forms.models import FormField, FormVersion
from onewindow.forms.tests.factories import RESTAURANT_RULES, draft_version, item_with_form, restaurant_fields

pytestmark = pytest.mark.django_db


def test_a_published_form_cannot_be_changed():
    item, form = item_with_form()
    with pytest.raises(Conflict):
        services.save_form(item.published_version, by=None, fields=restaurant_fields())
    field = FormField.objects.filter(form=form).first()
    field.label_zh = "改了"
    with pytest.raises(ValidationError):
        field.save()


def test_a_new_draft_starts_with_a_copy_of_the_published_form():
    item, form = item_with_form()
    draft = draft_version(item)
    copy = FormVersion.objects.get(item_version=draft)
    assert copy.pk != form.pk
    assert selectors.spec_of(copy).fields == selectors.spec_of(form).fields


def test_the_diff_names_fields_added_removed_and_changed_and_flags_a_dropped_required_field():
    item, form = item_with_form()
    draft = draft_version(item)
    fields = [f for f in restaurant_fields() if f["key"] != "applicant_name"]
    next(f for f in fields if f["key"] == "floor_area")["max_value"] = 5000
    fields.append({"key": "seats", "kind": "number", "label_zh": "座位数", "unit": "个"})
    services.save_form(draft, by=None, fields=fields, rules=RESTAURANT_RULES)
    catalog_services.publish_version(draft, by=None, reason="调整面积上限")
    changes = {c.key: c for c in selectors.diff(selectors.spec_of(form),
                                                 selectors.spec_for_version(selectors.published_item(
                                                     item.implementation_code).published_version))}
    assert changes["seats"].change == "added"
    assert changes["floor_area"].change == "changed" and changes["floor_area"].details == ("max_value",)
    assert changes["applicant_name"].change == "removed" and changes["applicant_name"].required_dropped
