import pytest

from onewindow.catalog import services
from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    scj = DepartmentFactory(code="SCJ", name="区市场监督管理局")
    mzj = DepartmentFactory(code="MZJ", name="区民政局")
    ServiceItemFactory(
        implementation_code="SCJ-001",
        name="营业执照核发",
        department=scj,
        publish__mode_online=True,
        publish__level="district",
    )
    ServiceItemFactory(implementation_code="SCJ-002", name="食品经营许可", department=scj, publish__mode_nearby=True)
    ServiceItemFactory(
        implementation_code="MZJ-001",
        name="高龄津贴发放",
        department=mzj,
        publish__type_name="行政给付",
        publish__level="street",
        publish__mode_online=True,
    )
    ServiceItemFactory(implementation_code="MZJ-002", name="未发布事项", department=mzj, publish=False)


def _codes(client, query=""):
    response = client.get(f"/api/v1/items{query}")
    assert response.status_code == 200, response.content
    return [r["implementation_code"] for r in response.json()["results"]]


def test_the_item_list_shows_published_items_with_the_total_count(client, catalog):
    body = client.get("/api/v1/items").json()

    assert body["count"] == 3 and body["pages"] == 1 and body["page"] == 1
    assert {r["implementation_code"] for r in body["results"]} == {"SCJ-001", "SCJ-002", "MZJ-001"}
    first = next(r for r in body["results"] if r["implementation_code"] == "SCJ-001")
    assert first["department"] == "SCJ" and first["item_type_code"] == "01" and first["modes"] == ["online"]


def test_items_can_be_filtered_by_department_type_mode_level_and_keyword(client, catalog):
    assert sorted(_codes(client, "?department=SCJ")) == ["SCJ-001", "SCJ-002"]
    assert _codes(client, "?type=05") == ["MZJ-001"]
    assert _codes(client, "?type=行政给付") == ["MZJ-001"]
    assert sorted(_codes(client, "?mode=online")) == ["MZJ-001", "SCJ-001"]
    assert _codes(client, "?level=street") == ["MZJ-001"]
    assert _codes(client, "?q=yyzz") == ["SCJ-001"]
    assert _codes(client, "?department=SCJ&mode=nearby") == ["SCJ-002"]


def test_the_list_is_paginated(client, catalog):
    page1 = client.get("/api/v1/items?page_size=2").json()
    page2 = client.get("/api/v1/items?page_size=2&page=2").json()
    beyond = client.get("/api/v1/items?page_size=2&page=9")

    assert (page1["count"], page1["pages"], len(page1["results"])) == (3, 2, 2)
    assert len(page2["results"]) == 1
    # A page after the last is not there (issue 10 §4: one rule for every list, core.params.page_bounds).
    assert (beyond.status_code, beyond.json()["error"]["fields"]) == (404, {"page": "not_found"})


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?mode=teleport", "mode"),
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?level=province", "level"),
        ("?page_size=1000", "page_size"),
        ("?department=NOPE", "department"),
        ("?type=99", "type"),
        ("?theme=nope", "theme"),
    ],
)
def test_a_bad_query_value_is_a_422_naming_the_field(client, catalog, query, field):
    response = client.get(f"/api/v1/items{query}")

    assert response.status_code == 422
    error = response.json()["error"]
    assert field in error["fields"], error


def test_an_item_shows_its_published_version_materials_and_steps(client, catalog):
    body = client.get("/api/v1/items/SCJ-001").json()

    assert body["name"] == "营业执照核发" and body["version"] == 1
    assert body["statutory_days"] == 20 and body["promised_days"] == 10
    assert [m["name"] for m in body["materials"]] == ["营业执照核发材料1", "营业执照核发材料2", "营业执照核发材料3"]
    assert [s["name"] for s in body["steps"]] == ["环节1", "环节2"]
    assert body["delivery"] == ["pickup", "post"]


def test_an_open_draft_does_not_change_what_the_api_shows(client, catalog):
    from onewindow.catalog.models import ServiceItem

    draft = services.start_draft(ServiceItem.objects.get(implementation_code="SCJ-001"), by=None)
    services.update_draft(draft, by=None, promised_days=1)

    assert client.get("/api/v1/items/SCJ-001").json()["promised_days"] == 10


@pytest.mark.parametrize("code", ["NOPE-404", "MZJ-002"])
def test_an_unknown_or_unpublished_item_is_a_404_json_error(client, catalog, code):
    response = client.get(f"/api/v1/items/{code}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
