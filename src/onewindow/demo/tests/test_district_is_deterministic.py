"""The same seed always makes the same district; another seed makes another one."""

import json

from onewindow.demo.district import build_district


def _dump(seed: int) -> str:
    return json.dumps(build_district(seed), ensure_ascii=False, sort_keys=True)


def test_the_same_seed_builds_an_identical_district():
    assert _dump(2018) == _dump(2018)


def test_a_different_seed_builds_a_different_district_with_the_same_shape():
    first, second = build_district(2018), build_district(2019)
    assert first != second
    assert [i["name"] for i in first["items"]] == [i["name"] for i in second["items"]]
    assert [d["code"] for d in first["departments"]] == [d["code"] for d in second["departments"]]


def test_the_default_seed_is_2018():
    assert json.dumps(build_district(), ensure_ascii=False, sort_keys=True) == _dump(2018)
