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
        "/themes/t-list/",
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
