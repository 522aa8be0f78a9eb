"""The public lost-and-found page (失物招领) names the center and each item's hall, kind, place and time found; it
is searched by words, kind and the days found between (GET), 20 a page; a bad parameter is named and not applied."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.hall import services
from onewindow.hall.models import FoundItemKind
from onewindow.hall.views import FOUND_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _found(hall, clerk, kind: str, description: str, days_ago: int, place: str = "等候区"):
    return services.register_found_item(
        hall=hall, kind=kind, description=description, found_place=place,
        found_at=timezone.now() - dt.timedelta(days=days_ago), storage_place="服务台", by=clerk)


@pytest.fixture
def items(hall, clerk):
    return [_found(hall, clerk, FoundItemKind.KEYS, "一串钥匙（红色钥匙扣）", 1, "3号窗口"),
            _found(hall, clerk, FoundItemKind.UMBRELLA, "深蓝色折叠伞", 3),
            _found(hall, clerk, FoundItemKind.UMBRELLA, "黑色长柄伞", 20)]


def test_each_item_shows_its_kind_place_time_and_the_center(client, settings, hall, items):
    page = client.get("/hall/lost-found/").content.decode()
    assert settings.CENTER_NAME in page and hall.service_point.name in page
    assert "钥匙" in page and "3号窗口" in page and f"{items[0].found_at.astimezone():%Y-%m-%d %H:%M}" in page


def test_words_kind_and_dates_narrow_the_list(client, hall, items):
    def shown(**query):
        page = client.get("/hall/lost-found/", query).content.decode()
        return [i.description for i in items if i.description in page]

    assert shown(q="钥匙") == ["一串钥匙（红色钥匙扣）"]
    assert shown(q="3号窗口") == ["一串钥匙（红色钥匙扣）"]
    assert shown(kind="umbrella") == ["深蓝色折叠伞", "黑色长柄伞"]
    week_ago = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert shown(kind="umbrella", **{"from": week_ago}) == ["深蓝色折叠伞"]
    assert shown(**{"to": week_ago}) == ["黑色长柄伞"]


@pytest.mark.parametrize(("query", "named"), [
    ({"q": "x" * 201}, "搜索词过长"),
    ({"q": "伞\x00"}, "控制字符"),
    ({"kind": "spaceship"}, "没有这个物品类别"),
    ({"from": "2026-13-40"}, "日期格式应为 YYYY-MM-DD"),
    ({"from": "2001-01-10", "to": "2001-01-01"}, "结束日期不能早于开始日期"),
    ({"page": "99999999999999999999"}, "页码应为正整数"),
])
def test_a_bad_parameter_is_named_and_not_applied(client, hall, items, query, named):
    response = client.get("/hall/lost-found/", query)
    page = response.content.decode()
    assert response.status_code == 422 and named in page
    assert "深蓝色折叠伞" in page  # the refused filter narrowed nothing


def test_the_list_is_paged_and_a_page_after_the_last_is_not_found(client, hall, clerk):
    for n in range(FOUND_PAGE_SIZE + 3):
        _found(hall, clerk, FoundItemKind.OTHER, f"水杯 {n:02d} 号", days_ago=n % 30)
    first = client.get("/hall/lost-found/", {"q": "水杯"}).content.decode()
    second = client.get("/hall/lost-found/", {"q": "水杯", "page": 2}).content.decode()
    assert first.count('class="card found-item"') == FOUND_PAGE_SIZE and "q=%E6%B0%B4%E6%9D%AF&amp;page=2" in first
    assert second.count('class="card found-item"') == 3
    assert client.get("/hall/lost-found/", {"q": "水杯", "page": 3}).status_code == 404
