"""Reads of cases: scoping (who sees what), lights, the supervision board, on-time rates, tracking.

Every list of cases starts from `cases_visible_to(user)`: pages, API and search use the same rule.
Aggregates run in SQL on the stored, indexed clock dates.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce
from django.utils import timezone

from onewindow.cases import clock
from onewindow.cases.clock import Light
from onewindow.cases.lifecycle import DECIDED_STATES, State
from onewindow.cases.models import (
    CLOCKED,
    NO_CLOCK,
    RUNNING,
    TOLERANCE_CLOSED,
    AlertKind,
    Case,
    CaseMaterial,
    Hearing,
    HearingState,
    Notice,
    StagedUpload,
    Suspension,
)
from onewindow.catalog.models import Department, Material, ServiceItem
from onewindow.catalog.selectors import (
    department_id_of,
    kept_department,
    kept_materials,
    kept_service_point,
    kept_version,
)
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.identity import canonical_number, mask_identity
from onewindow.core.kit import is_signed_in
from onewindow.core.models import AuditEvent, Role, User
from onewindow.core.paging import Ordering
from onewindow.forms.display import AnswerRow, rows, value_text
from onewindow.forms.models import FormField, FormVersion
from onewindow.forms.selectors import spec_of
from onewindow.forms.spec import FormSpec

DESK_ROLES = {Role.CLERK, Role.REVIEWER, Role.LEADER}
# Same list, same order as the partial indexes on running cases (`Case.Meta`), so both databases match them.
RUNNING_STATES = RUNNING


# The orders lists of cases are paged by (`core.paging`): newest first, and the running clock's end first (cases
# without a clock last, on both databases), each served by an index of `Case.Meta`.
NEWEST_FIRST = Ordering("newest", (("id", int),), descending=True)
DUE_FIRST = Ordering("due", (("due_key", dt.date), ("id", int)))


def due_key() -> Coalesce:
    """The running clock's last day, NO_CLOCK for a case without one: the key of `DUE_FIRST` (indexed as it is)."""
    return Coalesce("clock_due_on", Value(NO_CLOCK))


def by_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` in the order of `DUE_FIRST`: the running clock's end first, then by id; cases without a clock last."""
    return cases.annotate(due_key=due_key()).order_by("due_key", "id")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# -- scope ---------------------------------------------------------------------------------------------
def cases_visible_to(user: User | Any) -> QuerySet[Case]:
    """The cases a user may see: own (citizen), own department (clerk, reviewer, leader), all (supervisor, admin).

    A comprehensive-window clerk (no department) sees the cases of items accepted centrally (一窗受理).
    """
    cases = Case.objects.all()
    if not is_signed_in(user):
        return cases.none()
    if user.is_center_wide:
        return cases
    if user.role in DESK_ROLES:
        department = department_id_of(user)
        if department is not None:
            return cases.filter(department_id=department)
        if user.role == Role.CLERK:
            return cases.filter(item_version__central_acceptance=True)
        return cases.none()
    if user.role == Role.CITIZEN:
        return cases.filter(applicant_user_id=user.pk)
    return cases.none()


def is_visible_to(case: Case, user: User | Any) -> bool:
    """Same rule as `cases_visible_to`, for one loaded case, without a query."""
    if not is_signed_in(user):
        return False
    if user.is_center_wide:
        return True
    if user.role in DESK_ROLES:
        if department_id_of(user) is not None:
            return case.department_id == department_id_of(user)
        return user.role == Role.CLERK and case.item_version.central_acceptance
    if user.role == Role.CITIZEN:
        return case.applicant_user_id == user.pk
    return False


def get_case_for(user: User, number: str) -> Case:
    """One case by its number if the user may see it, else NotFound (404) — never a hint it exists."""
    # The number is unique: no ORDER BY (ordering ~70 columns is compiled by comparing each with the order).
    found = list(cases_visible_to(user).select_related("assigned_to").filter(number=number).order_by()[:1])
    if not found:
        raise NotFound("办件不存在或无权查看", fields={"number": "not_found"})
    return with_kept_catalog(found[0])


def with_kept_catalog(case: Case) -> Case:
    """`case` with its item version, department and service point from the rows kept in the process
    (`catalog.selectors`), not joined into its query: they change a few times a day, and the joins are most of the
    cost of reading a case."""
    version = kept_version(case.item_version_id)
    department = kept_department(case.department_id)
    point = kept_service_point(case.service_point_id) if case.service_point_id else None
    if version is not None:
        case.item_version = version
    if department is not None:
        case.department = department
    if point is not None:
        case.service_point = point
    return case


def material_file_for(user: User | Any, number: str, material_id: int) -> CaseMaterial:
    """One material of a case that has a file (uploaded, or reused from an earlier case), if the user may see the
    case (`get_case_for`); NotFound (404) otherwise — the same answer for a case or a material that does not exist,
    another case's material, a case outside the user's scope and a visitor who is not signed in."""
    case = get_case_for(user, number)
    row = (CaseMaterial.objects.select_related("case").exclude(file="")
           .filter(case=case, pk=material_id).first())
    if row is None:
        raise NotFound("材料不存在或无权查看", fields={"material": "not_found"})
    return row


def staged_uploads_for(user: User | Any, tokens: list[str]) -> dict[str, StagedUpload]:
    """token → the user's own staged file (暂存上传) not yet expired, for the tokens a form sent back; another
    person's token, an expired one or a made-up one is simply absent. One query."""
    wanted = [t for t in tokens if t]
    if not wanted or not is_signed_in(user):
        return {}
    rows = StagedUpload.objects.filter(owner=user, token__in=wanted, expires_at__gt=timezone.now())
    return {row.token: row for row in rows}


def identity_for(case: Case, user: User | Any) -> str:
    """The applicant's identity number, whole for staff of the handling department and for the applicant
    themself (the account's verified holder), masked for everyone else."""
    return case.applicant_id_number if sees_identity(case, user) else mask_identity(case.applicant_id_number)


def sees_identity(case: Case, user: User | Any) -> bool:
    """Whether `user` sees the case's identity numbers and mobiles whole: staff of the handling department and
    the applicant themself (the account's verified holder); everyone else sees them masked."""
    return (
        is_signed_in(user)
        and user.role in DESK_ROLES
        and department_id_of(user) is not None
        and department_id_of(user) == case.department_id
    ) or _is_the_applicant(case, user)


def applicant_name_for(case: Case, user: User | Any) -> str:
    """The applicant's name as `user` may see it: whole to the applicant themself, masked to anyone else."""
    return case.applicant_name if _is_the_applicant(case, user) else case.applicant_name_masked


def _is_the_applicant(case: Case, user: User | Any) -> bool:
    """`user` is the applicant: their own case, and their verified identity (实名) is the applicant's."""
    return (is_signed_in(user) and user.role == Role.CITIZEN and case.applicant_user_id == user.pk
            and user.holds_identity(case.applicant_id_number))


def reviewers_for(case: Case) -> QuerySet[User]:
    """Who may be assigned the case (承办人): the active reviewers and leaders of its department."""
    return User.objects.filter(
        assignment__department_id=case.department_id, role__in=[Role.REVIEWER, Role.LEADER], is_active=True
    ).order_by("role", "username")


def handlers_of(case: Case) -> QuerySet[User]:
    """Who can handle the case (办理人员): the active clerks, reviewers and leaders of its department who can sign in
    — what the case page names to someone who may see the case but not act on it (an administrator, a
    supervisor). Service accounts that cannot sign in (一件事联办) are left out."""
    return (User.objects.filter(assignment__department_id=case.department_id, role__in=list(DESK_ROLES),
                                is_active=True)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).order_by("role", "username"))


# -- lights --------------------------------------------------------------------------------------------
def light_of(case: Case, today: dt.date | None = None) -> Light | None:
    """The case's 电子监察 light today, from its stored clock dates; None when no clock runs."""
    today = _today(today)
    if case.state == State.SUSPENDED:
        return Light(case.paused_light) if case.paused_light else None
    if case.clock_due_on is None or case.clock_warn_on is None:
        return None
    return clock.light(today, case.clock_due_on, case.clock_warn_on)


def days_left_of(case: Case, today: dt.date | None = None) -> int | None:
    """Working days left on the running clock (negative when overdue); None when no clock runs."""
    from onewindow.workdays.selectors import get_calendar

    if case.clock_due_on is None:
        return None
    return clock.days_left(get_calendar(), _today(today), case.clock_due_on)


def light_expression(today: dt.date) -> SqlCase:
    """The light as a SQL CASE over the stored columns; mirrors `light_of`."""
    return SqlCase(
        When(state=State.SUSPENDED, then=F("paused_light")),
        When(clock_due_on__lt=today, then=Value(Light.RED.value)),
        When(clock_warn_on__lte=today, then=Value(Light.YELLOW.value)),
        When(clock_due_on__isnull=False, then=Value(Light.GREEN.value)),
        default=Value(""),
        output_field=CharField(),
    )


def deemed_expression(today: dt.date) -> ExpressionWrapper:
    """视为受理 as a SQL expression; mirrors `is_deemed_accepted` (marked, or past the acceptance limit today)."""
    return ExpressionWrapper(
        Q(deemed_accepted=True) | Q(state=State.SUBMITTED, acceptance_due_on__lt=today), output_field=BooleanField())


def light_filter(light: str, today: dt.date) -> Q:
    """Rows whose light today is `light`, as a WHERE clause on indexed columns."""
    if light == Light.RED:
        return Q(clock_due_on__lt=today) | Q(state=State.SUSPENDED, paused_light=Light.RED)
    if light == Light.YELLOW:
        return Q(clock_due_on__gte=today, clock_warn_on__lte=today) | Q(
            state=State.SUSPENDED, paused_light=Light.YELLOW
        )
    if light == Light.GREEN:
        return Q(clock_warn_on__gt=today) | Q(state=State.SUSPENDED, paused_light=Light.GREEN)
    raise ValueError(light)


def list_cases(
    user: User,
    *,
    state: str | None = None,
    light: str | None = None,
    department_id: int | None = None,
    number: str | None = None,
    item_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """A filtered, scoped list with its joins and the light annotated, newest first (`NEWEST_FIRST`); same query
    count for any length."""
    today = _today(today)
    cases = cases_visible_to(user).select_related("item_version", "department", "service_point")
    if state:
        cases = cases.filter(state=state)
    if light:
        # Only a case on a clock has a light: said outright, so that the partial indexes of those cases serve it.
        cases = cases.filter(Q(state__in=CLOCKED) & light_filter(light, today))
    if department_id:
        cases = cases.filter(department_id=department_id)
    if item_id:
        cases = cases.filter(item_id=item_id)
    if number:
        cases = cases.filter(number__startswith=canonical_number(number))
    return cases.annotate(light=light_expression(today), deemed=deemed_expression(today)).order_by("-id")


# -- materials -----------------------------------------------------------------------------------------
def required_materials(case: Case) -> list[Material]:
    """The version's materials that must be present to accept (必要 and 容缺后补); the catalog's are kept in the
    process (`catalog.selectors.kept_materials`)."""
    return [
        m for m in kept_materials(case.item_version_id)
        if m.requirement in (Material.Requirement.REQUIRED, Material.Requirement.TOLERATED)
    ]


def missing_materials(case: Case) -> list[Material]:
    """Required or tolerated materials of the case's item version that have not been provided."""
    if is_known(case, "materials"):
        provided = {row.material_id for row in case.materials.all() if row.material_id is not None}
    else:
        provided = set(case.materials.filter(material__isnull=False).values_list("material_id", flat=True))
    return [m for m in required_materials(case) if m.pk not in provided]


# -- rows of a case already in memory ---------------------------------------------------------------------------
# A case's related rows an act has just read or knows not to exist (a case opened in this request has no
# material, suspension, hearing, correction notice or extension) are set on the instance, so that answering the
# case (`cases.api.base.detail`) and the rules asked on it (`missing_materials`) read them from memory. An act that
# adds such a row forgets them (`forget_rows`).
KNOWN_RELATIONS = ("materials", "suspensions", "hearings", "corrections")


def know_rows(case: Case, **rows: Iterable[Any] | None) -> Case:
    """Set the rows of the named relations of `case` (`materials=[...]`, `suspensions=[]`…; `extension` for
    the one-to-one: the row, or `[]` when there is none) as known, as a prefetch would; a relation given None stays
    unknown. Returns `case`."""
    known = case.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, values in rows.items():
        if values is None:
            continue
        if name == "extension":
            case._state.fields_cache["extension"] = values or None
            continue
        if name not in KNOWN_RELATIONS:
            raise ValueError(f"{name} is not a relation of a case kept in memory")
        manager = getattr(case, name)
        queryset = manager.get_queryset()
        queryset._result_cache = list(values)
        queryset._prefetch_done = True
        known[manager.field.remote_field.cache_name] = queryset
    return case


def know_none(case: Case) -> Case:
    """A case opened in this request: it has no materials, suspensions, hearings, corrections nor extension yet."""
    return know_rows(case, materials=[], suspensions=[], hearings=[], corrections=[], extension=[])


def is_known(case: Case, relation: str) -> bool:
    """Whether the rows of `relation` of `case` are in memory (`know_rows`, or a prefetch)."""
    return relation in getattr(case, "_prefetched_objects_cache", {})


def forget_rows(case: Case, *relations: str) -> None:
    """The rows of `relations` of `case` changed: read them again next time."""
    known = getattr(case, "_prefetched_objects_cache", {})
    for name in relations:
        known.pop(name, None)


class OwedMaterial(NamedTuple):
    """A material the case still lacks, and the day it was promised by when it was tolerated (容缺), else None."""

    material: Material
    due_on: dt.date | None


def owed_materials(case: Case) -> list[OwedMaterial]:
    """The required and tolerated materials not yet provided, in the item's order, each 容缺 one with its due date."""
    tolerated = {entry["id"] for entry in case.tolerated_materials} if case.tolerance_resolved_on is None else set()
    return [OwedMaterial(m, case.tolerance_due_on if m.pk in tolerated else None) for m in missing_materials(case)]


def materials_to_correct(case: Case) -> list[Material]:
    """What the applicant is asked to bring (补正): the materials of the open correction notice and any still
    missing, in the order of the item's list."""
    wanted = {m.pk: m for m in missing_materials(case)}
    correction = case.corrections.filter(resolved_at__isnull=True).order_by("-id").first()
    if correction is not None:
        ids = [line["material_id"] for line in correction.items if line.get("material_id")]
        for material in case.item_version.materials.filter(pk__in=ids):
            wanted.setdefault(material.pk, material)
    return sorted(wanted.values(), key=lambda m: (m.order, m.pk))


def fields_to_correct(case: Case) -> list[str]:
    """The application form's fields the open correction notice names (补正的申请表字段), in its order."""
    correction = case.corrections.filter(resolved_at__isnull=True).order_by("-id").first()
    if correction is None:
        return []
    return [line["field"] for line in correction.items if line.get("field")]


@dataclass(frozen=True)
class AnswerChange:
    """A field of the application form whose answer the applicant changed after a correction notice."""

    key: str
    label: str
    first: Any
    now: Any
    label_en: str = ""  # the label on an English page (the Chinese one when the form gives none)


@dataclass(frozen=True)
class FillFigures:
    """减填写 of an item: fields on its current form, the cases filed with a form, and per application on average
    the fields prefilled and typed (one decimal); the sums they are averaged from."""

    fields: int
    cases: int
    prefilled: float
    typed: float
    prefilled_sum: int = 0
    typed_sum: int = 0


def fill_figures_of(item_ids: Iterable[int]) -> dict[int, FillFigures]:
    """减填写 per item of `item_ids` that has a form in force or cases filed with a form (four queries whatever
    their number). A case counts its first submission's answers: those the center prefilled (its
    `prefill_sources`) and the rest, which the applicant typed."""
    ids = list(item_ids)
    current = dict(ServiceItem.objects.filter(pk__in=ids, published_version__isnull=False)
                   .values_list("pk", "published_version_id"))
    with_form = set(FormVersion.objects.filter(item_version_id__in=current.values())
                    .values_list("item_version_id", flat=True))
    fields = dict(FormField.objects.filter(form__item_version_id__in=with_form, table__isnull=True)
                  .values("form__item_version_id").annotate(n=Count("id")).values_list("form__item_version_id", "n"))
    sums: dict[int, list[int]] = {}
    for item_id, answers, sources in (Case.objects.filter(item_id__in=ids, form_version__isnull=False)
                                      .values_list("item_id", "first_answers", "prefill_sources")):
        row = sums.setdefault(item_id, [0, 0, 0])
        prefilled = len([key for key in sources if key in answers])
        row[0] += 1
        row[1] += prefilled
        row[2] += len(answers) - prefilled
    out = {}
    for item_id in ids:
        version = current.get(item_id)
        if version not in with_form and item_id not in sums:
            continue
        cases, prefilled, typed = sums.get(item_id, (0, 0, 0))
        out[item_id] = FillFigures(fields.get(version, 0) if version is not None else 0, cases, round(prefilled / cases, 1) if cases else 0.0,
                                   round(typed / cases, 1) if cases else 0.0, prefilled, typed)
    return out


def fill_figures(item_id: int) -> FillFigures:
    """The item's 减填写 figures over its cases filed with a form (see `fill_figures_of`)."""
    return fill_figures_of([item_id]).get(item_id, FillFigures(0, 0, 0.0, 0.0))


def answer_rows(case: Case, user: User | Any = None, language: str = "zh") -> list[AnswerRow]:
    """The case's application form as `user` reads it (label and words), in the form's order, in `language`
    ("en": the fields' and choices' English, Chinese where none is given): identity numbers and mobiles in it
    whole or masked by the rule of the applicant's own (`identity_for`)."""
    if case.form_version is None or not case.answers:
        return []
    return rows(spec_of(case.form_version), case.answers, language, masked=not sees_identity(case, user))


def answer_changes(case: Case, user: User | Any = None, language: str = "zh") -> list[AnswerChange]:
    """What changed between the first submission's answers and the corrected ones (补正前后对照), in form order,
    in `language`, masked for `user` as `answer_rows`."""
    if case.answers == case.first_answers:
        return []
    spec = spec_of(case.form_version) if case.form_version is not None else None
    return changes_between(spec, case.first_answers, case.answers, language, masked=not sees_identity(case, user))


def changes_between(spec: FormSpec | None, first_answers: Mapping[str, Any], answers: Mapping[str, Any],
                    language: str = "zh", *, masked: bool = False) -> list[AnswerChange]:
    """The fields whose answer differs between `first_answers` and `answers`, in the form's order, in words (in
    `language`; `masked` as `forms.display.value_text`)."""
    order = [f.key for f in spec.fields] if spec else []
    keys = sorted(set(answers) | set(first_answers), key=lambda k: (order.index(k) if k in order else len(order), k))
    changes = []
    for key in keys:
        first, now = first_answers.get(key), answers.get(key)
        if first != now:
            field = spec.field(key) if spec else None
            label = field.label(language) if field else key
            changes.append(AnswerChange(key, label,
                                        value_text(field, first, language, masked=masked) if field else first,
                                        value_text(field, now, language, masked=masked) if field else now,
                                        field.label("en") if field else key))
    return changes


def reusable_materials(case: Case) -> QuerySet[CaseMaterial]:
    """Verified materials of the same applicant's earlier cases that this case may reuse (材料复用)."""
    return (
        CaseMaterial.objects.filter(
            verified=True, case__applicant_id_number=case.applicant_id_number,
            provision=CaseMaterial.Provision.UPLOADED,
        )
        .exclude(case_id=case.pk)
        .select_related("case", "material")
        .order_by("-id")
    )


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    """The case's audit events (actor, time, action, before → after, reason), oldest first."""
    return AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id")


# -- supervision (电子监察) -------------------------------------------------------------------------------
def _supervised_cases(user: User) -> QuerySet[Case]:
    if user.is_center_wide:
        return Case.objects.all()
    department = department_id_of(user)
    if user.role == Role.LEADER and department:
        return Case.objects.filter(department_id=department)
    raise PermissionDenied("电子监察仅对中心督查人员和部门负责人开放")


def _overdue_tolerance_q(today: dt.date) -> Q:
    """容缺 promises past their day and still owed by a case not closed (the partial index `case_tolerance_owed`)."""
    return (Q(tolerance_resolved_on__isnull=True, tolerance_due_on__isnull=False) & ~Q(state__in=TOLERANCE_CLOSED)
            & Q(tolerance_due_on__lt=today))


def supervision_board(user: User, *, today: dt.date | None = None) -> dict[str, Any]:
    """Counts by department and light, overdue acceptance and overdue 容缺 promises, in two aggregate queries: the
    running cases (read from their covering partial index alone) and the 容缺 promises still owed (their own
    partial index), however many finished cases the years left behind.

    Returns {"today", "departments": [{id, code, name, green, yellow, red, running, overdue_acceptance,
    overdue_tolerance}], "totals": {...}}: the departments with a running case or an overdue promise. Supervisors
    see every department, leaders their own.
    """
    today = _today(today)
    cases = _supervised_cases(user)
    running = (
        cases.filter(state__in=RUNNING_STATES)
        .values("department_id")
        .annotate(
            running=Count("department_id"),
            green=Count("department_id", filter=light_filter(Light.GREEN, today)),
            yellow=Count("department_id", filter=light_filter(Light.YELLOW, today)),
            red=Count("department_id", filter=light_filter(Light.RED, today)),
            overdue_acceptance=Count("department_id", filter=Q(state=State.SUBMITTED, acceptance_due_on__lt=today)),
        )
        .order_by()
    )
    owed = cases.filter(_overdue_tolerance_q(today)).values("department_id").annotate(n=Count("*")).order_by()
    keys = ["running", "green", "yellow", "red", "overdue_acceptance", "overdue_tolerance"]
    by_department: dict[int, dict[str, Any]] = {}
    for counted in running:
        by_department[counted["department_id"]] = {**counted, "overdue_tolerance": 0}
    for promised in owed:
        by_department.setdefault(promised["department_id"], dict.fromkeys(keys, 0))["overdue_tolerance"] = \
            promised["n"]
    departments = Department.objects.filter(pk__in=by_department).order_by("sort_order", "code")
    result = []
    for department in departments:
        counts = by_department[department.pk]
        result.append({"id": department.pk, "code": department.code, "name": department.name,
                       **{k: counts[k] for k in keys}})
    totals = {k: sum(r[k] for r in result) for k in keys}
    return {"today": today, "departments": result, "totals": totals}


def supervised_cases(
    user: User, *, light: str | None = None, overdue_acceptance: bool = False, overdue_tolerance: bool = False,
    department_id: int | None = None, today: dt.date | None = None,
) -> QuerySet[Case]:
    """The board's drill-down lists: cases of one light, not accepted in time, or with an overdue 容缺 promise, the
    running clock's end first (`DUE_FIRST`)."""
    today = _today(today)
    cases = _supervised_cases(user).select_related("item_version", "department")
    if department_id:
        cases = cases.filter(department_id=department_id)
    if light:
        # Only a case on a clock has a light: said outright, so that the partial indexes of those cases serve it.
        cases = cases.filter(Q(state__in=CLOCKED) & light_filter(light, today))
    if overdue_acceptance:
        cases = cases.filter(state=State.SUBMITTED, acceptance_due_on__lt=today)
    if overdue_tolerance:
        cases = cases.filter(_overdue_tolerance_q(today))
    return by_due(cases.annotate(light=light_expression(today), deemed=deemed_expression(today)))


def on_time_rates(
    user: User, *, start: dt.date, end: dt.date, department_id: int | None = None
) -> list[dict[str, Any]]:
    """Per department, cases decided between start and end: early / on time / late and the on-time rate.

    On-time rate = (early + on time) / all finished; finished = decided (准予或不予许可) in the period.
    """
    cases = _supervised_cases(user).filter(
        state__in=DECIDED_STATES, decided_on__gte=start, decided_on__lte=end
    )
    if department_id:
        cases = cases.filter(department_id=department_id)
    rows = (
        cases.values("department_id", "department__code", "department__name")
        .annotate(
            finished=Count("id"),
            early=Count("id", filter=Q(timeliness=clock.Timeliness.EARLY)),
            on_time=Count("id", filter=Q(timeliness=clock.Timeliness.ON_TIME)),
            late=Count("id", filter=Q(timeliness=clock.Timeliness.LATE)),
        )
        .order_by("department__code")
    )
    return [
        {
            "department_id": r["department_id"], "code": r["department__code"], "name": r["department__name"],
            "finished": r["finished"], "early": r["early"], "on_time": r["on_time"], "late": r["late"],
            "rate": round((r["early"] + r["on_time"]) / r["finished"], 4) if r["finished"] else None,
        }
        for r in rows
    ]


def lapsed_acceptances(today: dt.date) -> QuerySet[Case]:
    """Submitted cases past their 5-working-day acceptance limit not yet marked deemed accepted (art. 32)."""
    return Case.objects.filter(state=State.SUBMITTED, deemed_accepted=False, acceptance_due_on__lt=today)


def is_deemed_accepted(case: Case, today: dt.date | None = None) -> bool:
    """视为受理 (行政许可法第三十二条): marked so, or a submitted case whose acceptance limit has passed and which the
    sweep has not reached yet — what every page, list and API answer shows."""
    if case.deemed_accepted:
        return True
    return (case.state == State.SUBMITTED and case.acceptance_due_on is not None
            and _today(today) > case.acceptance_due_on)


def alert_candidates(today: dt.date) -> QuerySet[Case]:
    """Running cases that are yellow or red today and have no alert yet for that light and deadline."""
    from onewindow.cases.models import CaseAlert

    annotated = Case.objects.filter(clock_due_on__isnull=False, clock_warn_on__lte=today).annotate(
        light=light_expression(today)
    )
    already = CaseAlert.objects.filter(case_id=OuterRef("pk"), kind=AlertKind.CLOCK, light=OuterRef("light"),
                                       clock_due_on=OuterRef("clock_due_on"))
    return annotated.filter(~Exists(already)).select_related("department", "item_version").order_by("id")


# -- special procedures and hearings (特别程序、听证) ---------------------------------------------------------------
class HearingClock(NamedTuple):
    """The limit a hearing runs on now: what must happen (`label`), by when (`due_on`), and its light."""

    label: str
    due_on: dt.date
    light: Light
    days_left: int


HEARING_LIMITS = {
    # state: (the limit's label, the column holding its last day)
    HearingState.NOTIFIED: ("当事人申请听证期限（告知之日起5日）", "request_due_on"),
    HearingState.REQUESTED: ("通知听证时间地点期限（须提前7个工作日，听证在申请后20个工作日内举行）", "notice_due_on"),
    HearingState.SCHEDULED: ("举行听证并制作笔录", "hearing_on"),
}


def hearing_clock(hearing: Hearing, today: dt.date | None = None) -> HearingClock | None:
    """The clock of an open hearing (第四十七、四十八条) with its light: yellow within the yellow threshold (2 working
    days), red once the day has passed; None for a hearing that is over."""
    from onewindow.workdays.selectors import get_calendar

    limit = HEARING_LIMITS.get(hearing.state)  # type: ignore[call-overload]
    if limit is None:
        return None
    label, column = limit
    due_on = getattr(hearing, column)
    if due_on is None:
        return None
    calendar = get_calendar()
    today = _today(today)
    if hearing.state == HearingState.SCHEDULED and hearing.hold_by_on and due_on > hearing.hold_by_on:
        # Set after the 20 working days (the notice went out too late): the limit is missed, whatever the day.
        due_on = hearing.hold_by_on
        return HearingClock("组织听证期限（已逾期）", due_on, Light.RED, clock.days_left(calendar, today, due_on))
    warn = clock.warn_on(calendar, due_on, yellow_settings()[0])
    return HearingClock(label, due_on, clock.light(today, due_on, warn), clock.days_left(calendar, today, due_on))


def open_hearings() -> QuerySet[Hearing]:
    """Hearings whose procedure still runs, with their case, for the sweep."""
    return Hearing.objects.filter(state__in=[HearingState.NOTIFIED, HearingState.REQUESTED, HearingState.SCHEDULED]) \
        .select_related("case", "case__department", "case__item_version").order_by("id")


def overrunning_procedures(today: dt.date) -> QuerySet[Suspension]:
    """Special procedures still open after their expected end (第四十五条 told the applicant the time they need)
    with no alert yet for that expected end."""
    from onewindow.cases.models import CaseAlert

    already = CaseAlert.objects.filter(case_id=OuterRef("case_id"), kind=AlertKind.PROCEDURE_OVERRUN,
                                       clock_due_on=OuterRef("expected_end_on"))
    # A hearing's procedure is watched by its own limits (`hearing_clock`), not by this one.
    return Suspension.objects.filter(ended_on__isnull=True, expected_end_on__lt=today).exclude(kind="hearing") \
        .filter(~Exists(already)) \
        .select_related("case", "case__department", "case__item_version").order_by("id")


# -- notices, tracking -----------------------------------------------------------------------------------
def notices_for(user: User, *, unread_only: bool = False) -> QuerySet[Notice]:
    """The user's in-app inbox (站内消息), newest first."""
    notices = Notice.objects.filter(recipient=user).select_related("case")
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-id")


# The stored dates counted in working days: each may fall in (or be counted through) a provisional calendar year.
WORKING_DAY_DATES = ("acceptance_due_on", "due_on", "legal_due_on", "clock_due_on", "clock_warn_on")


def provisional_flags(case: Case, names: tuple[str, ...] = WORKING_DAY_DATES) -> dict[str, bool]:
    """`{"<date>_provisional": bool}` for each working-day date of `names`: True when it was counted through a year
    whose official holiday notice is not loaded yet (暂定, it may still move; `workdays.provisional`)."""
    from onewindow.workdays.selectors import get_calendar

    calendar = get_calendar()
    return {f"{name}_provisional": calendar.is_provisional(getattr(case, name)) for name in names}


def public_tracking(number: str, code: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """Public progress query (办件进度查询) by number and query code: state and dates, never personal data."""
    case = (
        Case.objects.select_related("item_version", "department")
        .filter(number=(number or "").strip().upper())
        .first()
    )
    # Compared as bytes: compare_digest refuses a str with a character beyond ASCII (a TypeError, once a 500).
    sent = (code or "").strip().upper().encode()
    if case is None or not sent or not hmac.compare_digest(case.query_code.encode(), sent):
        raise NotFound("办件编号或查询码不正确", fields={"number": "not_found"})
    return {
        "number": case.number,
        "item": case.item_version.name,
        "department": case.department.name,
        "state": case.state,
        "state_label": case.state_label,
        "submitted_on": case.submitted_on,
        "acceptance_due_on": case.acceptance_due_on,
        "accepted_on": case.accepted_on,
        "due_on": case.due_on,
        "decided_on": case.decided_on,
        "delivered_on": case.delivered_on,
        "light": (light_of(case, today) or ""),
        **provisional_flags(case, ("acceptance_due_on", "due_on")),
    }


def yellow_settings() -> tuple[int, float]:
    """(minimum working days, ratio of the promised limit) for yellow; settings CASES_YELLOW_DAYS/_RATIO."""
    return (
        int(getattr(settings, "CASES_YELLOW_DAYS", 2)),
        float(getattr(settings, "CASES_YELLOW_RATIO", 0.2)),
    )
