"""factory_boy factories for the catalog: departments, items with a published version, materials, steps, themes."""

from __future__ import annotations

import importlib

import factory

from onewindow.catalog import services
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.core.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"区第{n}局")
    sort_order = factory.Sequence(lambda n: n)


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    code = factory.Sequence(lambda n: f"SP{n}")
    name = factory.Sequence(lambda n: f"行政服务中心{n}")
    level = "district"


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    service_point = factory.SubFactory(ServicePointFactory)
    code = factory.Sequence(lambda n: f"H{n}")
    name = "综合受理区"


def item_type(name: str = "行政许可") -> ItemType:
    """The seeded item type of that name (the data migration loads GB/T 39046 A.1); seeded again when a
    transactional test that ran before this one flushed the migration's rows."""
    found = ItemType.objects.filter(name=name).first()
    if found is None:
        seeded = importlib.import_module("onewindow.catalog.migrations.0004_seed_item_types")
        for code, type_name in seeded.ITEM_TYPES:
            ItemType.objects.update_or_create(code=code, defaults={"name": type_name})
        found = ItemType.objects.get(name=name)
    return found


class ServiceItemFactory(factory.django.DjangoModelFactory):
    """An item with version 1 published (3 materials, 2 steps unless told otherwise)."""

    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    implementation_code = factory.Sequence(lambda n: f"1150010300000000{n:06d}")
    basic_code = factory.Sequence(lambda n: f"XK{n:05d}000")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        elements = {
            "name": self.name,
            "department": self.department,
            "item_type": item_type(kwargs.pop("type_name", "行政许可")),
            "statutory_days": 20,
            "promised_days": 10,
            **kwargs,
        }
        n_materials = elements.pop("n_materials", 3)
        n_steps = elements.pop("n_steps", 2)
        version = ItemVersion(item=self, number=1, **elements)
        version.save()
        Material.objects.bulk_create(
            Material(version=version, order=i, name=f"{self.name}材料{i}") for i in range(1, n_materials + 1)
        )
        roles = ["accept", "review", "decide", "certify", "deliver"]
        Step.objects.bulk_create(
            Step(version=version, order=i, name=f"环节{i}", role=roles[(i - 1) % 5], days=1)
            for i in range(1, n_steps + 1)
        )
        services.publish_version(version, by=None, reason="首次发布")
        self.refresh_from_db()


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    code = factory.Sequence(lambda n: f"theme{n}")
    name = factory.Sequence(lambda n: f"一件事{n}")
    lead_department = factory.SubFactory(DepartmentFactory)
    promised_days = 10


class ThemeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeItem

    theme = factory.SubFactory(ThemeFactory)
    item = factory.SubFactory(ServiceItemFactory)
    order = factory.Sequence(lambda n: n)


def catalog_data(n_items: int = 3) -> dict:
    """A small catalog file in the docs/catalog-format.md shape: 2 departments, 2 service points, items, a theme."""
    items = []
    for n in range(n_items):
        dept = "SCJ" if n % 2 == 0 else "RSJ"
        items.append(
            {
                "implementation_code": f"11500103MB1234567X45000010{n:05d}",
                "basic_code": f"XK{n:05d}000",
                "department": dept,
                "name": "营业执照核发" if n == 0 else f"事项{n}",
                "item_type": "行政许可" if n % 3 else "01",
                "level": "district",
                "legal_basis": "《中华人民共和国行政许可法》",
                "conditions": "申请人符合法定条件",
                "service_objects": "企业法人",
                "statutory_days": 20,
                "promised_days": 5 + n % 5,
                "time_limit_note": "",
                "max_extension_days": 10,
                "case_kind": "promised",
                "visits": 1,
                "modes": ["online", "one_visit"] if n % 2 == 0 else ["nearby"],
                "online_depth": 3,
                "fee_free": n % 4 != 3,
                "fee_amount": 12.5 if n % 4 == 3 else None,
                "fee_basis": "",
                "handling_place": "区行政服务中心一楼",
                "handling_hours": "工作日 9:00-17:00",
                "result_type": "许可证",
                "result_name": "营业执照",
                "delivery": ["pickup", "post"],
                "central_acceptance": True,
                "online_platform": True,
                "supervising_department": "SCJ",
                "consult_phone": "023-63000000",
                "complaint_phone": "023-12345",
                "change_reason": "首次发布",
                "materials": [
                    {
                        "name": "申请书",
                        "form": "original",
                        "copies": 1,
                        "requirement": "required",
                        "source": "applicant",
                        "issuer": "",
                        "notes": "",
                    },
                    {
                        "name": "营业执照副本",
                        "form": "copy",
                        "copies": 1,
                        "requirement": "tolerated",
                        "source": "government",
                        "issuer": "区市场监管局",
                        "notes": "可通过数据共享获取",
                    },
                ],
                "steps": [
                    {"name": "受理", "role": "accept", "days": 1, "description": ""},
                    {"name": "审查", "role": "review", "days": 2.5, "description": "材料齐全"},
                ],
            }
        )
    themes = []
    if n_items >= 2:
        themes.append(
            {
                "code": "restaurant",
                "name": "开饭店",
                "description": "开办餐饮店一件事",
                "lead_department": "SCJ",
                "promised_days": 10,
                "items": [
                    {"item": items[0]["implementation_code"], "requires": []},
                    {"item": items[1]["implementation_code"], "requires": [items[0]["implementation_code"]]},
                ],
            }
        )
    return {
        "format": "onewindow-catalog/1",
        "departments": [
            {
                "code": "SCJ",
                "name": "区市场监督管理局",
                "short_name": "市场监管",
                "credit_code": "",
                "has_approval_functions": True,
                "functions_concentrated": True,
                "unit_stationed": True,
                "window_authorized": True,
                "has_approval_seal": True,
                "phone": "023-63000000",
            },
            {
                "code": "RSJ",
                "name": "区人力资源和社会保障局",
                "short_name": "人社",
                "credit_code": "",
                "has_approval_functions": True,
                "functions_concentrated": False,
                "unit_stationed": True,
                "window_authorized": False,
                "has_approval_seal": False,
                "phone": "",
            },
        ],
        "service_points": [
            {
                "code": "YZ",
                "name": "渝中区行政服务中心",
                "level": "district",
                "parent": None,
                "address": "渝中区某路1号",
                "hours": "工作日 9:00-17:00",
                "phone": "023-63000001",
                "halls": [
                    {"code": "YZ-1F-ZH", "name": "综合受理区", "floor": "1F", "hours": "", "self_service": False}
                ],
            },
            {
                "code": "YZ-JD1",
                "name": "解放碑街道便民服务中心",
                "level": "street",
                "parent": "YZ",
                "address": "",
                "hours": "",
                "phone": "",
                "halls": [],
            },
        ],
        "items": items,
        "themes": themes,
    }
