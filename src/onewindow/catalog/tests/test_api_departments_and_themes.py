import pytest

from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    import_catalog(catalog_data(4))


def test_departments_are_listed_with_their_published_item_counts(client, catalog):
    body = client.get("/api/v1/departments").json()

    assert [(d["code"], d["name"], d["item_count"]) for d in body] == [
        ("SCJ", "区市场监督管理局", 2),
        ("RSJ", "区人力资源和社会保障局", 2),
    ]


def test_themes_are_listed_with_their_item_counts(client, catalog):
    body = client.get("/api/v1/themes").json()

    assert body == [
        {
            "code": "restaurant",
            "name": "开饭店",
            "description": "开办餐饮店一件事",
            "lead_department": "SCJ",
            "promised_days": 10,
            "item_count": 2,
        }
    ]


def test_a_theme_lists_its_items_in_order_with_their_prerequisites(client, catalog):
    body = client.get("/api/v1/themes/restaurant").json()

    assert [(i["implementation_code"], i["requires"]) for i in body["items"]] == [
        ("11500103MB1234567X4500001000000", []),
        ("11500103MB1234567X4500001000001", ["11500103MB1234567X4500001000000"]),
    ]
    assert body["items"][0]["name"] == "营业执照核发" and body["items"][0]["published"] is True


def test_an_unknown_theme_is_a_404_json_error(client, catalog):
    response = client.get("/api/v1/themes/nope")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_items_of_a_theme_can_be_listed_through_the_item_filter(client, catalog):
    body = client.get("/api/v1/items?theme=restaurant").json()

    assert body["count"] == 2


def test_a_theme_shows_its_promised_serial_and_critical_path_days(client, catalog):
    body = client.get("/api/v1/themes/restaurant").json()
    first, second = (client.get(f"/api/v1/items/{i['implementation_code']}").json() for i in body["items"])

    # Two items, the second needs the first: the chain is as long as the sum.
    assert body["serial_days"] == first["promised_days"] + second["promised_days"]
    assert body["critical_path_days"] == body["serial_days"]
    assert body["critical_path"] == [first["implementation_code"], second["implementation_code"]]
