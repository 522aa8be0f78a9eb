"""An applicant saves what they typed (暂存) and resumes it later, with the prefilled values and their sources."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.core.models import Role, User
from onewindow.core.services import create_token
from onewindow.forms.models import DataElement, Draft
from onewindow.forms.tests.factories import item_with_form

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_draft_is_saved_resumed_and_replaced():
    item, _ = item_with_form()
    citizen = User.objects.create(username="c1", role=Role.CITIZEN, mobile="13900139000")
    DataElement.objects.filter(code="contact_mobile").update(source="account", source_key="mobile",
                                                             authoritative=True)
    client = client_of(citizen)
    url = f"/api/v1/items/{item.implementation_code}/form/draft"
    assert client.get(url).json()["answers"] == {}
    saved = client.put(url, {"answers": {"floor_area": 80, "business_type": "catering"}},
                       content_type="application/json")
    assert saved.status_code == 200
    client.put(url, {"answers": {"floor_area": 90}}, content_type="application/json")
    resumed = client.get(url).json()
    assert resumed["answers"] == {"floor_area": 90}
    assert resumed["prefill"]["contact_mobile"] == {"value": "13900139000", "origin": "实名账号",
                                                    "authoritative": True}
    assert Draft.objects.count() == 1


def test_drafts_need_a_signed_in_caller():
    item, _ = item_with_form()
    response = Client().get(f"/api/v1/items/{item.implementation_code}/form/draft")
    assert response.status_code == 401
