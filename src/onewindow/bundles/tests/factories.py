"""A small 开饭店-like world for 一件事 tests, built through the catalog models and driven through services.

Items (department, promised days) and prerequisites:
    licence 营业执照 (SC, 3)      env 环评登记 (HB, 1)
    food 食品经营许可 (WS, 5) ← licence          fire 消防检查 (XF, 7) ← licence
    drain 排水许可 (PS, 5) ← licence, env
Serial sum 21; critical path licence → fire = 10. The theme promises 10.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from onewindow.bundles import services
from onewindow.bundles.models import MaterialLink, Package
from onewindow.cases import services as case_services
from onewindow.cases.models import Case
from onewindow.catalog.models import (
    Department,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    StaffAssignment,
    Theme,
    ThemeItem,
)
from onewindow.core.identity import uscc_check_char
from onewindow.core.models import Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
APPLICANT, GOVERNMENT = Material.Source.APPLICANT, Material.Source.GOVERNMENT
REQUIRED = Material.Requirement.REQUIRED

ITEMS = {
    # key: (department code, promised days, [(material, source)], prerequisites)
    "licence": ("SC", 3, [("申请书", APPLICANT), ("租赁合同", APPLICANT), ("居民身份证", GOVERNMENT)], []),
    "env": ("HB", 1, [("租赁合同", APPLICANT), ("环境影响登记表", APPLICANT)], []),
    "food": ("WS", 5, [("租赁合同", APPLICANT), ("营业执照", GOVERNMENT), ("食品安全管理制度", APPLICANT)],
             ["licence"]),
    "fire": ("XF", 7, [("消防设计图", APPLICANT), ("营业执照", GOVERNMENT)], ["licence"]),
    "drain": ("PS", 5, [("房屋租赁合同", APPLICANT), ("排水设施图", APPLICANT)], ["licence", "env"]),
}
# What the applicant brings once on the merged form (房屋租赁合同 is linked to 租赁合同).
FORM = ["申请书", "租赁合同", "环境影响登记表", "食品安全管理制度", "消防设计图", "排水设施图"]


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def credit_code(n: int = 1) -> str:
    first17 = f"91500103MA{n % 10_000_000:07d}"
    return first17 + uscc_check_char(first17)


def company(n: int = 1) -> case_services.Applicant:
    return case_services.Applicant(kind="organization", name=f"渝中味道餐饮有限公司{n}", id_number=credit_code(n),
                                   mobile="13800138000", legal_representative="李四")


def make_item(department: Department, key: str, promised_days: int, materials: list[tuple[str, str]]) -> ServiceItem:
    item_type, _ = ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})
    code = f"{department.code}-{key}"
    item = ServiceItem.objects.create(implementation_code=code, basic_code=code, name=f"{key}许可",
                                      department=department)
    version = ItemVersion.objects.create(item=item, number=1, name=f"{key}许可", item_type=item_type,
                                         department=department, promised_days=promised_days,
                                         statutory_days=max(promised_days, 20), supervising_department=None)
    for order, (name, source) in enumerate(materials):
        Material.objects.create(version=version, order=order, name=name, requirement=REQUIRED, source=source)
    ItemVersion.objects.filter(pk=version.pk).update(status=ItemVersion.Status.PUBLISHED)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


@dataclass
class World:
    departments: dict[str, Department]
    items: dict[str, ServiceItem]
    theme: Theme
    entries: dict[str, ThemeItem]
    window: User  # 综合窗口 clerk
    lead_clerk: User
    reviewers: dict[str, User]
    clerks: dict[str, User]
    citizen: User
    supervisor: User
    admin: User
    outsider: User  # a reviewer of a department with no item in the theme
    extra: dict = field(default_factory=dict)


def _user(username: str, role: str, department: Department | None = None) -> User:
    user = User.objects.create(username=username, role=role, display_name=username,
                               email=f"{username}@example.org")
    if department is not None:
        StaffAssignment.objects.create(user=user, department=department)
    return user


def _legal_person_account() -> User:
    """The restaurant's own 法人账号: its verified number (实名) is the credit code of `company(1)`."""
    user = _user("citizen", Role.CITIZEN)
    User.objects.filter(pk=user.pk).update(identity_number=credit_code(1))
    user.identity_number = credit_code(1)
    return user


def make_world() -> World:
    names = {"SC": "市场监管局", "HB": "生态环境局", "WS": "卫生健康委", "XF": "消防救援支队", "PS": "水务局",
             "JY": "教育委员会"}
    departments = {code: Department.objects.create(code=code, name=name, short_name=name[:4])
                   for code, name in names.items()}
    items = {key: make_item(departments[spec[0]], key, spec[1], spec[2]) for key, spec in ITEMS.items()}
    theme = Theme.objects.create(code="restaurant", name="开饭店", lead_department=departments["SC"],
                                 promised_days=10)
    entries = {key: ThemeItem.objects.create(theme=theme, item=items[key], order=n + 1)
               for n, key in enumerate(ITEMS)}
    for key, spec in ITEMS.items():
        entries[key].requires.set([entries[r] for r in spec[3]])
    MaterialLink.objects.create(theme=theme, label="租赁合同", names=["房屋租赁合同"])
    reviewers = {code: _user(f"reviewer_{code.lower()}", Role.REVIEWER, d) for code, d in departments.items()}
    clerks = {code: _user(f"clerk_{code.lower()}", Role.CLERK, d) for code, d in departments.items()}
    return World(
        departments=departments, items=items, theme=theme, entries=entries,
        window=_user("window", Role.CLERK), lead_clerk=clerks["SC"], reviewers=reviewers, clerks=clerks,
        citizen=_legal_person_account(), supervisor=_user("supervisor", Role.SUPERVISOR),
        admin=_user("admin", Role.ADMIN), outsider=reviewers["JY"],
    )


def form_files(names: list[str] | None = None) -> list[services.PackageFile]:
    return [services.PackageFile(name, PDF + name.encode(), f"{name}.pdf") for name in (names or FORM)]


def apply(world: World, *, when: str = "2025-09-01", names: list[str] | None = None, key: str = "",
          by: User | None = None, n: int = 1) -> Package:
    """The citizen applies online for the restaurant theme with the whole merged form."""
    package, _ = services.apply_for_theme(
        by=by or world.citizen, theme=world.theme, applicant=company(n), channel="online",
        materials=form_files(names), idempotency_key=key, at=at(when),
    )
    return package


def accepted(world: World, *, when: str = "2025-09-01", n: int = 1) -> Package:
    package = apply(world, when=when, n=n)
    return services.accept_package(package, by=world.window, at=at(when, 11))


def sub_case(package: Package, key: str) -> Case:
    """The sub-case of `package` for the world's item `key`, fresh from the database."""
    return Case.objects.select_related("item_version", "department").get(
        package_link__package=package, item__implementation_code__endswith=f"-{key}")


def decide(world: World, package: Package, key: str, *, approve: bool = True, when: str = "2025-09-03",
           reason: str = "不符合条件") -> Case:
    """The item's department reviewer decides its sub-case through the case engine."""
    case = sub_case(package, key)
    reviewer = world.reviewers[case.department.code]
    if approve:
        return case_services.approve_case(case, by=reviewer, at=at(when))
    return case_services.deny_case(case, by=reviewer, reason=reason, legal_basis="某条例第五条", at=at(when))


def issue(world: World, package: Package, key: str, *, when: str = "2025-09-05") -> Case:
    case = sub_case(package, key)
    clerk = world.clerks[case.department.code]
    if case.state == "denied":
        return case_services.issue_denial(case, by=clerk, at=at(when, 16))
    licence = f"{case.department.code}-2025-{case.pk:04d}"
    return case_services.issue_result(case, by=clerk, licence_number=licence, at=at(when, 16))


def case_on_its_own(world: World) -> Case:
    """An 环评登记 case of 生态环境局 applied for at its own window, outside any package, ready for a decision."""
    clerk = world.clerks["HB"]
    case, _ = case_services.create_case(by=clerk, item=world.items["env"], applicant=company(9), channel="window",
                                        at=at("2025-09-01"))
    for material in case.item_version.materials.all():
        case_services.add_material(case, by=clerk, content=PDF + material.name.encode(), filename="m.pdf",
                                   material_id=material.pk, at=at("2025-09-01"))
    case_services.submit_case(case, by=clerk, at=at("2025-09-01"))
    return case_services.accept_case(case, by=clerk, at=at("2025-09-01", 11))


# -- the package's one form (一表申请) --------------------------------------------------------------------------
NAME = {"key": "applicant_name", "kind": "text", "label_zh": "申请人名称", "label_en": "Applicant name",
        "required": True, "element": "applicant_name", "max_length": 100}
CREDIT = {"key": "credit_code", "kind": "credit_code", "label_zh": "统一社会信用代码", "label_en": "Credit code",
          "required": True, "element": "credit_code"}
AREA = {"key": "floor_area", "kind": "number", "label_zh": "经营面积", "label_en": "Floor area", "unit": "平方米",
        "required": True, "element": "floor_area", "min_value": 1, "max_value": 100000}
HOURS = {"key": "weekly_hours", "kind": "number", "label_zh": "每周营业时长", "label_en": "Opening hours a week"}
FORMS = {
    # 营业执照 and 食品经营许可 share the applicant, the credit code and the floor area; each has a weekly_hours of
    # its own (asked twice, under each item's code); 食品经营许可 alone asks the seats, conditionally the kitchen.
    "licence": [NAME, CREDIT, AREA, HOURS],
    "food": [NAME, CREDIT, AREA, HOURS,
             {"key": "business_type", "kind": "choice", "label_zh": "经营类型", "label_en": "Business type",
              "required": True, "choices": [{"value": "catering", "zh": "餐饮", "en": "Catering"},
                                            {"value": "retail", "zh": "零售", "en": "Retail"}]},
             {"key": "kitchen_area", "kind": "number", "label_zh": "厨房面积", "label_en": "Kitchen area",
              "required": True, "shown_when": {"field": "business_type", "equals": "catering"}},
             {"key": "seats", "kind": "number", "label_zh": "座位数", "label_en": "Seats", "required": True,
              "min_value": 1}],
}


def with_forms(world: World, *, replaces: dict[str, str] | None = None) -> dict[str, str]:
    """Give 营业执照 and 食品经营许可 a form each (a new published version); their 实施编码 by the world's key.
    `replaces`: per world key, the material (its name) that item's form stands for (the paper 申请书)."""
    from onewindow.catalog import services as catalog_services
    from onewindow.forms import services as form_services
    from onewindow.forms.tests.factories import elements

    elements()
    for key, fields in FORMS.items():
        draft = catalog_services.start_draft(world.items[key], by=None)
        form_services.save_form(draft, by=None, fields=fields, replaces=(replaces or {}).get(key, ""))
        catalog_services.publish_version(draft, by=None, reason="增加电子申请表")
        world.items[key].refresh_from_db()
    return {key: world.items[key].implementation_code for key in FORMS}


def package_answers(world: World, **changes: object) -> dict[str, object]:
    """The package form's answers, in its merged keys (the applicant `company(1)`)."""
    licence, food = world.items["licence"].implementation_code, world.items["food"].implementation_code
    answers: dict[str, object] = {"applicant_name": "渝中味道餐饮有限公司1", "credit_code": credit_code(1),
                                  "floor_area": 120, f"{licence}.weekly_hours": 70, f"{food}.weekly_hours": 60,
                                  "business_type": "catering", "kitchen_area": 30, "seats": 40}
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}
