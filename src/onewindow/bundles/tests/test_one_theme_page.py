"""A theme has one page, /themes/<code>/: the 一件事 guide with its figures, items (each linked to its own guide),
prerequisites and merged materials. The address it had under /bundles/ moved there for good (301), and every
link points to it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.catalog.models import Department
from onewindow.catalog.tests.factories import ServiceItemFactory, ThemeFactory, ThemeItemFactory


def test_the_theme_page_is_the_guide_with_figures_items_and_links_to_each_items_guide(world):
    response = Client().get("/themes/restaurant/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "关键路径（并联办理）" in html and "<rect" in html, "the figures and the prerequisite graph"
    assert f'href="/items/{world.items["licence"].implementation_code}/"' in html, "items link to their guides"
    assert 'href="/bundles/themes/restaurant/apply/"' in html, "the page offers to apply"
    assert 'href="/themes/"' in html, "and leads back to all themes"


def test_the_old_address_moves_permanently_to_the_one_page(world):
    response = Client().get("/bundles/themes/restaurant/")
    assert response.status_code == 301 and response["Location"] == "/themes/restaurant/"


def test_an_unknown_theme_has_no_page(world):
    assert Client().get("/themes/nope/").status_code == 404


def test_the_theme_list_links_to_the_one_page(world):
    html = Client().get("/themes/").content.decode()
    assert 'href="/themes/restaurant/"' in html and 'href="/bundles/themes/restaurant/"' not in html


def _queries(url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(url).status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_the_theme_page_costs_the_same_queries_for_five_items_as_for_thirty():
    department = Department.objects.create(code="D-LIST", name="区测试局")
    theme = ThemeFactory(code="t-list", lead_department=department, published=True)

    def grow_to(n: int) -> None:
        while theme.theme_items.count() < n:
            ThemeItemFactory(theme=theme, item=ServiceItemFactory(department=department))

    grow_to(5)
    few = _queries("/themes/t-list/")
    grow_to(30)
    assert _queries("/themes/t-list/") == few
