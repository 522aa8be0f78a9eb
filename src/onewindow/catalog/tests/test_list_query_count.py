"""A list page costs the same number of queries for 5 items as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.catalog.models import Department
from onewindow.catalog.tests.factories import ServiceItemFactory, ThemeFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _grow_to(n: int, department: Department, theme) -> None:
    while department.items.count() < n:
        ThemeItemFactory(theme=theme, item=ServiceItemFactory(department=department))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=shi",
        "/departments/",
        "/departments/D-LIST/",
        "/themes/",
        "/api/v1/items?page_size=100",
        "/api/v1/departments",
        "/api/v1/themes/t-list",
    ],
)
def test_the_list_query_count_does_not_grow_with_the_rows(client, url):
    department = Department.objects.create(code="D-LIST", name="区测试局")
    theme = ThemeFactory(code="t-list", lead_department=department)

    _grow_to(5, department, theme)
    few = _queries(client, url)
    _grow_to(50, department, theme)
    many = _queries(client, url)

    assert many == few, f"{url}: {few} queries for 5 items but {many} for 50"


@pytest.mark.parametrize("url", ["/items/{code}/", "/api/v1/items/{code}"])
def test_the_guide_lists_every_material_and_step_at_the_same_query_count_however_many(client, url):
    few_item = ServiceItemFactory(publish__n_materials=2, publish__n_steps=1)
    many_item = ServiceItemFactory(publish__n_materials=20, publish__n_steps=5)

    few = _queries(client, url.format(code=few_item.implementation_code))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url.format(code=many_item.implementation_code))

    body = str(response.json()) if response["Content-Type"].startswith("application/json") else response.content.decode()
    assert many_item.name + "材料20" in body and "环节5" in body
    assert len(ctx) == few, f"{url}: {few} queries for 2 materials but {len(ctx)} for 20"
