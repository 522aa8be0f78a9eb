"""A form can stand for one of its item version's materials — the paper 申请书 an applicant used to fill in and
upload: the editors name it, it must be a material of the same version, and it follows the form into the next
draft (whose materials are copies, found again by name)."""

from __future__ import annotations

import pytest

from onewindow.catalog.models import Material
from onewindow.core.errors import InvalidInput
from onewindow.forms import services
from onewindow.forms.models import FormVersion
from onewindow.forms.tests.factories import draft_version, item_with_form, restaurant_fields

pytestmark = pytest.mark.django_db


def _with_material(name: str = "申请书"):
    item, _form = item_with_form()
    draft = draft_version(item)
    Material.objects.get_or_create(version=draft, name=name)
    return item, draft


def test_the_form_names_the_material_it_stands_for():
    _item, draft = _with_material()
    form = services.save_form(draft, by=None, fields=restaurant_fields(), replaces="申请书")
    assert form.replaces == Material.objects.get(version=draft, name="申请书")


def test_a_material_of_no_such_name_is_refused_and_nothing_changes():
    _item, draft = _with_material()
    before = FormVersion.objects.get(item_version=draft).replaces_id
    with pytest.raises(InvalidInput) as refused:
        services.save_form(draft, by=None, fields=restaurant_fields(), replaces="营业执照")
    assert "replaces" in refused.value.fields
    assert FormVersion.objects.get(item_version=draft).replaces_id == before


def test_the_next_draft_keeps_standing_for_the_material_of_the_same_name():
    from onewindow.catalog import services as catalog_services

    item, draft = _with_material()
    services.save_form(draft, by=None, fields=restaurant_fields(), replaces="申请书")
    catalog_services.publish_version(draft, by=None, reason="申请表替代申请书")
    item.refresh_from_db()
    following = draft_version(item)
    copy = FormVersion.objects.get(item_version=following)
    assert copy.replaces is not None and copy.replaces.version_id == following.pk and copy.replaces.name == "申请书"
