"""Seed the 事项类型 lookup table with the GB/T 39046 Appendix A.1 codes."""

from django.db import migrations

ITEM_TYPES = [
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


def seed(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    for code, name in ITEM_TYPES:
        ItemType.objects.update_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    ItemType.objects.filter(code__in=[code for code, _ in ITEM_TYPES], itemversion__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_name_initials_alt"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
