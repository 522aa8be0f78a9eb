"""A guide page (办事指南) of an item that accepts online applications offers "在线申请", leading to the item's
online application; a guide of an item handled only at the window offers none."""

from __future__ import annotations

import re

import pytest

from onewindow.catalog.tests.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


def _apply_links(client, item) -> list[str]:
    page = client.get(f"/items/{item.implementation_code}/").content.decode()
    return re.findall(r'<a class="button primary" href="([^"]+)">在线申请</a>', page)


def test_an_online_item_guide_offers_to_apply_online_for_that_item(client):
    item = ServiceItemFactory(publish__mode_online=True)
    assert _apply_links(client, item) == [f"/apply/{item.implementation_code}/"]


def test_a_window_only_item_guide_offers_no_online_application(client):
    item = ServiceItemFactory(publish__mode_online=False)
    assert _apply_links(client, item) == []
