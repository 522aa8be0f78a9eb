"""The generated district has the 2018 渝中区 figures and a catalog a center could publish (no database)."""

from __future__ import annotations

import re

import pytest

from onewindow.core.identity import is_valid_credit_code
from onewindow.demo.district import build_district, critical_path_days, district_figures

ITEM_TYPES = {"行政许可", "行政确认", "行政给付", "行政征收", "行政裁决", "行政奖励", "行政检查", "其他行政权力", "公共服务"}
STREETS = ["七星岗", "解放碑", "两路口", "上清寺", "菜园坝", "南纪门", "朝天门", "大溪沟", "大坪", "化龙桥", "石油路"]


@pytest.fixture(scope="module")
def district() -> dict:
    return build_district(2018)


@pytest.fixture(scope="module")
def figures(district) -> dict:
    return district_figures(district)


def test_thirty_departments_of_which_27_approve_22_concentrated_13_stationed_15_authorized(figures):
    assert figures["departments"] == 30
    assert figures["with_approval_functions"] == 27
    assert figures["functions_concentrated"] == 22
    assert figures["unit_stationed"] == 13
    assert figures["window_authorized"] == 15


def test_department_flags_nest_and_codes_work_as_case_number_prefixes(district):
    for dept in district["departments"]:
        assert re.fullmatch(r"[A-Z]{2,4}", dept["code"]), dept["code"]
        assert dept["name"].startswith(("区", "国家税务总局")), dept["name"]
        assert is_valid_credit_code(dept["credit_code"]), dept
        if dept["functions_concentrated"]:
            assert dept["has_approval_functions"], f"{dept['name']} concentrates functions it does not have"
        if dept["unit_stationed"]:
            assert dept["functions_concentrated"], f"{dept['name']} stationed a unit that is not concentrated"
    assert len({d["name"] for d in district["departments"]}) == 30


def test_departments_without_approval_functions_publish_no_licences(district):
    without = {d["code"] for d in district["departments"] if not d["has_approval_functions"]}
    licences = [i["name"] for i in district["items"] if i["department"] in without and i["item_type"] == "行政许可"]
    assert licences == []


def test_district_center_and_eleven_street_centers_with_their_communities(district, figures):
    points = district["service_points"]
    assert figures["district_centers"] == 1
    assert figures["street_centers"] == 11
    streets = [p for p in points if p["level"] == "street"]
    assert [s["name"].removesuffix("街道便民服务中心") for s in streets] == STREETS
    for street in streets:
        communities = [p for p in points if p["parent"] == street["code"]]
        assert 3 <= len(communities) <= 8, street["name"]
        assert all(c["level"] == "community" for c in communities)
        assert {h["name"] for h in street["halls"]} == {"综合受理区", "自助区"}
        assert street["address"] and street["hours"]
    center = next(p for p in points if p["level"] == "district")
    hall_names = {h["name"] for h in center["halls"]}
    assert {"婚姻登记区", "综合受理区", "不动产登记区", "道路运输区", "24小时自助服务区"} <= hall_names
    assert figures["self_service_areas"] == 91  # 1 in the center, 11 in street centers, 79 in communities


def test_at_least_560_items_with_every_item_type(figures):
    assert figures["items"] >= 560
    assert set(figures["items_by_type"]) == ITEM_TYPES


def test_average_promised_limit_is_about_9_4_days_and_about_half_the_statutory(figures):
    assert 9.0 <= figures["average_promised_days"] <= 10.0
    assert 0.45 <= figures["compression"] <= 0.60, figures


def test_the_named_items_a_visitor_looks_for_exist(district):
    names = [i["name"] for i in district["items"]]
    assert any("营业执照" in n for n in names)
    for wanted in ("个体工商户设立登记", "公司设立登记", "食品经营许可（新办）", "建设工程规划许可证核发（新办）",
                   "医疗机构执业登记（新办）", "最低生活保障审批（新申请）", "城镇污水排入排水管网许可（新办）"):
        assert wanted in names, wanted
    assert len(names) == len(set(names)), "two items share a name"


def test_item_codes_are_unique_and_fit_the_catalog(district):
    codes = [i["implementation_code"] for i in district["items"]]
    assert len(codes) == len(set(codes))
    assert all(len(c) <= 64 and len(i["basic_code"]) <= 32 for c, i in zip(codes, district["items"], strict=True))


def test_every_item_is_consistent_the_way_provincial_item_checks_require(district):
    for item in district["items"]:
        where = item["name"]
        assert 0 <= item["promised_days"] <= item["statutory_days"], where
        assert item["visits"] in (0, 1, 2) and item["online_depth"] in (1, 2, 3, 4), where
        if item["case_kind"] == "instant":
            assert item["promised_days"] == 0 and "immediate" in item["modes"], where
        else:
            assert item["promised_days"] >= 1 and "immediate" not in item["modes"], where
        if item["online_depth"] == 4:
            assert item["visits"] == 0, f"{where}: 全程网办 must need no visit"
        assert ("online" in item["modes"]) == (item["online_depth"] == 4), where
        assert ("one_visit" in item["modes"]) == (item["visits"] <= 1), where
        if item["level"] != "district":
            assert "nearby" in item["modes"], where
        if item["item_type"] == "行政许可":
            assert item["supervising_department"], f"{where}: a licence needs a supervising department"
        assert item["fee_free"] == (item["fee_amount"] is None), where
        assert item["consult_phone"] and item["consult_phone"] != item["complaint_phone"], where
        assert item["legal_basis"] and item["conditions"] and item["handling_place"], where


def test_materials_are_three_to_ten_with_tolerated_and_government_issued_ones(district):
    tolerated = fetchable = 0
    issued = set()
    for item in district["items"]:
        materials = item["materials"]
        assert 3 <= len(materials) <= 10, item["name"]
        assert len({m["name"] for m in materials}) == len(materials), item["name"]
        for m in materials:
            tolerated += m["requirement"] == "tolerated"
            if m["source"] == "government":
                fetchable += 1
                assert m["issuer"], m
                issued.add(m["name"])
    assert tolerated >= 50 and fetchable >= 500
    assert "营业执照" in issued
    assert any("居民身份证" in n for n in issued)
    assert any("不动产权证书" in n for n in issued)


def test_steps_go_accept_review_decide_deliver_and_share_the_promised_days(district):
    for item in district["items"]:
        steps = item["steps"]
        assert [s["role"] for s in steps] == ["accept", "review", "decide", "deliver"], item["name"]
        assert sum(s["days"] for s in steps) == item["promised_days"], item["name"]
        assert all(s["days"] >= 0 and (s["days"] * 2) == int(s["days"] * 2) for s in steps), item["name"]


def _topological_order(entries: list[dict]) -> list[str]:
    remaining = {e["item"]: set(e["requires"]) for e in entries}
    order = []
    while remaining:
        ready = sorted(code for code, needs in remaining.items() if not needs - set(order))
        assert ready, f"prerequisites form a cycle among {sorted(remaining)}"
        order += ready
        for code in ready:
            del remaining[code]
    return order


def test_four_themes_from_several_departments_with_acyclic_prerequisites(district):
    items = {i["implementation_code"]: i for i in district["items"]}
    themes = {t["name"]: t for t in district["themes"]}
    assert set(themes) == {"开旅馆", "开饭店", "开办娱乐场所", "工程建设项目审批"}
    department_codes = {d["code"] for d in district["departments"]}
    for theme in themes.values():
        entries = theme["items"]
        assert 4 <= len(entries) <= 6, theme["name"]
        assert len({items[e["item"]]["department"] for e in entries}) >= 3, theme["name"]
        assert theme["lead_department"] in department_codes
        assert len(_topological_order(entries)) == len(entries)
        assert any(e["requires"] for e in entries), f"{theme['name']} has no prerequisites"
        promised = {e["item"]: items[e["item"]]["promised_days"] for e in entries}
        assert theme["promised_days"] == critical_path_days(entries, promised)
        assert max(promised.values()) <= theme["promised_days"] <= sum(promised.values())


def test_a_restaurant_needs_its_business_licence_before_the_food_licence(district):
    items = {i["implementation_code"]: i for i in district["items"]}
    restaurant = next(t for t in district["themes"] if t["code"] == "restaurant")
    food = next(e for e in restaurant["items"] if items[e["item"]]["name"] == "食品经营许可（新办）")
    assert [items[code]["result_name"] for code in food["requires"]] == ["营业执照"]


def test_a_cycle_in_prerequisites_is_refused():
    entries = [{"item": "A", "requires": ["B"]}, {"item": "B", "requires": ["A"]}]
    with pytest.raises(ValueError, match="循环"):
        critical_path_days(entries, {"A": 1, "B": 1})


def test_the_figures_hold_for_other_seeds_too():
    for seed in (1, 99, 123456):
        figures = district_figures(build_district(seed))
        assert figures["items"] >= 560
        assert 9.0 <= figures["average_promised_days"] <= 10.0
        assert 0.45 <= figures["compression"] <= 0.60
        flags = ("departments", "with_approval_functions", "functions_concentrated", "unit_stationed", "window_authorized")
        assert [figures[k] for k in flags] == [30, 27, 22, 13, 15]
