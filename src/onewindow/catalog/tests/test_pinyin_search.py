import pytest

from onewindow.catalog import selectors
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.tests.factories import ServiceItemFactory


def test_initials_and_full_pinyin_follow_the_common_reading():
    keys = pinyin_keys("营业执照核发")

    assert keys.initials == "yyzzhf"
    assert keys.full == "yingyezhizhaohefa"


def test_polyphonic_characters_keep_their_other_readings_as_alternatives():
    keys = pinyin_keys("单位参保登记")

    assert keys.initials == "dwcbdj"  # 参 as cān in 参保
    assert "dwsbdj" in keys.alternatives  # 参 as shēn


def test_letters_and_digits_in_a_name_are_kept_and_punctuation_dropped():
    assert pinyin_keys("ICP备案（A类）").initials == "icpbaal"
    assert pinyin_keys("第2类医疗器械").initials == "d2lylqx"


@pytest.mark.django_db
class TestSearch:
    @pytest.fixture(autouse=True)
    def items(self):
        ServiceItemFactory(name="营业执照核发")
        ServiceItemFactory(name="单位参保登记")
        ServiceItemFactory(name="食品经营许可")

    def _names(self, q):
        return sorted(i.name for i in selectors.published_items(q=q))

    def test_initials_yyzz_find_the_business_licence(self):
        assert self._names("yyzz") == ["营业执照核发"]

    def test_initials_are_matched_case_insensitively_and_anywhere_in_the_name(self):
        assert self._names("YYZZ") == ["营业执照核发"]
        assert self._names("jyxk") == ["食品经营许可"]

    def test_full_pinyin_finds_the_item(self):
        assert self._names("shipin") == ["食品经营许可"]

    def test_a_chinese_keyword_finds_items_containing_it(self):
        assert self._names("执照") == ["营业执照核发"]
        assert self._names("许可") == ["食品经营许可"]

    def test_an_alternative_reading_of_a_polyphonic_character_also_finds_the_item(self):
        assert self._names("dwsbdj") == ["单位参保登记"]

    def test_a_keyword_that_matches_nothing_finds_nothing(self):
        assert self._names("不存在的事项") == []
        assert self._names("zzzzzz") == []
