"""Integer columns take whole numbers only (issue 10 §1): 2.5 promised days is refused, never stored as 2; a
number within a tiny epsilon of a whole one (what arithmetic in a spreadsheet writes) is that number."""

import pytest

from onewindow.catalog.importexport import CatalogFileInvalid, import_catalog
from onewindow.catalog.importexport.rows import whole_number
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db


def test_2_5_promised_days_in_json_is_refused_and_nothing_is_written():
    data = catalog_data(2)
    data["items"][1]["promised_days"] = 2.5
    data["items"][0]["materials"][0]["copies"] = 1.5
    data["departments"][0]["sort_order"] = True

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert raised.value.problems == [
        "departments[0]：sort_order：应为整数，不是“True”",
        "items[0].materials[0]：copies：应为整数，不是“1.5”",
        "items[1]：promised_days：应为整数，不是“2.5”",
    ]
    assert not ServiceItem.objects.exists()


def test_9_999999999999998_in_json_is_10_and_numbers_as_text_are_numbers():
    data = catalog_data(2)
    data["items"][0]["promised_days"] = 9.999999999999998
    data["items"][0]["statutory_days"] = "20"
    data["items"][1]["max_extension_days"] = "5.0"
    data["items"][1]["steps"][1]["days"] = 0.30000000000000004  # a step's days have one decimal place

    import_catalog(data)

    first, second = (i.published_version for i in ServiceItem.objects.order_by("implementation_code"))
    assert (first.promised_days, first.statutory_days, second.max_extension_days) == (10, 20, 5)
    assert str(second.steps.get(order=2).days) == "0.3"


@pytest.mark.parametrize(
    ("value", "number"),
    [(10, 10), (9.999999999999998, 10), (10.000000000000002, 10), (-0.0, 0), ("１０", 10), (" 7 ", 7),
     ("7.0", 7), (2.5, None), (9.99, None), ("2.5", None), ("ten", None), (True, None), (float("nan"), None),
     (float("inf"), None), ("", None)],
)
def test_whole_number(value, number):
    assert whole_number(value) == number
