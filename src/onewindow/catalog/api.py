"""Catalog API (事项清单): /departments, /items, /items/{implementation_code}, /themes, /themes/{code}."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from onewindow.catalog import selectors
from onewindow.catalog.models import Department, ItemType, ItemVersion, ServiceItem, Theme
from onewindow.core.errors import InvalidInput
from onewindow.core.params import PageNumber, page_bounds

router = Router(tags=["事项清单 catalog"])

ModeName = Literal["immediate", "online", "nearby", "one_visit"]
LevelName = Literal["district", "street", "community"]


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    phone: str
    item_count: int = Field(description="已发布事项数")


class ItemQuery(Schema):
    q: str = Field("", max_length=100, description="关键词：名称中的汉字、拼音全拼或首字母（yyzz；多音字的各个读音均可）、实施编码；以空格分隔的几个词须同时匹配")
    department: str | None = Field(None, max_length=16, description="部门编码")
    type: str | None = Field(None, max_length=30, description="事项类型代码或名称（01 / 行政许可）")
    mode: ModeName | None = Field(None, description="办理方式：马上办、网上办、就近办、一次办")
    level: LevelName | None = Field(None, description="行使层级")
    theme: str | None = Field(None, max_length=32, description="一件事主题编码")
    page: PageNumber = 1
    page_size: int = Field(20, ge=1, le=100, description="每页条数")


class ItemSummaryOut(Schema):
    id: int = Field(description="事项 id：收件、申报（POST /api/v1/cases/intake、/apply）的 item_id")
    implementation_code: str
    basic_code: str
    name: str
    department: str
    department_name: str
    item_type: str
    item_type_code: str
    level: str
    version: int = Field(description="现行版本的版本号")
    statutory_days: int
    promised_days: int
    case_kind: str
    visits: int
    modes: list[str]


class ItemPageOut(Schema):
    count: int = Field(description="符合条件的事项总数")
    page: int
    page_size: int
    pages: int
    results: list[ItemSummaryOut]


class ItemMaterialOut(Schema):
    """申请材料 of the published version (办事指南)."""

    id: int = Field(description="材料 id：收件、申报、补正（POST /api/v1/cases/intake、/apply、/{number}/resubmit）、"
                                "补正告知（/{number}/request-correction 的 items[].material_id）、容缺受理（/{number}/accept "
                                "的 tolerated）、上传材料（/{number}/materials 的 material_id）的 material_id；"
                                "属于现行版本，事项发布新版本后换新")
    order: int
    name: str
    form: str
    copies: int
    requirement: str
    source: str
    issuer: str
    notes: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    days: Decimal
    description: str


class ItemDetailOut(ItemSummaryOut):
    version_id: int = Field(description="现行版本 id：依此版本受理的办件的 item_version_id")
    published_at: dt.datetime | None
    change_reason: str
    legal_basis: str
    conditions: str
    service_objects: str
    time_limit_note: str
    max_extension_days: int
    online_depth: int
    fee_free: bool
    fee_amount: Decimal | None
    fee_basis: str
    handling_place: str
    handling_hours: str
    result_type: str
    result_name: str
    delivery: list[str]
    central_acceptance: bool
    online_platform: bool
    supervising_department: str | None
    consult_phone: str
    complaint_phone: str
    materials: list[ItemMaterialOut]
    steps: list[StepOut]


class ThemeSummaryOut(Schema):
    code: str
    name: str
    description: str
    lead_department: str
    promised_days: int
    item_count: int


class ThemeEntryOut(Schema):
    implementation_code: str
    name: str
    department: str
    published: bool
    requires: list[str] = Field(description="前置事项的实施编码")


class ThemeDetailOut(ThemeSummaryOut):
    items: list[ThemeEntryOut]
    serial_days: int = Field(description="各事项承诺时限之和（串联办理）")
    critical_path_days: int = Field(description="前置关系图上最长链的承诺时限（并联办理）")
    critical_path: list[str] = Field(description="最长链上的事项实施编码，按先后")


DETAIL_ELEMENTS = [
    "published_at",
    "change_reason",
    "legal_basis",
    "conditions",
    "service_objects",
    "time_limit_note",
    "max_extension_days",
    "online_depth",
    "fee_free",
    "fee_amount",
    "fee_basis",
    "handling_place",
    "handling_hours",
    "result_type",
    "result_name",
    "central_acceptance",
    "online_platform",
    "consult_phone",
    "complaint_phone",
]


def _summary(item: ServiceItem) -> dict:
    v: ItemVersion = item.published_version
    return {
        "id": item.pk,
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "name": item.name,
        "department": item.department.code,
        "department_name": item.department.name,
        "item_type": v.item_type.name,
        "item_type_code": v.item_type.code,
        "level": v.level,
        "version": v.number,
        "statutory_days": v.statutory_days,
        "promised_days": v.promised_days,
        "case_kind": v.case_kind,
        "visits": v.visits,
        "modes": [name for name, attr in selectors.MODE_FIELDS.items() if getattr(v, attr)],
    }


@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
def list_departments(request):
    return list(selectors.departments_with_counts())


@router.get("/items", response=ItemPageOut, summary="事项检索（分页）")
def list_items(request, filters: Query[ItemQuery]):
    if filters.department and not Department.objects.filter(code=filters.department).exists():
        raise InvalidInput(f"部门编码“{filters.department}”不存在", fields={"department": "未知部门编码"})
    if (
        filters.type
        and not ItemType.objects.filter(code=filters.type).exists()
        and not ItemType.objects.filter(name=filters.type).exists()
    ):
        raise InvalidInput(f"事项类型“{filters.type}”不存在", fields={"type": "未知事项类型"})
    if filters.theme and not Theme.objects.filter(code=filters.theme, published=True).exists():
        raise InvalidInput(f"一件事主题“{filters.theme}”不存在", fields={"theme": "未知主题编码"})
    items = selectors.published_items(
        q=filters.q,
        department=filters.department,
        item_type=filters.type,
        level=filters.level,
        mode=filters.mode,
        theme=filters.theme,
    )
    count = items.count()
    start, stop = page_bounds(count, filters.page, filters.page_size)
    results = [_summary(item) for item in items[start:stop]]
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": math.ceil(count / filters.page_size),
        "results": results,
    }


@router.get("/items/{implementation_code}", response=ItemDetailOut, summary="办事指南：事项的现行版本、材料与环节")
def get_item(request, implementation_code: str):
    item = selectors.get_published_item(implementation_code)
    v = item.published_version
    return {
        **_summary(item),
        "version_id": v.pk,
        **{name: getattr(v, name) for name in DETAIL_ELEMENTS},
        "delivery": [name for name, attr in selectors.DELIVERY_FIELDS.items() if getattr(v, attr)],
        "supervising_department": v.supervising_department.code if v.supervising_department else None,
        "materials": v.material_list,
        "steps": v.step_list,
    }


@router.get("/themes", response=list[ThemeSummaryOut], summary="一件事主题列表")
def list_themes(request):
    return [_theme(t) for t in selectors.published_themes()]


@router.get("/themes/{code}", response=ThemeDetailOut, summary="一件事主题：事项及前置事项")
def get_theme(request, code: str):
    theme = selectors.get_published_theme(code)
    items = [
        {
            "implementation_code": entry.item.implementation_code,
            "name": entry.item.name,
            "department": entry.item.department.code,
            "published": entry.item.published_version_id is not None,
            "requires": [r.item.implementation_code for r in entry.requires.all()],
        }
        for entry in theme.theme_items.all()
    ]
    figures = selectors.theme_time_figures(theme)
    return {**_theme(theme), "items": items, **figures}


def _theme(theme) -> dict:
    return {
        "code": theme.code,
        "name": theme.name,
        "description": theme.description,
        "lead_department": theme.lead_department.code,
        "promised_days": theme.promised_days,
        "item_count": theme.item_count,
    }
