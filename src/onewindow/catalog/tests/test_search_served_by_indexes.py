"""Item search answers the same on both databases, words of two characters included, in a constant number of
statements; on PostgreSQL its comparisons are the ones the trigram and bigram indexes serve (migration 0008)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client

from onewindow.catalog import selectors
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.search import keyword_filter
from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory

NAMES = ["户口迁移登记", "居民户口簿补发", "户外广告设施设置许可", "口腔诊所设置审批", "营业执照核发",
         "营业执照变更登记", "住房公积金提取", "食品经营许可"]


@pytest.fixture
def catalog(db):
    department = DepartmentFactory(code="GA", name="公安局")
    for name in NAMES:
        ServiceItemFactory(name=name, department=department)


def _names(q: str) -> list[str]:
    return [item.name for item in selectors.published_items(q=q)]


@pytest.mark.parametrize(("q", "expected"), [
    ("户口", ["户口迁移登记", "居民户口簿补发"]),  # not 户外…, not 口腔…: the two characters together
    ("执照", ["营业执照核发", "营业执照变更登记"]),
    ("营业执照", ["营业执照核发", "营业执照变更登记"]),
    ("公积金", ["住房公积金提取"]),
    ("yyzz", ["营业执照核发", "营业执照变更登记"]),
    # Initials of two letters: 户口 (hk…), and 许可 read hǔ kě (许 has that reading too) — every reading is indexed.
    ("hk", ["户口迁移登记", "居民户口簿补发", "户外广告设施设置许可", "食品经营许可"]),
    ("YYZZHF", ["营业执照核发"]),
    ("户口 迁移", ["户口迁移登记"]),
    ("户", ["户口迁移登记", "居民户口簿补发", "户外广告设施设置许可"]),
    ("口腔", ["口腔诊所设置审批"]),
    ("户口本", []),
])
def test_search_finds_words_of_two_characters_and_initials_the_same_on_every_database(catalog, q, expected):
    assert sorted(_names(q)) == sorted(expected)
    # The order is the catalog's (department, then implementation code), as without a query.
    everything = [item.name for item in selectors.published_items()]
    assert _names(q) == [name for name in everything if name in expected]


def test_a_search_costs_the_same_statements_whatever_it_finds(catalog, django_assert_max_num_queries):
    client = Client()
    for q in ("户口", "营业执照", "yyzz", "不存在的事项"):
        with django_assert_max_num_queries(2):  # the count, the page
            response = client.get("/api/v1/items", {"q": q})
        assert response.status_code == 200


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.parametrize(("q", "index"), [
    ("户口", "catalog_item_name_bigrams"),
    ("营业执照", "catalog_item_name_trgm"),
    ("yyzz", "catalog_item_initials_trgm"),
    ("zhufang", "catalog_item_pinyin_trgm"),
])
def test_on_postgresql_each_search_can_be_answered_from_its_index(catalog, q, index):
    items = ServiceItem.objects.filter(keyword_filter(q))
    with transaction.atomic(), connection.cursor() as cursor:
        # A few rows make a table scan the cheaper plan: forbid it (and plain index walks), to see that the index
        # serves the comparison — every branch of it, or the table would be read all the same.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = items.explain()
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan
