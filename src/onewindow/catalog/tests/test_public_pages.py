import pytest
from django.test import override_settings

from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.tests.factories import ServiceItemFactory, catalog_data

pytestmark = pytest.mark.django_db

CODE = "11500103MB1234567X4500001000000"


@pytest.fixture
def catalog():
    import_catalog(catalog_data(4))


def test_the_home_page_lists_published_items_without_login(client, catalog):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "营业执照核发" in html and "区市场监督管理局" in html
    assert "共 4 项事项" in html


def test_the_home_page_filters_by_keyword_department_and_mode(client, catalog):
    html = client.get("/", {"q": "yyzz"}).content.decode()
    assert "营业执照核发" in html and "事项1</a>" not in html

    html = client.get("/", {"department": "RSJ", "mode": "nearby"}).content.decode()
    assert "共 2 项事项" in html and "营业执照核发" not in html

    html = client.get("/", {"theme": "restaurant"}).content.decode()
    assert "共 2 项事项" in html


def test_a_bad_filter_value_is_ignored_instead_of_breaking_the_page(client, catalog):
    response = client.get("/", {"mode": "teleport", "page": "abc"})

    assert response.status_code == 200
    assert "共 4 项事项" in response.content.decode()


@pytest.mark.parametrize("q", ["营" * 101, "a" * 5000, "\x00abc", "营业\x07执照"])
def test_a_search_that_cannot_run_says_why_and_finds_nothing_instead_of_everything(client, catalog, q):
    html = client.get("/", {"q": q}).content.decode()

    assert "共 0 项事项" in html and "营业执照核发" not in html
    assert 'aria-describedby="id_q_error"' in html and 'id="id_q_error"' in html


def test_invisible_characters_pasted_around_the_keywords_do_not_hide_the_item(client, catalog):
    html = client.get("/", {"q": "\u200b营业执照\u200b"}).content.decode()

    assert "营业执照核发" in html and 'id="id_q_error"' not in html


def test_the_home_page_pages_through_many_items(client):
    ServiceItemFactory.create_batch(25)

    first = client.get("/").content.decode()
    second = client.get("/", {"page": 2}).content.decode()

    assert "第 1 / 2 页" in first and "?page=2" in first
    assert "第 2 / 2 页" in second


@override_settings(PUBLIC_BASE_URL="https://zwfw.example.gov.cn")
def test_the_guide_page_shows_every_element_materials_steps_and_a_qr_code(client, catalog):
    response = client.get(f"/items/{CODE}/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "营业执照核发",
        CODE,
        "XK00000000",
        "行政许可",
        "《中华人民共和国行政许可法》",
        "申请人符合法定条件",
        "20 个工作日",
        "5 个工作日",
        "区行政服务中心一楼",
        "工作日 9:00-17:00",
        "023-12345",
        "首次发布",
        "申请书",
        "营业执照副本",
        "容缺后补",
        "政府部门核发",
        "可通过数据共享获取",
        "受理",
        "审查",
        "2.5 个工作日",
        "材料齐全",
        "网上办",
        "一次办",
    ):
        assert text in html, text
    assert '<svg viewBox="0 0' in html and 'class="qr"' in html
    assert f"https://zwfw.example.gov.cn/items/{CODE}/" in html
    assert "window.print()" in html


def test_the_guide_page_of_an_unpublished_or_unknown_item_is_not_found(client, catalog):
    ServiceItemFactory(implementation_code="DRAFT-ONLY", publish=False)

    assert client.get("/items/DRAFT-ONLY/").status_code == 404
    assert client.get("/items/NOPE/").status_code == 404


def test_department_pages_list_departments_and_show_their_items_and_reductions(client, catalog):
    listing = client.get("/departments/").content.decode()
    assert "区市场监督管理局" in listing and "2 项事项" in listing

    page = client.get("/departments/SCJ/").content.decode()
    assert "营业执照核发" in page and "三减成效" in page and "时限压缩率" in page
    assert client.get("/departments/NOPE/").status_code == 404


def test_the_theme_list_links_each_theme_to_its_one_page(client, catalog):
    listing = client.get("/themes/").content.decode()
    assert "开饭店" in listing and 'href="/themes/restaurant/"' in listing


def test_pages_are_laid_out_for_phones_and_print(client, catalog):
    html = client.get(f"/items/{CODE}/").content.decode()

    assert 'name="viewport" content="width=device-width' in html
    assert 'class="table-wrap"' in html and "no-print" in html
