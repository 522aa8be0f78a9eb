"""Demo 一件事 packages for the four demo themes (开旅馆, 开饭店, 开办娱乐场所, 工程建设项目审批), in every phase.

Everything goes through the acts (composed inside the demo's transaction), back-dated with `at`: applied, corrected, accepted once, reviewed in
parallel by each department's reviewer, results issued and delivered together. Review times are drawn as a
share of each item's promised limit, so the packages finish well under the serial sum of their items.
Idempotent: a second run finds the demo packages (by their idempotency keys) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from onewindow.bundles import acts, selectors
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package, SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases.demo import Answerer
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.catalog import acts as catalog_acts
from onewindow.catalog.models import Department, Theme
from onewindow.core.errors import NotFound
from onewindow.core.identity import uscc_check_char
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.forms.selectors import theme_form
from onewindow.forms.spec import FormSpec
from onewindow.workdays.calendar import CalendarNotLoaded
from onewindow.workdays.selectors import get_calendar

THEMES = ("hotel", "restaurant", "entertainment", "construction")
KEY_PREFIX = "demo-bundles-"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Phases of the demo packages of each theme, oldest first: (phase, working days since application).
PHASES = (("delivered", 70), ("delivered", 58), ("delivered_denied", 50), ("delivered", 44), ("decided", 30),
          ("running", 6), ("running", 3), ("correction", 2), ("submitted", 1))
COMPANIES = ("餐饮管理", "酒店管理", "文化娱乐", "置业发展", "商贸", "实业", "企业管理", "科技")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _working_days_back(today: dt.date, days: int) -> dt.date:
    calendar = get_calendar()
    day = today
    while days > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _account(username: str, *, role: str, department: Department | None, name: str) -> User:
    """A demo service account that cannot sign in (people sign in with the demo command's accounts)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = catalog_acts.create_staff(username=username, role=role, department=department, by=None,
                                         display_name=name)
    return user


def _reviewer(department: Department) -> User:
    existing = User.objects.filter(role=Role.REVIEWER, assignment__department=department, is_active=True).order_by("id").first()
    return existing or _account(f"yjs-demo-reviewer-{department.code.lower()}", role=Role.REVIEWER,
                                department=department, name=f"{department.short_name or department.name}审核员（演示）")


def _company(rng: random.Random, n: int) -> case_acts.Applicant:
    first17 = f"91500103MA{rng.randrange(10**7):07d}"
    return case_acts.Applicant(kind="organization", name=f"重庆渝中{rng.choice(COMPANIES)}有限公司（演示{n}）",
                               id_number=first17 + uscc_check_char(first17), mobile=f"139{rng.randrange(10**8):08d}",
                               legal_representative=rng.choice(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"]))


@composable
def seed_bundles_demo(*, seed: int, today: dt.date | None = None, answers: Answerer | None = None) -> dict:
    """Packages in every phase for the four demo themes; returns what was made and the time figures.

    A theme whose items have application forms is applied for with its one form (一表申请,
    `forms.selectors.theme_form`) answered through `answers` (the company applying, no account; a random stream of
    its own, so the packages' phases and times do not depend on the forms)."""
    if Package.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        return {**_figures(), "created": 0}
    themes = list(Theme.objects.filter(code__in=THEMES).select_related("lead_department").order_by("code"))
    if not themes:
        return {"packages": 0, "created": 0, "note": "未找到演示主题（hotel、restaurant、entertainment、construction）"}
    rng = random.Random(seed)
    today = _within_calendar(today or timezone.localdate(), themes)
    window = User.objects.filter(username="window", role=Role.CLERK, assignment__isnull=True).first() or _account(
        "yjs-demo-window", role=Role.CLERK, department=None, name="综合窗口（演示）")
    created = 0
    for theme in themes:
        form = _form_of(theme) if answers is not None else None
        for index, (phase, back) in enumerate(PHASES):
            key = f"{KEY_PREFIX}{theme.code}-{index}"
            fill = Fill(form, answers, random.Random(f"{seed}-{key}")) if form and answers else None
            _make(theme, phase, rng=rng, window=window, key=key, applied=_working_days_back(today, back),
                  today=today, n=created + 1, fill=fill)
            created += 1
    return {**_figures(), "created": created}


class Fill(NamedTuple):
    """How a demo package answers its theme's one form: the form, the demo's answerer, a random stream."""

    form: FormSpec
    answers: Answerer
    rng: random.Random


def _form_of(theme: Theme) -> FormSpec | None:
    """The theme's one form (一表申请), or None while none of its items has a form."""
    try:
        return theme_form(theme.code).spec
    except NotFound:
        return None


def _within_calendar(today: dt.date, themes: list[Theme]) -> dt.date:
    """The latest day, up to `today`, from which every deadline of the demo packages lies in a loaded year.

    The calendar never guesses a year's holidays, so near the end of the last loaded year the demo's
    packages are placed a little earlier (as the cases demo does) instead of failing.
    """
    horizon = max(
        [t.promised_days for t in themes]
        + [e.item.published_version.statutory_days for t in themes for e in selectors.theme_entries(t)
           if e.item.published_version_id]
    ) + 10
    calendar = get_calendar()
    while True:
        try:
            calendar.due_date(today, horizon)
            return today
        except CalendarNotLoaded:
            today -= dt.timedelta(days=30)


def _make(theme: Theme, phase: str, *, rng: random.Random, window: User, key: str, applied: dt.date,
          today: dt.date, n: int, fill: Fill | None = None) -> Package:
    merged = [m for m in selectors.merged_materials(theme) if m.source == "applicant"]
    skip = {merged[-1].name} if phase == "correction" and merged else set()
    files = [acts.PackageFile(m.name, PDF + f"{key} {m.name}".encode(), f"{m.name}.pdf")
             for m in merged if m.name not in skip]
    applicant = _company(rng, n)
    package, _ = acts.apply_for_theme(by=window, theme=theme, applicant=applicant, channel="window",
                                      materials=files, idempotency_key=key, at=_at(applied, 9),
                                      answers=fill.answers(fill.form, applicant, None, fill.rng) if fill else None)
    if phase == "submitted":
        return package
    if phase == "correction":
        acts.request_package_correction(package, by=window, note="请补齐材料后一并提交", at=_at(applied, 10))
        return package
    package = acts.accept_package(package, by=window, at=_at(applied, 10))
    entries = selectors.theme_entries(theme)
    deny = entries[-1].pk if phase == "delivered_denied" else None
    _review(package, rng=rng, until=today, deny=deny)
    if phase == "running":
        return package
    package.refresh_from_db()
    last = package.finished_on or today
    issue_day = min(get_calendar().due_date(last, 1), today)
    for sub in SubCase.objects.filter(package=package).select_related("case", "case__department"):
        case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
        if case.state in (State.APPROVED, State.DENIED):
            if case.state == State.DENIED:
                case_acts.issue_denial(case, by=acts.agent_for(case.department), at=_at(issue_day, 15))
                continue
            licence = f"{case.department.code}{issue_day:%Y}{case.pk:06d}"
            case_acts.issue_result(case, by=acts.agent_for(case.department), licence_number=licence,
                                   at=_at(issue_day, 15))
    package.refresh_from_db()
    if phase == "decided" or package.state != PackageState.DECIDED:
        return package
    return acts.deliver_package(package, by=window, pickup_code=package.pickup_code, at=_at(issue_day, 16))


def _review(package: Package, *, rng: random.Random, until: dt.date, deny: int | None) -> None:
    """Each started sub-case is decided after a share of its promised limit, earliest first, up to `until`."""
    calendar = get_calendar()
    planned: dict[int, dt.date] = {}
    while True:
        running = list(SubCase.objects.filter(package=package, case__state=State.ACCEPTED)
                       .select_related("case", "case__department", "theme_item"))
        for sub in running:
            if sub.case_id not in planned:
                days = round(sub.case.promised_days * rng.uniform(0.35, 0.85))
                planned[sub.case_id] = calendar.due_date(sub.case.accepted_on, days) if days else sub.case.accepted_on
        due = sorted((planned[s.case_id], s.pk, s) for s in running if planned[s.case_id] <= until)
        if not due:
            return
        day, _, sub = due[0]
        case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
        reviewer = _reviewer(case.department)
        if sub.theme_item_id == deny:
            case_acts.deny_case(case, by=reviewer, reason="现场核查不符合设置标准", legal_basis="相关行政法规",
                                    at=_at(day, 14))
        else:
            case_acts.approve_case(case, by=reviewer, at=_at(day, 14))


def _figures() -> dict:
    """Average total working days of finished demo packages against their themes' serial sums."""
    finished = list(Package.objects.filter(idempotency_key__startswith=KEY_PREFIX, working_days__isnull=False)
                    .select_related("theme"))
    serial = {t: selectors.theme_figures(t).serial_days for t in {p.theme for p in finished}}
    total = sum(p.working_days for p in finished)
    serial_total = sum(serial[p.theme] for p in finished)
    counts = {state: Package.objects.filter(idempotency_key__startswith=KEY_PREFIX, state=state).count()
              for state in PackageState}
    return {
        "packages": sum(counts.values()),
        **{f"packages_{state}": count for state, count in counts.items()},
        "finished": len(finished),
        "average_working_days": round(total / len(finished), 2) if finished else 0,
        "average_serial_days": round(serial_total / len(finished), 2) if finished else 0,
        "saving": round(1 - total / serial_total, 3) if serial_total else 0,
    }
