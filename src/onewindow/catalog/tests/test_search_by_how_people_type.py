"""Search finds items by how people type (issue 10 §3): the right reading of polyphonic characters from the phrase
dictionary and every other reading, full pinyin or initials, with or without spaces; several words are an AND."""

import importlib

import pytest
from django.apps import apps

from onewindow.catalog import selectors
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.tests.factories import ServiceItemFactory

LOAN = "商业贷款还款提取住房公积金"
STREET = "朝阳街道社区服务站设立登记"
LICENCE = "营业执照核发"
FOOD = "食品经营许可"
LONG = "个人住房商业贷款还款提取住房公积金（按月对冲还贷）"


def test_every_reading_of_a_polyphonic_name_is_indexed():
    keys = pinyin_keys(LOAN)
    assert keys.full == "shangyedaikuanhaikuantiquzhufanggongjijin", "the common reading stays as it was"
    assert any("huankuan" in reading for reading in keys.full_alternatives)
    assert keys.initials == "sydkhktqzfgjj"  # huán and hái share their initial
    street = pinyin_keys(STREET)
    assert street.full.startswith("zhaoyang")
    assert any(reading.startswith("chaoyangjiedao") for reading in street.full_alternatives)
    assert any(initials.startswith("cyjd") for initials in street.alternatives)


def test_a_name_without_other_readings_has_no_alternatives_and_punctuation_is_dropped():
    keys = pinyin_keys("ICP备案（A类）")
    assert (keys.full, keys.initials, keys.full_alternatives, keys.alternatives) == ("icpbeianalei", "icpbaal", (), ())


@pytest.mark.django_db
class TestSearch:
    @pytest.fixture(autouse=True)
    def items(self):
        for name in (LOAN, STREET, LICENCE, FOOD, LONG):
            ServiceItemFactory(name=name)

    def _names(self, q):
        return sorted(i.name for i in selectors.published_items(q=q))

    @pytest.mark.parametrize("q", ["huankuan", "HuanKuan", "huan kuan", "ｈｕａｎｋｕａｎ", "daikuanhuankuan",
                                   "dai kuan huan kuan ti qu", "dkhk"])
    def test_the_right_reading_of_huan_finds_the_loan_repayment_items(self, q):
        assert self._names(q) == sorted([LOAN, LONG])

    def test_the_common_but_wrong_reading_still_finds_them(self):
        assert self._names("haikuan") == sorted([LOAN, LONG])

    @pytest.mark.parametrize("q", ["chaoyang", "chao yang", "chaoyangjiedao", "chao yang jie dao", "cyjd", "zhaoyang"])
    def test_chaoyang_finds_the_street_item(self, q):
        assert self._names(q) == [STREET]

    def test_a_reading_far_into_a_long_name_is_found(self):
        assert self._names("huankuantiquzhufang") == sorted([LOAN, LONG])
        assert self._names("duichonghuandai") == [LONG]

    @pytest.mark.parametrize("q", ["营业 执照", "营业\u3000执照", " 营业  执照 ", "执照 营业", "营业 zz", "yingye zhizhao"])
    def test_several_words_find_what_the_joined_words_find(self, q):
        assert self._names("营业执照") == [LICENCE]
        assert self._names(q) == [LICENCE]

    def test_every_word_must_match(self):
        assert self._names("营业 许可") == []
        assert self._names("经营 许可") == [FOOD]
        assert self._names("还款 公积金") == sorted([LOAN, LONG])
        assert self._names("还款 chaoyang") == []

    def test_the_api_and_the_catalog_page_search_the_same_way(self, client):
        answer = client.get("/api/v1/items", {"q": "huan kuan"})
        assert answer.status_code == 200, answer.content
        assert sorted(i["name"] for i in answer.json()["results"]) == sorted([LOAN, LONG])
        page = client.get("/", {"q": "营业 执照"}).content.decode()
        assert LICENCE in page and FOOD not in page

    def test_a_blank_query_finds_everything(self):
        assert len(self._names("   ")) == 5


@pytest.mark.django_db
def test_the_backfill_indexes_every_reading_of_items_published_before(db):
    item = ServiceItemFactory(name=STREET)
    ServiceItem.objects.filter(pk=item.pk).update(name_pinyin="zhaoyang", name_initials="zy", name_initials_alt="",
                                                  name_pinyin_alt="")
    assert not selectors.published_items(q="chaoyang").exists()
    migration = importlib.import_module("onewindow.catalog.migrations.0006_name_pinyin_alt_every_reading")
    migration.index_every_reading(apps, None)
    assert [i.name for i in selectors.published_items(q="chaoyang")] == [STREET]
    assert [i.name for i in selectors.published_items(q="cyjdsq")] == [STREET]
