"""Catalog editors design a form in the admin: the page shows its fields and the changes against the previous
version, and every save goes through the audited acts; a published version's form is read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.catalog.tests.factories import UserFactory
from onewindow.core.audit import AuditEvent
from onewindow.forms.models import DataElement, FormVersion
from onewindow.forms.tests.factories import draft_version, item_with_form

pytestmark = pytest.mark.django_db


def test_the_form_page_shows_the_changes_against_the_previous_version(client):
    item, form = item_with_form()
    client.force_login(UserFactory())
    page = client.get(reverse("admin:forms_formversion_change", args=[form.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "经营面积" in body and "新增" in body


def test_a_data_element_saved_in_the_admin_is_audited(client):
    client.force_login(UserFactory())
    response = client.post(reverse("admin:forms_dataelement_add"), {
        "code": "seats", "name_zh": "座位数", "name_en": "Seats", "standard": "", "kind": "number", "source": "",
        "source_key": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DataElement.objects.filter(code="seats").exists()
    assert AuditEvent.objects.filter(action="forms.element.save").exists()


def test_a_field_added_to_a_drafts_form_in_the_admin_is_audited(client):
    item, _form = item_with_form()
    draft = draft_version(item)
    form = FormVersion.objects.get(item_version=draft)
    client.force_login(UserFactory())
    url = reverse("admin:forms_formversion_change", args=[form.pk])
    page = client.get(url)
    data = {k: v for k, v in _initial(page).items()}
    total = int(data["fields-TOTAL_FORMS"])
    data.update({f"fields-{total}-{k}": v for k, v in {
        "order": "99", "key": "seats", "kind": "number", "label_zh": "座位数", "unit": "个", "choices": "[]",
        "shown_when": "null", "form": str(form.pk)}.items()})
    data["fields-TOTAL_FORMS"] = str(total + 1)
    before = AuditEvent.objects.filter(action="forms.form.save").count()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert form.fields.filter(key="seats").exists()
    assert AuditEvent.objects.filter(action="forms.form.save").count() == before + 1


def _initial(page) -> dict[str, str]:
    """The values of the change form as the page holds them (inputs, selected options, text areas)."""
    import re
    from html import unescape

    html = page.content.decode()
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(body).strip()
    return {k: v for k, v in data.items() if "__prefix__" not in k}


def _change_page_of_a_draft_among(client, others: int):
    """The change page of a new draft's form while `others` other items carry forms of their own."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(others):
        item_with_form()
    item, _form = item_with_form()
    form = FormVersion.objects.get(item_version=draft_version(item))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:forms_formversion_change", args=[form.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    selects = dict(re.findall(r'<select[^>]*name="(fields-0-(?:material|table))"[^>]*>(.*?)</select>', html, re.S))
    options = {name.split("-")[-1]: len(re.findall(r"<option value=\"\d+\"", body)) for name, body in selects.items()}
    return form, options, len(queries), len(html)


def test_the_form_editor_offers_only_its_own_materials_and_tables_however_big_the_catalog(client):
    client.force_login(UserFactory())
    small_form, small, small_queries, small_size = _change_page_of_a_draft_among(client, 1)
    big_form, big, big_queries, big_size = _change_page_of_a_draft_among(client, 19)
    # the item's 3 materials and the restaurant form's one table (从业人员), nothing from the other forms
    assert small == big == {"material": 3, "table": 1}
    assert big_queries == small_queries
    assert big_size < small_size * 1.05


def test_a_material_or_table_of_another_form_posted_to_the_editor_is_refused_and_nothing_is_saved(client):
    other_item, other_form = item_with_form()
    item, _form = item_with_form()
    form = FormVersion.objects.get(item_version=draft_version(item))
    client.force_login(UserFactory())
    url = reverse("admin:forms_formversion_change", args=[form.pk])
    data = _initial(client.get(url))
    from onewindow.catalog.models import Material

    foreign_material = Material.objects.filter(version_id=other_item.published_version_id).order_by("id")[0]
    foreign_table = other_form.fields.get(key="staff")
    data["fields-0-material"] = str(foreign_material.pk)
    data["fields-0-table"] = str(foreign_table.pk)
    before = AuditEvent.objects.filter(action="forms.form.save").count()
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "只能选择本事项版本的申请材料" in body and "只能选择本申请表中的表格字段" in body
    assert not form.fields.filter(material=foreign_material).exists()
    assert not form.fields.filter(table=foreign_table).exists()
    assert AuditEvent.objects.filter(action="forms.form.save").count() == before


def test_the_changes_box_shows_each_changed_attribute_before_and_after_in_words(client):
    from onewindow.forms import services
    from onewindow.forms.tests.factories import RESTAURANT_RULES, restaurant_fields

    item, _form = item_with_form()
    draft = draft_version(item)
    fields = [f for f in restaurant_fields() if f["key"] != "applicant_name"]
    by_key = {f["key"]: f for f in fields}
    by_key["floor_area"]["max_value"] = 5000
    by_key["business_type"]["choices"] = [*by_key["business_type"]["choices"],
                                          {"value": "snack", "zh": "小吃", "en": "Snacks"}]
    by_key["kitchen_area"]["shown_when"] = {"field": "business_type", "in": ["catering", "snack"]}
    by_key["staff"]["columns"][2]["max_value"] = 60
    services.save_form(draft, by=None, fields=fields, rules=RESTAURANT_RULES)
    form = FormVersion.objects.get(item_version=draft)
    client.force_login(UserFactory())
    body = client.get(reverse("admin:forms_formversion_change", args=[form.pk])).content.decode()
    assert "最大值 100000 → 5000" in body
    assert "选项 2 项：餐饮、零售 → 3 项：餐饮、零售、小吃" in body
    assert "显示条件 “经营类型”为“餐饮”时显示 → “经营类型”为“餐饮”或“小吃”时显示" in body
    assert "表格列“每周工时”的最大值 （无） → 60" in body
    assert "上一版本必填的字段被删除" in body  # 申请人名称, required before, dropped now
