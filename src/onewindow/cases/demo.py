"""Demo cases (演示办件): a few hundred cases in every state, back-dated through the services' `at=`.

Idempotent: each demo case carries the idempotency key `demo-{seed}-{i}`, so a second run creates nothing.
Staff accounts for every role in a few departments and a few citizens are created if missing.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from onewindow.cases import acts
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, Channel, DeliveryMethod, SuspensionKind
from onewindow.cases.selectors import light_of, missing_materials
from onewindow.catalog import acts as catalog_acts
from onewindow.catalog.models import Department, Material, ServiceItem, ServicePoint
from onewindow.catalog.selectors import department_code_of
from onewindow.core import acts as core_acts
from onewindow.core.errors import InvalidInput
from onewindow.core.identity import id_check_char, uscc_check_char
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.forms.models import FormVersion
from onewindow.forms.selectors import spec_for_version
from onewindow.forms.spec import FormSpec
from onewindow.workdays.calendar import CalendarNotLoaded
from onewindow.workdays.selectors import get_calendar

# Special procedures the demo runs; a hearing has its own acts (告知听证权利…).
PROCEDURES = [k for k in SuspensionKind.values if k != SuspensionKind.HEARING]
PREFERRED_DEPARTMENTS = ("SCJ", "GH", "RS")
DEMO_PDF = b"%PDF-1.4\n% onewindow demo material\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
COMPANIES = ["山城餐饮管理有限公司", "解放碑商贸有限公司", "嘉陵江物流有限公司", "渝中科技有限公司", "朝天门建筑工程有限公司"]
# Target states and their weights: most cases are finished, enough run to light the board.
STATE_WEIGHTS = [
    (State.DRAFT, 3), (State.SUBMITTED, 8), (State.CORRECTION_REQUESTED, 5), (State.ACCEPTED, 8),
    (State.NOT_ACCEPTED, 3), (State.IN_REVIEW, 14), (State.SUSPENDED, 4), (State.APPROVED, 4), (State.DENIED, 2),
    (State.RESULT_ISSUED, 5), (State.DELIVERED, 38), (State.WITHDRAWN, 3), (State.TERMINATED, 2),
]


def _identity(rng: random.Random) -> str:
    first17 = f"500103{rng.randint(1955, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def citizen_identity(username: str) -> str:
    """The verified identity number (实名) of a demo citizen account: fixed, valid, one per account."""
    seq = {"citizen": 1, "citizen2": 2, "citizen3": 3}.get(username, 9)
    first17 = f"50010319880808{seq:03d}"
    return first17 + id_check_char(first17)


# The demo citizens' own mobiles (the account's 手机号码, canonical 11 digits), which the forms prefill as 联系电话.
CITIZEN_MOBILES = {"citizen": "13983156021", "citizen2": "15823407718", "citizen3": "18696532047"}


def citizen_mobile(username: str) -> str:
    """The mobile of a demo citizen account: fixed, valid, one per account."""
    return CITIZEN_MOBILES.get(username, "13983150009")


def _credit_code(rng: random.Random) -> str:
    first17 = "91500103" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return first17 + uscc_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


def _ensure_user(username: str, *, role: str, department: Department | None, display_name: str,
                 accounts: list[dict[str, str]]) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        if role == Role.CITIZEN and not user.identity_number:
            core_acts.set_verified_identity(user, identity_number=citizen_identity(username), by=None)
        accounts.append({"username": username, "role": user.role, "department": department_code_of(user)})
        return user
    password = secrets.token_urlsafe(9)
    user = catalog_acts.create_staff(username=username, role=role, department=department, by=None,
                                     display_name=display_name, email=f"{username}@demo.invalid", password=password,
                                     mobile=citizen_mobile(username) if role == Role.CITIZEN else "")
    if role == Role.CITIZEN:
        core_acts.set_verified_identity(user, identity_number=citizen_identity(username), by=None)
    accounts.append({"username": username, "password": password, "role": role,
                     "department": department.code if department else ""})
    return user


def _departments() -> list[Department]:
    """The departments the demo staffs: the preferred ones if the catalog has them, else the busiest."""
    with_items = (Department.objects.filter(items__published_version__isnull=False)
                  .annotate(n=Count("items")).order_by("-n", "code"))
    preferred = [d for d in with_items if d.code in PREFERRED_DEPARTMENTS]
    return preferred or list(with_items[:3])


def _staff(departments: list[Department], accounts: list[dict[str, str]]) -> dict[str, Any]:
    labels = {Role.CLERK: "窗口人员", Role.REVIEWER: "审核人员", Role.LEADER: "负责人"}
    staff: dict[str, Any] = {}
    for department in departments:
        for role in (Role.CLERK, Role.REVIEWER, Role.LEADER):
            staff[(department.pk, role)] = _ensure_user(
                f"{department.code.lower()}-{role}", role=role, department=department,
                display_name=f"{department.short_name or department.name}{labels[role]}", accounts=accounts)
    staff["window"] = _ensure_user("window", role=Role.CLERK, department=None, display_name="综合窗口人员",
                                   accounts=accounts)
    staff["supervisor"] = _ensure_user("supervisor", role=Role.SUPERVISOR, department=None,
                                       display_name="中心督查员", accounts=accounts)
    staff["citizens"] = [
        _ensure_user(name, role=Role.CITIZEN, department=None, display_name=label, accounts=accounts)
        for name, label in (("citizen", "演示群众"), ("citizen2", "演示群众二"), ("citizen3", "演示群众三"))
    ]
    return staff


class _Timeline:
    """Working days counted back from today, and moments on them, never in the future."""

    def __init__(self, rng: random.Random, now: dt.datetime):
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar = get_calendar()
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def back(self, working_days: int) -> dt.date:
        day = self.today
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        remaining = working_days
        while remaining > 0:
            day -= dt.timedelta(days=1)
            if self.calendar.is_working_day(day):
                remaining -= 1
        return day

    def forward(self, day: dt.date, working_days: int) -> dt.date:
        return min(self.calendar.due_date(day, working_days), self.today)

    def moment(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        hour = hour if hour is not None else self.rng.randint(9, 16)
        when = dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=self.zone)
        return min(when, self.now)


def _applicant(rng: random.Random) -> acts.Applicant:
    if rng.random() < 0.25:
        return acts.Applicant(kind="organization", name=rng.choice(COMPANIES), id_number=_credit_code(rng),
                                  mobile=_mobile(rng),
                                  legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN))
    return acts.Applicant(kind="person", name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                              id_number=_identity(rng), mobile=_mobile(rng))


def _provide(case: Case, by: User, when: dt.datetime, *, leave_tolerated: bool) -> list[int]:
    """Provide the missing materials; returns the tolerated ones left out for 容缺受理."""
    left = []
    for material in missing_materials(case):
        if leave_tolerated and material.requirement == Material.Requirement.TOLERATED:
            left.append(material.pk)
        elif material.source == Material.Source.GOVERNMENT:
            acts.fetch_shared_material(case, by=by, material_id=material.pk, at=when)
        else:
            acts.add_material(case, by=by, content=DEMO_PDF, filename=f"{material.name[:40]}.pdf",
                                  material_id=material.pk, at=when)
    return left


@dataclass(frozen=True)
class _People:
    """Who acts on one demo case: the department's clerk, reviewer and leader, and the applicant (or the clerk)."""

    clerk: User
    reviewer: User
    leader: User
    applicant: User


def _drive(case: Case, target: str, *, rng: random.Random, line: _Timeline, submitted: dt.date,
           clerk: User, reviewer: User, leader: User, applicant: User | None) -> None:
    """Take a submitted case to `target` through the acts, each on a plausible back-dated day."""
    if target == State.SUBMITTED:
        return
    people = _People(clerk, reviewer, leader, applicant or clerk)
    day = _before_acceptance(case, target, rng=rng, line=line, day=submitted, people=people)
    if day is None:
        return
    day = line.forward(day, rng.randint(0, 2))
    tolerated = _provide(case, clerk, line.moment(day, 9), leave_tolerated=rng.random() < 0.3)
    promise = None
    if tolerated:
        # A 容缺 promise falls within the statutory limit of the case (acceptance refuses a later one).
        promise = min(line.calendar.due_date(day, rng.randint(3, 8)), line.calendar.due_date(day, case.statutory_days))
    acts.accept_case(case, by=clerk, at=line.moment(day, 10), tolerated=tolerated, tolerance_due_on=promise)
    if target == State.ACCEPTED:
        return
    if target == State.WITHDRAWN:
        acts.withdraw_case(case, by=people.applicant, reason="申请人主动撤回", at=line.moment(day, 16))
        return
    if case.promised_days != 0:
        acts.assign_case(case, by=leader, reviewer=reviewer, at=line.moment(day, 11))
    if target in (State.IN_REVIEW, State.SUSPENDED, State.TERMINATED):
        _stay_in_review(case, target, rng=rng, line=line, day=day, people=people)
        return
    decided = _decide(case, target, rng=rng, line=line, day=day, people=people)
    if target not in (State.APPROVED, State.DENIED):
        _issue_and_deliver(case, target, rng=rng, line=line, decided=decided, clerk=clerk)


def _before_acceptance(case: Case, target: str, *, rng: random.Random, line: _Timeline, day: dt.date,
                       people: _People) -> dt.date | None:
    """A correction round (some cases), a refusal or an early withdrawal; the day to go on from, or None if the
    case stops here."""
    if target == State.CORRECTION_REQUESTED or (target not in (State.NOT_ACCEPTED, State.WITHDRAWN)
                                                 and rng.random() < 0.15 and missing_materials(case)):
        day = line.forward(day, rng.randint(0, 2))
        items = [acts.CorrectionItem(material_id=m.pk, problem="未提交或不清晰") for m in missing_materials(case)]
        items = items or [acts.CorrectionItem(name="申请表", problem="缺少申请人签名")]
        acts.request_correction(case, by=people.clerk, items=items, at=line.moment(day, 10))
        if target == State.CORRECTION_REQUESTED:
            return None
        day = line.forward(day, rng.randint(1, 3))
        _provide(case, people.applicant, line.moment(day, 9), leave_tolerated=False)
        acts.submit_case(case, by=people.applicant, at=line.moment(day, 9))
    if target == State.NOT_ACCEPTED:
        acts.refuse_case(case, by=people.clerk, reason="申请事项不属于本机关职权范围，请向市级主管部门申请",
                         legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
                         at=line.moment(line.forward(day, rng.randint(0, 3)), 11))
        return None
    if target == State.WITHDRAWN and rng.random() < 0.5:
        acts.withdraw_case(case, by=people.applicant, reason="申请人主动撤回", at=line.moment(line.forward(day, 1), 15))
        return None
    return day


def _stay_in_review(case: Case, target: str, *, rng: random.Random, line: _Timeline, day: dt.date,
                    people: _People) -> None:
    """A case left in review: sometimes extended, or in a special procedure, or terminated."""
    if (target == State.IN_REVIEW and case.due_on and line.today <= case.due_on
            and case.item_version.max_extension_days > 0 and rng.random() < 0.15):
        acts.extend_case(case, by=people.leader, days=min(5, case.item_version.max_extension_days),
                         reason="需补充现场核查", at=line.moment(line.today, 9))
    if target == State.SUSPENDED:
        start = line.forward(day, rng.randint(1, 3))
        acts.suspend_case(case, by=people.reviewer, kind=rng.choice(PROCEDURES), expected_days=10,
                          reason="依法需要组织专家评审或检验检测", at=line.moment(start, 14))
    if target == State.TERMINATED:
        acts.terminate_case(case, by=people.leader, reason="申请人依法终止，办理终止",
                            legal_basis="《中华人民共和国行政许可法》第七十条",
                            at=line.moment(line.forward(day, 2), 15))


def _decide(case: Case, target: str, *, rng: random.Random, line: _Timeline, day: dt.date,
            people: _People) -> dt.date:
    """Decide: mostly early, a few on the day, a few late (the on-time rate stays realistic); the decision day."""
    instant = case.promised_days == 0
    if instant:
        decided = day
    else:
        if rng.random() < 0.2:
            start = line.forward(day, 1)
            acts.suspend_case(case, by=people.reviewer, kind=rng.choice(PROCEDURES), expected_days=5,
                              reason="组织专家评审", at=line.moment(start, 14))
            acts.resume_case(case, by=people.reviewer, at=line.moment(line.forward(start, rng.randint(1, 4)), 10))
        spread = max(1, case.promised_days)
        offset = rng.choice([rng.randint(1, spread), rng.randint(1, spread), spread, spread + rng.randint(1, 3)])
        decided = line.forward(day, offset)
    decider = people.leader if instant else people.reviewer
    if target == State.DENIED or (target in (State.RESULT_ISSUED, State.DELIVERED) and rng.random() < 0.08):
        acts.deny_case(case, by=decider, reason="申请材料反映的条件不符合法定条件",
                       legal_basis="《中华人民共和国行政许可法》第三十八条第二款", at=line.moment(decided, 15))
        return decided
    if case.tolerance_due_on and not case.tolerance_resolved_on:
        for material_id in [entry["id"] for entry in case.tolerated_materials]:
            acts.add_material(case, by=people.applicant, content=DEMO_PDF, filename="后补材料.pdf",
                              material_id=material_id, at=line.moment(decided, 9))
    acts.approve_case(case, by=decider, reason="符合法定条件",
                      legal_basis="《中华人民共和国行政许可法》第三十八条第一款", at=line.moment(decided, 15))
    return decided


def _issue_and_deliver(case: Case, target: str, *, rng: random.Random, line: _Timeline, decided: dt.date,
                       clerk: User) -> None:
    issued = line.forward(decided, rng.randint(0, 2))
    licence = f"{case.department.code}{issued:%Y}{rng.randint(0, 999_999):06d}" if case.state == State.APPROVED else ""
    if case.state == State.APPROVED and case.tolerance_due_on and not case.tolerance_resolved_on:
        return
    if case.state == State.DENIED:
        acts.issue_denial(case, by=clerk, at=line.moment(issued, 16))
    else:
        acts.issue_result(case, by=clerk, licence_number=licence, at=line.moment(issued, 16))
    if target == State.RESULT_ISSUED:
        return
    delivered = line.forward(issued, rng.randint(0, 3))
    acts.deliver_case(case, by=clerk, pickup_code=case.pickup_code,
                      tracking_number=f"EMS{rng.randint(10**9, 10**10 - 1)}", at=line.moment(delivered, 16))


def _target_offset(target: str, rng: random.Random, promised: int) -> int:
    """Working days before today to submit, so a case of this state sits on an interesting part of its clock."""
    if target in (State.DRAFT, State.SUBMITTED):
        return rng.choice([0, 1, 2, 3, 4, 5, 6, 8])  # beyond 5: overdue acceptance (red)
    if target in (State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED):
        return rng.randint(0, max(promised + 3, 3))  # green, yellow and a few red
    if target == State.CORRECTION_REQUESTED:
        return rng.randint(1, 10)
    return rng.randint(promised + 8, promised + 120)


# The demo's answers to an item's application form: (form, applicant, the citizen's own account or None, a random
# stream) → answers valid against the form. Given by the demo, which holds the sample values.
Answerer = Callable[[FormSpec, acts.Applicant, User | None, random.Random], dict[str, Any]]


@composable
def seed_cases_demo(*, seed: int, count: int = 300, answers: Answerer | None = None) -> dict:
    """Create `count` demo cases in every state (some yellow and red) and the staff to handle them; idempotent.
    A case of an item with an application form answers it through `answers` (an item with a form takes no case
    without them)."""
    rng = random.Random(seed)
    accounts: list[dict[str, str]] = []
    departments = _departments()
    if not departments:
        raise InvalidInput("演示办件需要先生成事项清单（没有已发布的事项）", fields={"catalog": "empty"})
    staff = _staff(departments, accounts)
    items = list(
        ServiceItem.objects.filter(department__in=departments, published_version__isnull=False)
        .select_related("published_version", "department").order_by("implementation_code")
    )
    point = ServicePoint.objects.order_by("sort_order", "code").first()
    line = _Timeline(rng, timezone.now())
    states = [s for s, _ in STATE_WEIGHTS]
    weights = [w for _, w in STATE_WEIGHTS]
    promised_items = [i for i in items if i.published_version.promised_days > 0]
    created = skipped = beyond_calendar = 0
    # Which items have a form, in one query; a form's spec is read once, on its first case.
    with_form = set(FormVersion.objects.filter(item_version_id__in=[i.published_version_id for i in items])
                    .values_list("item_version_id", flat=True))
    forms: dict[int, FormSpec | None] = {}
    for index in range(count):
        key = f"demo-{seed}-{index:04d}"
        if Case.objects.filter(idempotency_key=key).exists():
            skipped += 1
            continue
        rng = random.Random(f"{seed}-{index}")  # each case its own stream: a rerun skips without drifting
        line.rng = rng
        # The first cases walk every state once; the rest follow the weights.
        target = states[index] if index < len(states) else rng.choices(states, weights)[0]
        item = rng.choice(items)
        if target in (State.IN_REVIEW, State.SUSPENDED) and item.published_version.promised_days == 0:
            # 即办件 are decided on the day they are accepted: only promised items wait in review.
            item = rng.choice(promised_items)
        applicant = _applicant(rng)
        citizen = rng.choice(staff["citizens"]) if rng.random() < 0.4 else None
        if citizen is not None:
            # A citizen's account applies in its holder's own name (实名): nobody acts in someone else's.
            applicant = acts.Applicant(kind="person", name=citizen.display_name, id_number=citizen.identity_number,
                                       mobile=citizen.mobile or applicant.mobile or _mobile(rng))
        channel = Channel.ONLINE if citizen and rng.random() < 0.6 else rng.choice([Channel.WINDOW, Channel.WINDOW,
                                                                                   Channel.MAIL])
        by_citizen = channel == Channel.ONLINE
        clerk = staff[(item.department_id, Role.CLERK)]
        method = rng.choice([m for m, offered in ((DeliveryMethod.PICKUP, item.published_version.delivery_pickup),
                                                   (DeliveryMethod.POST, item.published_version.delivery_post))
                             if offered] or [DeliveryMethod.ELECTRONIC])
        creator = citizen if by_citizen else clerk
        offset = _target_offset(target, rng, item.published_version.promised_days)
        version = item.published_version
        if version.pk in with_form and version.pk not in forms:
            forms[version.pk] = spec_for_version(version)
        spec = forms.get(version.pk)
        # Its own stream: the cases' states and dates stay what they were before the items had forms.
        form_answers = (answers(spec, applicant, citizen, random.Random(f"{seed}-{index}-answers"))
                        if spec is not None and answers is not None else None)
        for attempt in range(4):
            # A deadline beyond the loaded calendar years cannot be computed: move the case further back.
            submitted = line.back(offset + 30 * attempt)
            try:
                # A savepoint: a case that cannot be dated is undone as a whole before the next attempt.
                with transaction.atomic():
                    case, _ = acts.create_case(
                        by=creator, item=item, applicant=applicant, channel=channel, service_point=point,
                        applicant_user=citizen, delivery_method=method,
                        postal_address="重庆市渝中区民族路188号" if method == DeliveryMethod.POST else "",
                        idempotency_key=key, submit=target != State.DRAFT, at=line.moment(submitted, 9),
                        answers=form_answers,
                    )
                    if target != State.DRAFT:
                        _drive(case, target, rng=rng, line=line, submitted=submitted, clerk=clerk,
                               reviewer=staff[(item.department_id, Role.REVIEWER)],
                               leader=staff[(item.department_id, Role.LEADER)], applicant=citizen)
                created += 1
                break
            except CalendarNotLoaded:
                continue
        else:
            beyond_calendar += 1
    demo_cases = Case.objects.filter(idempotency_key__startswith=f"demo-{seed}-")
    today = timezone.localdate()
    lights: dict[str, int] = {"green": 0, "yellow": 0, "red": 0}
    for case in demo_cases.filter(state__in=[State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED]):
        light = light_of(case, today)
        if light:
            lights[light.value] += 1
    return {
        "cases": demo_cases.count(),
        "created": created,
        "already_there": skipped,
        "skipped_beyond_calendar": beyond_calendar,
        "states": dict(demo_cases.values_list("state").annotate(n=Count("id")).values_list("state", "n")),
        "lights": lights,
        "departments": [d.code for d in departments],
        "accounts": accounts,
        "usernames": [a["username"] for a in accounts],
    }
