"""Factories for case tests: departments, staff of every role, published items with materials, and cases
driven to any state through the services (never through the ORM)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, Channel
from onewindow.catalog.models import (
    Department,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    StaffAssignment,
)
from onewindow.core.identity import id_check_char, uscc_check_char
from onewindow.core.models import Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware Asia/Shanghai datetime on a YYYY-MM-DD day."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def identity_number(n: int = 1, birth: str = "19850612") -> str:
    """A valid resident identity number (GB 11643 check digit) for area 500103."""
    first17 = f"500103{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def credit_code(n: int = 1) -> str:
    """A valid unified social credit code (GB 32100 check character)."""
    first17 = f"91500103MA{n % 10_000_000:07d}"
    return first17 + uscc_check_char(first17)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.LazyAttribute(lambda o: f"部门{o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CITIZEN
    display_name = factory.LazyAttribute(lambda o: o.username)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @factory.post_generation
    def department(self, create, extracted, **kwargs):
        """`UserFactory(department=d)` assigns the person to d (人员所属部门)."""
        if create and extracted is not None:
            StaffAssignment.objects.update_or_create(user=self, defaults={"department": extracted})


def make_item(
    department: Department, *, promised_days: int = 10, statutory_days: int = 20, case_kind: str = "promised",
    code: str | None = None, central_acceptance: bool = True, max_extension_days: int = 10,
    materials: list[tuple[str, str, str]] | None = None, delivery_post: bool = True,
    delivery_electronic: bool = True,
) -> ServiceItem:
    """A published item with its materials: (name, requirement, source) triples."""
    item_type, _ = ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})
    code = code or f"{department.code}-{ServiceItem.objects.count() + 1:04d}"
    item = ServiceItem.objects.create(implementation_code=code, basic_code=code[:32], name=f"事项{code}",
                                      department=department)
    version = ItemVersion.objects.create(
        item=item, number=1, name=f"事项{code}", item_type=item_type, department=department,
        promised_days=promised_days, statutory_days=statutory_days, case_kind=case_kind,
        central_acceptance=central_acceptance, max_extension_days=max_extension_days, delivery_post=delivery_post,
        delivery_electronic=delivery_electronic,
    )
    if materials is None:
        materials = [
            ("申请书", Material.Requirement.REQUIRED, Material.Source.APPLICANT),
            ("户籍证明", Material.Requirement.REQUIRED, Material.Source.GOVERNMENT),
            ("场地证明", Material.Requirement.TOLERATED, Material.Source.APPLICANT),
            ("其他说明", Material.Requirement.OPTIONAL, Material.Source.APPLICANT),
        ]
    for order, (name, requirement, source) in enumerate(materials):
        Material.objects.create(version=version, order=order, name=name, requirement=requirement, source=source)
    ItemVersion.objects.filter(pk=version.pk).update(status=ItemVersion.Status.PUBLISHED)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


@dataclass
class World:
    """Two departments with staff of every role, a comprehensive window, supervisors, citizens, items."""

    dept_a: Department
    dept_b: Department
    point: ServicePoint
    item_a: ServiceItem
    item_b: ServiceItem
    clerk_a: User
    reviewer_a: User
    reviewer_a2: User
    leader_a: User
    clerk_b: User
    reviewer_b: User
    leader_b: User
    window_clerk: User
    supervisor: User
    admin: User
    citizen: User
    citizen2: User

    def actor(self, role: str) -> User:
        return {"citizen": self.citizen, "clerk": self.clerk_a, "reviewer": self.reviewer_a,
                "leader": self.leader_a}[role]


def make_world() -> World:
    dept_a = DepartmentFactory(code="SC", name="市场监管局")
    dept_b = DepartmentFactory(code="WJ", name="卫生健康委")
    point = ServicePoint.objects.create(code="YZ", name="渝中区行政服务中心", level="district")

    def staff(username: str, role: str, department: Department | None) -> User:
        return UserFactory(username=username, role=role, department=department)

    return World(
        dept_a=dept_a, dept_b=dept_b, point=point,
        item_a=make_item(dept_a, code="SC-0001"), item_b=make_item(dept_b, code="WJ-0001"),
        clerk_a=staff("clerk_a", Role.CLERK, dept_a), reviewer_a=staff("reviewer_a", Role.REVIEWER, dept_a),
        reviewer_a2=staff("reviewer_a2", Role.REVIEWER, dept_a), leader_a=staff("leader_a", Role.LEADER, dept_a),
        clerk_b=staff("clerk_b", Role.CLERK, dept_b), reviewer_b=staff("reviewer_b", Role.REVIEWER, dept_b),
        leader_b=staff("leader_b", Role.LEADER, dept_b), window_clerk=staff("window", Role.CLERK, None),
        supervisor=staff("supervisor", Role.SUPERVISOR, None), admin=staff("admin", Role.ADMIN, None),
        # The citizens' accounts are 实名: `citizen` is the person of `person(1)` / `new_case`, `citizen2` of n=2.
        citizen=UserFactory(username="citizen", role=Role.CITIZEN, identity_number=identity_number(1)),
        citizen2=UserFactory(username="citizen2", role=Role.CITIZEN, identity_number=identity_number(2)),
    )


def person(n: int = 1) -> services.Applicant:
    return services.Applicant(kind="person", name="张三", id_number=identity_number(n), mobile="13800138000")


def new_case(world: World, *, item: ServiceItem | None = None, when: dt.datetime | None = None, n: int = 1,
             submit: bool = True, clerk: User | None = None) -> Case:
    """A case taken in at the window for `world.citizen`, submitted unless `submit=False`."""
    case, _ = services.create_case(
        by=clerk or world.clerk_a, item=item or world.item_a, applicant=person(n), channel=Channel.WINDOW,
        service_point=world.point, applicant_user=world.citizen, submit=submit, at=when or at("2025-09-01"),
    )
    return case


def complete_materials(case: Case, *, by: User, when: dt.datetime | None = None, tolerated: bool = True) -> None:
    """Provide every required material (and the tolerated ones unless `tolerated=False`)."""
    from onewindow.cases.selectors import missing_materials

    for material in missing_materials(case):
        if material.requirement == Material.Requirement.TOLERATED and not tolerated:
            continue
        if material.source == Material.Source.GOVERNMENT:
            services.fetch_shared_material(case, by=by, material_id=material.pk, at=when)
        else:
            services.add_material(case, by=by, content=PDF + material.name.encode(), filename=f"{material.pk}.pdf",
                                  material_id=material.pk, at=when)


def case_in_state(world: World, state: str, *, when: dt.datetime | None = None, n: int = 1) -> Case:
    """A case of department A driven to `state` through the services, all on the day of `when`."""
    when = when or at("2025-09-01")
    case = new_case(world, when=when, n=n, submit=state != State.DRAFT)
    if state in (State.DRAFT, State.SUBMITTED):
        return case
    if state == State.CORRECTION_REQUESTED:
        services.request_correction(case, by=world.clerk_a, items=correction_items(case), at=when)
        return case
    if state == State.NOT_ACCEPTED:
        services.refuse_case(case, by=world.clerk_a, reason="不属于本机关职权范围", at=when)
        return case
    if state == State.WITHDRAWN:
        services.withdraw_case(case, by=world.citizen, reason="不再需要", at=when)
        return case
    complete_materials(case, by=world.clerk_a, when=when)
    services.accept_case(case, by=world.clerk_a, at=when)
    if state == State.ACCEPTED:
        return case
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=when)
    if state == State.IN_REVIEW:
        return case
    if state == State.SUSPENDED:
        services.suspend_case(case, by=world.reviewer_a, kind="expert_review", reason="组织专家评审",
                              expected_days=10, at=when)
        return case
    if state == State.TERMINATED:
        services.terminate_case(case, by=world.leader_a, reason="申请人死亡", legal_basis="行政许可法第七十条", at=when)
        return case
    if state == State.DENIED:
        services.deny_case(case, by=world.reviewer_a, reason="不符合条件", legal_basis="某条例第五条", at=when)
        return case
    services.approve_case(case, by=world.reviewer_a, at=when)
    if state == State.APPROVED:
        return case
    services.issue_result(case, by=world.clerk_a, licence_number="SC2025-0001", at=when)
    if state == State.RESULT_ISSUED:
        return case
    services.deliver_case(case, by=world.clerk_a, pickup_code=case.pickup_code, at=when)
    assert state == State.DELIVERED
    return case


def correction_items(case: Case) -> list[services.CorrectionItem]:
    """A correction notice listing every missing material (and, if none, one faulty one by name)."""
    from onewindow.cases.selectors import missing_materials

    items = [services.CorrectionItem(material_id=m.pk, problem="未提交") for m in missing_materials(case)]
    return items or [services.CorrectionItem(name="申请书", problem="未签名")]


# -- special procedures, hearings, tolerated materials after the decision -------------------------------------------
HEARING_STAGES = ("notified", "requested", "scheduled", "lapsable")


def hearing_case(world: World, stage: str, *, n: int = 1) -> Case:
    """A case in review by reviewer_a whose hearing (听证) reached `stage`, for acts on or after 2025-09-02:
    notified 2025-09-01 (window open to 09-08); requested 09-01 (hold by 09-29); scheduled — told 2025-08-01,
    requested 08-04, time and place told 08-05 for a hearing on 08-20, so it can be recorded now; lapsable — told
    2025-08-01, nobody asked by 08-06."""
    early = stage in ("scheduled", "lapsable")
    start = "2025-08-01" if early else "2025-09-01"
    case = case_in_state(world, State.IN_REVIEW, when=at(start), n=n)
    services.notify_hearing_right(case, by=world.reviewer_a, matter="涉及相邻住户的采光权", interested_parties="李四\n王五",
                                  at=at(start, 11))
    if stage in ("requested", "scheduled"):
        services.request_hearing(case, by=world.clerk_a, party="李四", at=at("2025-08-04" if early else start, 15))
    if stage == "scheduled":
        services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-08-20", 9), place="中心三楼听证室",
                                  presiding_officer=world.leader_a, at=at("2025-08-05"))
    return Case.objects.get(pk=case.pk)


def tolerated_approval(world: World, *, accepted: str = "2025-08-01", due: str = "2025-08-20",
                       approved: str = "2025-08-05", n: int = 1) -> Case:
    """A case accepted with its tolerated (容缺) material missing, promised by `due`, then approved before it came."""
    case = new_case(world, when=at(accepted), n=n)
    complete_materials(case, by=world.clerk_a, when=at(accepted), tolerated=False)
    tolerated = [m.pk for m in case.item_version.materials.filter(requirement=Material.Requirement.TOLERATED)]
    services.accept_case(case, by=world.clerk_a, tolerated=tolerated, tolerance_due_on=dt.date.fromisoformat(due),
                         at=at(accepted))
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at(accepted))
    services.approve_case(case, by=world.reviewer_a, legal_basis="某条例第五条", at=at(approved))
    return Case.objects.get(pk=case.pk)
