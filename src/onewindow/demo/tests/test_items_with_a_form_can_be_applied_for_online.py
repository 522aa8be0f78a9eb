"""Every demo item with an application form that people apply for online in real life (许可, 备案, 登记, 社保转移)
is offered online (全程网办), so its form can be tried as an applicant would — 食品经营许可（新办） at
/apply/<its code>/ rather than only inside the 开饭店 package or at the window; an inspection (行政检查) is the
authority's own and is not."""

from __future__ import annotations

from onewindow.demo.district import build_district
from onewindow.demo.forms_data import theme_item_names, top_item_names


def test_every_item_with_a_form_but_an_inspection_is_offered_online():
    with_form = set(theme_item_names()) | set(top_item_names())
    items = {item["name"]: item for item in build_district(2018)["items"] if item["name"] in with_form}
    assert set(items) == with_form
    offline = sorted(name for name, item in items.items() if "online" not in item["modes"])
    assert offline == ["食品经营者监督检查"]
    food = items["食品经营许可（新办）"]
    assert food["online_depth"] == 4 and food["visits"] == 0 and "electronic" in food["delivery"]
    assert len(items) - len(offline) == 24
