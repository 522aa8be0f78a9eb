import pytest

from onewindow.catalog.models import ItemType

pytestmark = pytest.mark.django_db


def test_the_gbt_39046_item_types_are_loaded_by_the_migrations():
    assert list(ItemType.objects.values_list("code", "name")) == [
        ("01", "行政许可"),
        ("02", "行政处罚"),
        ("03", "行政强制"),
        ("04", "行政征收"),
        ("05", "行政给付"),
        ("06", "行政检查"),
        ("07", "行政确认"),
        ("08", "行政奖励"),
        ("09", "行政裁决"),
        ("10", "其他行政权力"),
        ("20", "公共服务"),
    ]
