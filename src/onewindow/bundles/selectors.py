"""Reads of 一件事: a theme's three time figures and merged form, packages in scope, the package page, the
timeline of its sub-cases, the package board, the package's answers in one merged view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from onewindow.bundles.clock import statutory_overdue
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import MaterialLink, Package, SubCase
from onewindow.cases import clock
from onewindow.cases.clock import Light
from onewindow.cases.forms.answers import page_language
from onewindow.cases.lifecycle import CLOSED_STATES, DECIDED_STATES, State
from onewindow.cases.models import Case
from onewindow.cases.selectors import DESK_ROLES, AnswerChange, changes_between, is_visible_to
from onewindow.catalog import dag
from onewindow.catalog.models import Material, Theme, ThemeItem
from onewindow.catalog.selectors import department_id_of, get_published_theme
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.identity import canonical_number
from onewindow.core.kit import is_signed_in
from onewindow.core.models import Role, User
from onewindow.forms.display import AnswerRow
from onewindow.forms.display import rows as answer_rows
from onewindow.forms.models import FormVersion
from onewindow.forms.selectors import PackageForm, spec_of, theme_form
from onewindow.forms.spec import FormSpec, merge
from onewindow.workdays.selectors import get_calendar

# A sub-case whose case is in one of these states needs nothing more from the package.
ENDED_STATES = frozenset(DECIDED_STATES | CLOSED_STATES)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# -- themes --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThemeFigures:
    """The three time figures of a theme (working days)."""

    promised_days: int  # the theme's own promised limit
    serial_days: int  # every item one after another
    critical_days: int  # the longest chain through the prerequisites
    critical_path: list[int]  # ThemeItem ids along it

    @property
    def saving_ratio(self) -> float:
        """How much shorter the critical path is than the serial sum (0–1)."""
        return 1 - self.critical_days / self.serial_days if self.serial_days else 0.0


def theme_entries(theme: Theme) -> list[ThemeItem]:
    """The theme's items in order with item, department, published version and prerequisites loaded."""
    return list(
        ThemeItem.objects.filter(theme=theme)
        .select_related("item", "item__department", "item__published_version",
                        "item__published_version__department")
        .prefetch_related("requires")
        .order_by("order", "id")
    )


def sub_case_prerequisites(sub: SubCase) -> list[str]:
    """Implementation codes of the items a sub-case waits for, as fixed when its package was applied for (the
    theme may have changed since: its entries are retired, never rewritten under a package)."""
    return list(
        SubCase.objects.filter(required_by=sub)
        .order_by("order", "id")
        .values_list("theme_item__item__implementation_code", flat=True)
    )


def prerequisite_edges(entries: list[ThemeItem]) -> list[tuple[int, int]]:
    return [(before.pk, entry.pk) for entry in entries for before in entry.requires.all()]


def _limit(entry: ThemeItem) -> int:
    version = entry.item.published_version
    return version.promised_days if version is not None else 0


def theme_figures(theme: Theme, entries: list[ThemeItem] | None = None) -> ThemeFigures:
    """Promised limit, serial sum and critical path of a theme (its items' published promised limits)."""
    entries = theme_entries(theme) if entries is None else entries
    durations = {entry.pk: _limit(entry) for entry in entries}
    days, path = dag.critical_path(durations, prerequisite_edges(entries))
    return ThemeFigures(theme.promised_days, dag.serial_sum(durations), days, path)


@dataclass
class MergedMaterial:
    """One line of the merged form: a material asked for by one or more of the theme's items."""

    name: str
    source: str  # applicant / government
    requirement: str  # the strictest of the items' requirements
    entries: list[tuple[ThemeItem, Material]] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return len({entry.pk for entry, _ in self.entries}) > 1

    @property
    def item_names(self) -> list[str]:
        return [entry.item.name for entry, _ in self.entries]


_STRICTNESS: dict[str, int] = {Material.Requirement.REQUIRED: 0, Material.Requirement.TOLERATED: 1, Material.Requirement.OPTIONAL: 2}


def material_key(name: str, aliases: dict[str, str]) -> str:
    """The merged-form name of a material: its link's label if linked, else the name itself (trimmed)."""
    name = (name or "").strip()
    return aliases.get(name, name)


def material_aliases(theme: Theme) -> dict[str, str]:
    return {alias.strip(): link.label for link in MaterialLink.objects.filter(theme=theme) for alias in link.names}


def merged_materials(theme: Theme, entries: list[ThemeItem] | None = None) -> list[MergedMaterial]:
    """The merged form (一表申请): every material of the theme's published items, those with the same name or
    explicitly linked collected once."""
    entries = theme_entries(theme) if entries is None else entries
    aliases = material_aliases(theme)
    versions = [e.item.published_version_id for e in entries if e.item.published_version_id]
    by_version: dict[int, list[Material]] = {}
    for material in Material.objects.filter(version_id__in=versions).order_by("version_id", "order", "id"):
        by_version.setdefault(material.version_id, []).append(material)
    merged: dict[str, MergedMaterial] = {}
    for entry in entries:
        if entry.item.published_version_id is None:
            continue
        for material in by_version.get(entry.item.published_version_id, []):
            key = material_key(material.name, aliases)
            line = merged.setdefault(key, MergedMaterial(key, material.source, material.requirement))
            line.entries.append((entry, material))
            if _STRICTNESS[material.requirement] < _STRICTNESS[line.requirement]:
                line.requirement = material.requirement
            if material.source == Material.Source.APPLICANT:
                # If any item wants it from the applicant, the applicant brings it.
                line.source = Material.Source.APPLICANT
    return list(merged.values())


def theme_to_apply_for(code: str) -> Theme:
    """A published theme by its code, for an application; NotFound (404) when there is none."""
    theme = Theme.objects.select_related("lead_department").filter(code=(code or "").strip(), published=True).first()
    if theme is None:
        raise NotFound(f"一件事主题“{code}”不存在或未发布", fields={"theme": "not_found"})
    return theme


def theme_guide(code: str) -> dict[str, Any]:
    """Everything the theme guide page and the API show: items, prerequisites, figures, merged form."""
    theme = get_published_theme(code)
    entries = theme_entries(theme)
    figures = theme_figures(theme, entries)
    starts = dag.earliest_starts({e.pk: _limit(e) for e in entries}, prerequisite_edges(entries))
    on_path = set(figures.critical_path)
    names = {entry.pk: entry.item.name for entry in entries}
    items = [
        {
            "entry": entry,
            "id": entry.pk,
            "code": entry.item.implementation_code,
            "name": entry.item.name,
            "department": entry.item.department,
            "promised_days": _limit(entry),
            "requires": [r.pk for r in entry.requires.all()],
            "requires_codes": [r.item.implementation_code for r in entry.requires.all()],
            "requires_names": [names[r.pk] for r in entry.requires.all()],
            "published": entry.item.published_version_id is not None,
            "earliest_start": starts[entry.pk],
            "critical": entry.pk in on_path,
        }
        for entry in entries
    ]
    return {"theme": theme, "items": items, "figures": figures, "materials": merged_materials(theme, entries)}


# -- packages in scope ----------------------------------------------------------------------------------
def is_window(user: User, theme: Theme) -> bool:
    """The lead department's staff or a comprehensive window (一窗受理) clerk: who accepts, corrects and delivers."""
    if user.role == Role.CLERK and department_id_of(user) is None:
        return True
    return user.role in (Role.CLERK, Role.REVIEWER, Role.LEADER) and department_id_of(user) == theme.lead_department_id


def packages_visible_to(user: User | Any) -> QuerySet[Package]:
    """Packages a user may open: own (citizen); any with a sub-case in, or led by, the own department (staff);
    all for the comprehensive window, supervisors and admins."""
    packages = Package.objects.all()
    if not is_signed_in(user):
        return packages.none()
    if user.is_center_wide:
        return packages
    if user.role in DESK_ROLES:
        department_id = department_id_of(user)
        if department_id is None:
            return packages if user.role == Role.CLERK else packages.none()
        own = SubCase.objects.filter(package=OuterRef("pk"), case__department_id=department_id)
        return packages.filter(Q(theme__lead_department_id=department_id) | Exists(own))
    if user.role == Role.CITIZEN:
        return packages.filter(applicant_user_id=user.pk)
    return packages.none()


def get_package_for(user: User, number: str) -> Package:
    """One package by number if the user may see it, else NotFound (404)."""
    package = (
        packages_visible_to(user)
        .select_related("theme", "theme__lead_department", "accepted_by")
        .filter(number=canonical_number(number or ""))
        .first()
    )
    if package is None:
        raise NotFound("一件事办件不存在或无权查看", fields={"number": "not_found"})
    return package


def package_number_of(case: Case) -> str | None:
    """The number of the 一件事 package a case belongs to, None for a case on its own (one indexed query).

    Named in `SUPERVISION_CASE_FIELDS`: the supervision hand-off's payload carries it as `case.package`.
    """
    return SubCase.objects.filter(case_id=case.pk).values_list("package__number", flat=True).first()


def sub_cases_of(package: Package) -> list[SubCase]:
    return list(
        SubCase.objects.filter(package=package)
        .select_related("case", "case__department", "case__item_version", "theme_item", "theme_item__item")
        .prefetch_related(Prefetch("requires", queryset=SubCase.objects.only("id", "case_id")))
        .order_by("order", "id")
    )


def package_light(package: Package, today: dt.date | None = None) -> Light | None:
    """The package's own 电子监察 light from its stored clock dates; None once every item is decided."""
    if package.clock_due_on is None or package.clock_warn_on is None:
        return None
    return clock.light(_today(today), package.clock_due_on, package.clock_warn_on)


def package_report(sub_cases: list[SubCase]) -> dict[str, list[dict]]:
    """Which items were approved and which were not, with the reasons (for the applicant and the page)."""
    approved, not_approved, pending = [], [], []
    for sub in sub_cases:
        case = sub.case
        row = {"item": sub.theme_item.item.name, "department": case.department.name, "state": case.state,
               "state_label": case.state_label, "licence_number": case.licence_number,
               "reason": case.decision_reason or case.closed_reason, "legal_basis": case.legal_basis}
        if was_approved(case):
            approved.append(row)
        elif case.state in ENDED_STATES:
            not_approved.append(row)
        else:
            pending.append(row)
    return {"approved": approved, "not_approved": not_approved, "pending": pending}


def was_approved(case: Case) -> bool:
    """The sub-case was approved (准予许可), whether or not its result has been issued or delivered since."""
    return case.state == State.APPROVED or (case.state in (State.RESULT_ISSUED, State.DELIVERED)
                                            and bool(case.licence_number))


class Waiting(StrEnum):
    """What a sub-case whose clock has not started waits for — each its own words on the package page."""

    ENDED = "ended"  # closed without its review starting (the package refused, the applicant withdrew)
    WINDOW = "window"  # the one window has not accepted the package yet (一窗受理)
    DEPARTMENT = "department"  # started, in the department's acceptance queue (部门受理)
    PREREQUISITES = "prerequisites"  # another item's approval comes first (前置事项)


def waiting_for(package: Package, sub: SubCase) -> Waiting:
    """Why `sub` (with no acceptance date) has not started; its prerequisites must be loaded (`sub_cases_of`).

    Only a sub-case that has prerequisites and has not been started waits for them: before the package is
    accepted every sub-case waits for the window, and a started one for its department.
    """
    if sub.case.state in ENDED_STATES:
        return Waiting.ENDED
    if package.state in (PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED):
        return Waiting.WINDOW
    if sub.started_at is None and sub.requires.all():
        return Waiting.PREREQUISITES
    return Waiting.DEPARTMENT


def timeline(package: Package, sub_cases: list[SubCase], *, today: dt.date | None = None) -> dict[str, Any]:
    """The sub-cases as bars on one time axis (Gantt-like) and each department's share of working days.

    A bar runs from the day the sub-case's clock started (acceptance) to its decision, or to today while running.
    Offsets are percentages of the axis, so the page draws them with CSS alone.
    """
    today = _today(today)
    calendar = get_calendar()
    start = package.accepted_on or package.submitted_on
    rows: list[dict[str, Any]] = []
    for sub in sub_cases:
        case = sub.case
        begin = case.accepted_on
        end = case.decided_on or (case.closed_at and timezone.localdate(case.closed_at)) or (today if begin else None)
        days = calendar.working_days_between(begin, end) if begin and end and end >= begin else 0
        rows.append({"sub": sub, "case": case, "item": sub.theme_item.item.name, "department": case.department,
                     "begin": begin, "end": end, "working_days": days, "state_label": case.state_label,
                     "approved": was_approved(case), "ended": case.state in ENDED_STATES,
                     "waiting": None if begin else waiting_for(package, sub)})
    ends = [r["end"] for r in rows if r["end"]] + [package.finished_on or today]
    finish = max([start, *ends])
    span = max((finish - start).days + 1, 1)
    for row in rows:
        if row["begin"] is None:
            row.update(left=0.0, width=0.0)
            continue
        left = (row["begin"] - start).days
        width = max((row["end"] - row["begin"]).days + 1, 1)
        row.update(left=round(100 * left / span, 2), width=round(100 * width / span, 2))
    shares: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = shares.setdefault(row["department"].pk, {"department": row["department"], "working_days": 0})
        entry["working_days"] += row["working_days"]
    total = sum(s["working_days"] for s in shares.values())
    for entry in shares.values():
        entry["share"] = round(100 * entry["working_days"] / total, 1) if total else 0.0
    elapsed = calendar.working_days_between(start, package.finished_on or today) if package.accepted_on else 0
    return {"start": start, "finish": finish, "span_days": span, "rows": rows,
            "shares": sorted(shares.values(), key=lambda s: -s["working_days"]), "elapsed_working_days": elapsed}


def package_page(user: User, number: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """The package page for `user`: the summary for everyone in scope, the sub-cases only of their own scope."""
    package = get_package_for(user, number)
    all_subs = sub_cases_of(package)
    visible = [s for s in all_subs if is_visible_to(s.case, user)]
    if user.role == Role.CITIZEN or user.is_center_wide or (user.role == Role.CLERK and department_id_of(user) is None) \
            or department_id_of(user) == package.theme.lead_department_id:
        # The applicant, the accepting window, the lead department and supervisors follow the whole package.
        shown = all_subs
    else:
        shown = visible
    counts = {"total": len(all_subs), "decided": sum(s.case.state in ENDED_STATES for s in all_subs),
              "approved": sum(was_approved(s.case) for s in all_subs)}
    return {
        "package": package, "sub_cases": shown, "own_case_ids": {s.case_id for s in visible}, "counts": counts,
        "light": package_light(package, today), "report": package_report(all_subs),
        "statutory_overdue": package.state == PackageState.ACCEPTED
        and statutory_overdue(package.legal_due_on, _today(today)),
        "timeline": timeline(package, shown, today=today), "figures": theme_figures(package.theme),
        "corrections": list(package.corrections.order_by("id")),
        "joint_reviews": list(package.joint_reviews.order_by("held_at", "id")),
        "materials": list(package.materials.order_by("id")),
        "answers": replace(package_answers(package, shown), masked=not sees_identity(package, user)),
    }


def sees_identity(package: Package, user: User) -> bool:
    """Whether `user` sees the identity numbers and mobiles in the package's answers whole — by the case page's
    rule (`cases.selectors.sees_identity`) with the package's handler, the window (`is_window`), in the handling
    department's place: the window and the applicant themself; everyone else sees them masked."""
    applicant = (user.role == Role.CITIZEN and package.applicant_user_id == user.pk
                 and user.holds_identity(package.applicant_id_number))
    return applicant or is_window(user, package.theme)


def package_board(user: User, *, today: dt.date | None = None) -> dict[str, Any]:
    """Running packages by light (the package's own clock), one aggregate query; supervisors and leaders."""
    if not (user.is_center_wide or user.role == Role.LEADER):
        raise PermissionDenied("电子监察仅对中心督查人员和部门负责人开放")
    today = _today(today)
    packages = packages_visible_to(user).filter(state=PackageState.ACCEPTED)
    totals = packages.aggregate(
        running=Count("id"),
        red=Count("id", filter=Q(clock_due_on__lt=today)),
        yellow=Count("id", filter=Q(clock_due_on__gte=today, clock_warn_on__lte=today)),
        green=Count("id", filter=Q(clock_warn_on__gt=today)),
        # 统一办理、联合办理: past the 45 (+15) working days of art. 42 and still undecided.
        statutory_overdue=Count("id", filter=Q(legal_due_on__lt=today)),
    )
    rows = list(packages.select_related("theme").order_by("clock_due_on", "id")[:200])
    for package in rows:
        package.light = package_light(package, today)  # type: ignore[attr-defined]  # for the board's rows
        package.statutory_overdue = statutory_overdue(package.legal_due_on, today)  # type: ignore[attr-defined]
    return {"today": today, "totals": totals, "packages": rows}


def yellow_threshold(promised_days: int) -> int:
    return clock.yellow_threshold(promised_days, min_days=getattr(settings, "CASES_YELLOW_DAYS", 2),
                                  ratio=getattr(settings, "CASES_YELLOW_RATIO", 0.2))


# -- the package's one form (一表申请) --------------------------------------------------------------------------
def package_form(theme: Theme) -> PackageForm | None:
    """The theme's one form to apply with (its items' current forms merged); None when none of them has a form."""
    try:
        return theme_form(theme.code)
    except NotFound:
        return None


@dataclass(frozen=True)
class PackageAnswers:
    """A package's application form as filed: its sub-cases' own forms merged (each shared data element once),
    per item (实施编码) the map of its keys to the merged keys, and the answers now and as first submitted, in
    the merged keys (a shared element's value is the first sub-case's that has it)."""

    spec: FormSpec | None
    keys: dict[str, dict[str, str]]
    answers: dict[str, Any]
    first_answers: dict[str, Any]
    masked: bool = False  # identity numbers and mobiles shown masked (`sees_identity`)

    def rows(self) -> list[AnswerRow]:
        """The answers in words, in the page's language (English labels, choices and units on an English page)."""
        if self.spec is None:
            return []
        return answer_rows(self.spec, self.answers, page_language(), masked=self.masked)

    def changes(self) -> list[AnswerChange]:
        """What a correction changed, once for the package (补正前后对照), in the page's language."""
        return changes_between(self.spec, self.first_answers, self.answers, page_language(), masked=self.masked)

    def asked(self, package: Package) -> list[str]:
        """The fields the package's open correction notices name and the applicant has yet to answer."""
        named = [item["field"] for notice in package.corrections.filter(resolved_at__isnull=True).order_by("id")
                 for item in notice.items if item.get("field") and not item.get("answered")]
        return [key for key in dict.fromkeys(named) if self.spec is not None and self.spec.field(key) is not None]


def package_answers(package: Package, subs: list[SubCase] | None = None) -> PackageAnswers:
    """The one merged view of a package's answers, over `subs` (default: all its sub-cases) — each sub-case keeps
    the form version it was filed under, so the view does not change when an item publishes a new form."""
    subs = sub_cases_of(package) if subs is None else subs
    ids = [s.case.form_version_id for s in subs if s.case.form_version_id is not None]
    forms = FormVersion.objects.select_related("item_version__item").in_bulk(ids)
    filed = [(s.case, forms[s.case.form_version_id]) for s in subs if s.case.form_version_id in forms]
    if not filed:
        return PackageAnswers(None, {}, {}, {})
    spec, keys = merge(package.theme.code, f"{package.theme.name}申请表（一表申请）", 1,
                       [spec_of(form) for _case, form in filed])
    answers: dict[str, Any] = {}
    first: dict[str, Any] = {}
    for case, form in filed:
        for own, merged in keys[form.item_version.item.implementation_code].items():
            if own in case.answers:
                answers.setdefault(merged, case.answers[own])
            if own in case.first_answers:
                first.setdefault(merged, case.first_answers[own])
    return PackageAnswers(spec, keys, answers, first)
