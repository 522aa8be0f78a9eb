"""Intake (收件): open a case, submit it (提交申请) and bind the item version in force — and the three intakes a
person performs in one go, each all or nothing: at the window (`take_in_at_window`: 收件、材料核对、当场受理 /
一次性告知补正 / 不予受理), online (`apply_online`: 网上申报), and the applicant's corrections
(`resubmit_with_corrections`: 补正后重新提交). A failed one leaves no case, material, file, audit event or number."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from onewindow.cases import clock, idempotency, limits
from onewindow.cases.acts.acceptance import accept_case, refuse_case, request_correction
from onewindow.cases.acts.answers import (
    corrected_answers,
    filed_answers,
    form_problems,
    held_answers,
    prefill_marks,
    raise_all,
    replaced_material,
)
from onewindow.cases.acts.base import (
    CITIZEN_CHANNELS,
    CLERK_CHANNELS,
    QUERY_CODE_ALPHABET,
    Agent,
    Applicant,
    CorrectionItem,
    Problem,
    announce,
    check_actor,
    check_delivery_offered,
    clock_columns,
    commit,
    fields_renamed,
    next_number,
    optional_text,
    raise_problems,
    validated_agent,
    validated_applicant,
)
from onewindow.cases.acts.materials import add_material, fetch_shared_material, may_act_for_applicant
from onewindow.cases.documents import NoticeKind, render_case_notice
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    Case,
    Channel,
    CorrectionNotice,
    DeliveryMethod,
)
from onewindow.cases.selectors import fields_to_correct, materials_to_correct, missing_materials
from onewindow.cases.uploads import InvalidUpload, files_discarded_on_failure
from onewindow.catalog.models import ItemVersion, Material, ServiceItem, ServicePoint
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import ErrorCode, InvalidInput, PermissionDenied
from onewindow.core.identity import mask_identity
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.forms.selectors import spec_for_version
from onewindow.workdays.selectors import get_calendar


def create_case(
    *,
    by: User,
    item: ServiceItem,
    applicant: Applicant,
    channel: str,
    service_point: ServicePoint | None = None,
    agent: Agent | None = None,
    applicant_user: User | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    postal_address: str = "",
    idempotency_key: str = "",
    submit: bool = False,
    at: dt.datetime | None = None,
    digest: str | None = None,
    answers: Mapping[str, Any] | None = None,
    known_answers: Mapping[str, Any] | None = None,
) -> tuple[Case, bool]:
    """Open a case (收件) as a draft, optionally submitting it at once; returns (case, created).

    A repeated `idempotency_key` from the same user with the same request returns the first case and changes
    nothing; with a different request it is refused (409). `digest` is the request's when the case is opened as
    part of a larger use-case (an intake); by default it is this call's (see `cases.idempotency`). `answers` are the
    application form's (电子申请表), checked against the form of the item version in force (FormInvalid, 422,
    naming each `answers.<path>`); `known_answers` are those a package's one form asked for several items
    (一表申请), marked in `prefill_sources` as coming from it.
    """
    key = idempotency.checked_key(idempotency_key)
    if digest is None and key:
        digest = idempotency.request_digest("cases.create_case", {
            "item": item, "applicant": applicant, "channel": channel, "service_point": service_point, "agent": agent,
            "applicant_user": applicant_user, "delivery_method": delivery_method, "postal_address": postal_address,
            "submit": submit, "answers": answers or {},
        })
    digest = digest if key and digest else ""
    first = _first_of(by, key, digest)
    if first is not None:
        return first, False
    opening = functools.partial(
        _create_case, by=by, item=item, applicant=applicant, channel=channel, service_point=service_point, agent=agent,
        applicant_user=applicant_user, delivery_method=delivery_method, postal_address=postal_address, key=key,
        digest=digest, at=at, answers=answers, known_answers=known_answers, submit=submit,
    )
    if not key:
        return opening(), True
    try:
        # A savepoint: the idempotency key's unique index refusing a second case is undone alone (below).
        with transaction.atomic():
            case = opening()
    except IntegrityError:
        # The same key raced in from a second request: the first one's case is the answer, if it was this request.
        first = _first_of(by, key, digest)
        if first is None:
            raise
        return first, False
    return case, True


def _first_of(by: User, key: str, digest: str) -> Case | None:
    """The case `by` opened with `key` before (None if none): a replay when it was the same request, else 409."""
    first = Case.objects.filter(created_by=by, idempotency_key=key).first() if key else None
    if first is not None:
        idempotency.check_replay(first.idempotency_digest, digest, first=f"办件 {first.number}")
    return first


def _create_case(
    *, by: User, item: ServiceItem, applicant: Applicant, channel: str, service_point: ServicePoint | None,
    agent: Agent | None, applicant_user: User | None, delivery_method: str, postal_address: str, key: str,
    digest: str, at: dt.datetime | None, answers: Mapping[str, Any] | None = None,
    known_answers: Mapping[str, Any] | None = None, submit: bool = False,
) -> Case:
    """Check and write a new case (and its submission with `submit`): every check and computation first, then the
    writes — its number from the department's daily sequence, the case row as it stands after the last act (one
    INSERT), the audit event of each act (`case.create`, `case.submit`: the same events as a draft submitted later),
    the declared event of the submission. The sequence's row is locked from the number to the commit: nothing but
    these writes runs under it."""
    when, day = kit.moment(at)
    version = item.published_version
    if version is None:
        raise InvalidInput("该事项尚未发布，不能申请", fields={"item": "unpublished"})
    if channel not in Channel.values:
        raise InvalidInput(f"申报渠道“{channel}”无效", fields={"channel": "choice"})
    kit.require_signed_in(by)
    if by.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise InvalidInput("群众自行申报的渠道为网上、移动端或自助终端", fields={"channel": "citizen"})
        applicant_user = by
    elif by.role == Role.CLERK:
        if channel not in CLERK_CHANNELS:
            raise InvalidInput("窗口人员录入的渠道为窗口受理或邮寄申请", fields={"channel": "clerk"})
        _check_window_scope(by, version)
    else:
        raise PermissionDenied("只有申请人或窗口人员可以申报办件")
    if applicant_user is not None and applicant_user.role != Role.CITIZEN:
        raise InvalidInput("申请人账号应为群众账号", fields={"applicant_user_id": "role"})
    if delivery_method not in DeliveryMethod.values:
        raise InvalidInput(f"送达方式“{delivery_method}”无效", fields={"delivery_method": "choice"})
    check_delivery_offered(version, delivery_method)
    if delivery_method == DeliveryMethod.POST:
        postal_address = kit.require_text(postal_address, "postal_address", "邮寄地址",
                                          max_length=limits.POSTAL_ADDRESS)
    else:
        postal_address = optional_text(postal_address, "postal_address", "邮寄地址", limits.POSTAL_ADDRESS)
    fields = {**validated_applicant(applicant), **validated_agent(agent)}
    form, answers = filed_answers(version, held_answers(version, applicant_user, answers))
    marks = prefill_marks(version, applicant_user, answers, known=known_answers) \
        if applicant_user is not None or known_answers else {}
    case = Case(
        form_version=form,
        answers=answers,
        first_answers=answers,
        prefill_sources=marks,
        query_code="".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6)),
        state=State.DRAFT,
        item=item,
        item_version=version,
        department=version.department,
        channel=channel,
        service_point=service_point,
        applicant_user=applicant_user,
        created_by=by,
        idempotency_key=key,
        idempotency_digest=digest,
        created_at=when,
        delivery_method=delivery_method,
        postal_address=postal_address,
        promised_days=version.promised_days,
        statutory_days=version.statutory_days,
        **fields,
    )
    created = {"item_version": version.pk, "channel": channel, "applicant": mask_identity(case.applicant_id_number),
               "agent": bool(case.agent_name), "agent_is_center": case.agent_is_center}
    submission: tuple[dt.datetime, dict[str, Any], dict[str, Any]] | None = None
    if submit:
        check_actor(case, by, "submit")
        submitted_at, submitted_on = kit.moment(at)
        changes = submission_changes(case, when=submitted_at, day=submitted_on)
        submission = (submitted_at, kit.values_before(case, changes), changes)
        kit.apply_in_memory(case, changes)
    case.number = next_number(version.department, day)
    case.save(force_insert=True)
    audit.record("case.create", obj=case, by=by, after={"number": case.number, **created})
    if submission is not None:
        submitted_at, before, changes = submission
        kit.record_update(case, action="submit", by=by, before=before, changes=changes)
        announce(case, action="submit", previous_state=State.DRAFT, by=by, at=submitted_at)
    return case


def _check_window_scope(by: User, version: ItemVersion) -> None:
    """A window takes in its department's items; a comprehensive window (no department) the centrally accepted."""
    department = department_id_of(by)
    if department != version.department_id and not (department is None and version.central_acceptance):
        raise PermissionDenied("该事项不属于本部门，也未授权综合窗口受理", fields={"item": "scope"})


@composable
def submit_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """Submit (提交申请) or resubmit after correction; binds the item version in force and starts the 5-day clock."""
    check_actor(case, by, "submit")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    if case.state != State.DRAFT:
        # 补正后重新提交: the acceptance clock restarts from the day the materials arrive.
        CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=when)
    return commit(case, action="submit", by=by, changes=submission_changes(case, when=when, day=day), at=when)


def submission_changes(case: Case, *, when: dt.datetime, day: dt.date) -> dict[str, Any]:
    """What submitting `case` at `when` (Beijing date `day`) changes: the state and its moment; for a draft, the
    item version in force and its limits (its form's rules when a newer version came out while the draft
    waited); the 5-working-day acceptance limit and the clock on it."""
    changes: dict[str, Any] = {"state": State.SUBMITTED, "submitted_at": when, "submitted_on": day}
    if case.state == State.DRAFT:
        version = _published(case.item)
        changes.update(item_version=version, promised_days=version.promised_days,
                       statutory_days=version.statutory_days)
        if version.pk != case.item_version_id:  # a newer version came out while the draft waited: its form rules
            changes["form_version"], changes["answers"] = filed_answers(version, case.answers)
            changes["first_answers"] = changes["answers"]
    changes["acceptance_due_on"] = clock.acceptance_due(get_calendar(), day)
    changes.update(clock_columns(case, state=State.SUBMITTED, today=day,
                                  acceptance_due_on=changes["acceptance_due_on"]))
    return changes


# -- the one-go intakes: inputs ----------------------------------------------------------------------------
class MaterialStatus(StrEnum):
    """How the window found one material when checking it (材料核对)."""

    RECEIVED = "received"  # 已收取: its scan comes with it
    SHARED = "shared"  # 数据共享获取: government-issued, fetched instead of asked for
    MISSING = "missing"  # 缺少
    FAULTY = "faulty"  # 不符合要求: brought, but the problem says why it cannot be used


class Decision(StrEnum):
    """What the window decides on the spot."""

    ACCEPT = "accept"  # 受理, 容缺受理 when a tolerated material is missing
    REQUEST_CORRECTION = "request_correction"  # 一次性告知补正
    REFUSE = "refuse"  # 不予受理


@dataclass(frozen=True)
class Scan:
    """A material's file as received (扫描件): its bytes and the name it came with; its type is judged by content."""

    content: bytes
    filename: str


@dataclass(frozen=True)
class CheckedMaterial:
    """One line of the window's checklist: a material of the item version, how it was found, its scan when
    received, the problem when faulty. A material of the version without a line counts as missing."""

    material_id: int
    status: str  # MaterialStatus
    scan: Scan | None = None
    problem: str = ""


@dataclass(frozen=True)
class SuppliedMaterial:
    """A material the applicant supplies online (网上申报, 补正): which one, and its file."""

    material_id: int
    scan: Scan


@dataclass(frozen=True)
class WindowDecision:
    """The decision at the window and what it needs: the 容缺 due date (a Beijing date after the day of
    acceptance) when a tolerated material is missing; a note for the correction notice and the fields of the
    application form it names (`fields`: (field key, problem) pairs, only with 一次性告知补正); the reason (and legal
    basis) of a refusal."""

    kind: str  # Decision
    tolerance_due_on: dt.date | None = None
    note: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    reason: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class Delivery:
    """送达方式 of the result: pick-up, free post (邮寄地址 required) or electronic, as the item offers."""

    method: str = DeliveryMethod.PICKUP
    postal_address: str = ""


@dataclass(frozen=True)
class Intake:
    """What an intake at the window produced: the case, the notice to hand over, and False for a replay."""

    case: Case
    notice: NoticeKind
    created: bool


NOT_SUPPLIED = "未提交，请补交"  # the correction line of a material the applicant did not bring
_STATUSES = frozenset(MaterialStatus)
_NOTICE_OF = {Decision.ACCEPT: NoticeKind.ACCEPTANCE, Decision.REQUEST_CORRECTION: NoticeKind.CORRECTION,
              Decision.REFUSE: NoticeKind.REFUSAL}


# -- the one-go intakes: checks that see all the input at once ----------------------------------------------
def checklist_problems(
    materials: Sequence[Material], lines: Sequence[CheckedMaterial], decision: WindowDecision,
) -> list[Problem]:
    """Everything wrong with a window's checklist and decision, all at once (empty when they stand together)."""
    problems = _line_problems(materials, lines)
    statuses = {line.material_id: line.status for line in lines}
    absent = [m for m in materials if statuses.get(m.pk, MaterialStatus.MISSING) in (MaterialStatus.MISSING,
              MaterialStatus.FAULTY) and m.requirement != Material.Requirement.OPTIONAL]
    if decision.kind == Decision.ACCEPT:
        blocking = [m.name for m in absent if m.requirement == Material.Requirement.REQUIRED]
        if blocking:
            problems.append(Problem("decision.kind", "materials_missing",
                                    gettext_noop("必要材料不齐，不能受理，请一次性告知补正：%(names)s"),
                                    {"names": "、".join(blocking)}, ErrorCode.MATERIALS_MISSING))
        if len(blocking) < len(absent) and decision.tolerance_due_on is None:
            problems.append(Problem("decision.tolerance_due_on", "required",
                                    gettext_noop("有容缺材料，请填写承诺补交日期")))
    elif decision.kind == Decision.REQUEST_CORRECTION:
        if not absent and not decision.fields:
            problems.append(Problem("decision.kind", "nothing_to_correct",
                                    gettext_noop("没有标记为缺少或不符合要求的材料，也没有需补正的申请表字段，无需补正")))
    elif decision.kind == Decision.REFUSE:
        if not decision.reason.strip():
            problems.append(Problem("decision.reason", "required", gettext_noop("不予受理须说明理由")))
    else:
        problems.append(Problem("decision.kind", "choice", gettext_noop("处理结果应为受理、一次性告知补正或不予受理")))
    return problems


def decision_field_problems(version: ItemVersion, decision: WindowDecision) -> list[Problem]:
    """The application-form fields a window's correction notice names (`decision.fields`), all checked at once:
    each must be a field of the item version's form (`decision.fields.<key>` `invalid`), named once (`repeated`),
    with its problem written (`required`), and only with 一次性告知补正 (`unexpected`)."""
    if not decision.fields:
        return []
    if decision.kind != Decision.REQUEST_CORRECTION:
        return [Problem("decision.fields", "unexpected", gettext_noop("只有一次性告知补正可以列出需补正的申请表字段"))]
    spec = spec_for_version(version)
    known = {f.key: f.label_zh for f in spec.fields} if spec is not None else {}
    problems, seen = [], set()
    for key, problem in decision.fields:
        where = f"decision.fields.{key}"
        if key not in known:
            problems.append(Problem(where, "invalid", gettext_noop("申请表中没有字段“%(key)s”"), {"key": key}))
        elif key in seen:
            problems.append(Problem(where, "repeated", gettext_noop("申请表字段“%(name)s”重复列出"),
                                    {"name": known[key]}))
        elif not problem.strip():
            problems.append(Problem(where, "required", gettext_noop("请写明“%(name)s”存在的问题"),
                                    {"name": known[key]}))
        elif len(problem.strip()) > limits.CORRECTION_PROBLEM:
            problems.append(Problem(where, "too_long", gettext_noop("“%(name)s”存在的问题过长（最多 %(max)s 字）"),
                                    {"name": known[key], "max": limits.CORRECTION_PROBLEM}))
        seen.add(key)
    return problems


def _line_problems(materials: Sequence[Material], lines: Sequence[CheckedMaterial]) -> list[Problem]:
    known = {m.pk: m for m in materials}
    problems = _unknown_or_repeated([line.material_id for line in lines], known)
    for line in lines:
        material = known.get(line.material_id)
        if material is None:
            continue
        key = f"materials.{material.pk}"
        if line.status not in _STATUSES:
            problems.append(Problem(f"{key}.status", "choice", gettext_noop("请核对这份材料：已收取、缺少或不符合要求")))
        elif line.status == MaterialStatus.RECEIVED and line.scan is None:
            problems.append(Problem(f"{key}.file", "required", gettext_noop("已收取的材料请上传扫描件")))
        elif line.status != MaterialStatus.RECEIVED and line.scan is not None:
            problems.append(Problem(f"{key}.file", "unexpected",
                                    gettext_noop("“%(name)s”未标记为已收取，不应附带文件"), {"name": material.name}))
        if line.status == MaterialStatus.SHARED and not material.fetchable:
            problems.append(Problem(f"{key}.status", "not_shared",
                                    gettext_noop("“%(name)s”由申请人自备，不能通过数据共享获取"), {"name": material.name}))
        if line.status == MaterialStatus.FAULTY and not line.problem.strip():
            problems.append(Problem(f"{key}.problem", "required", gettext_noop("请写明这份材料存在的问题")))
        if len(line.problem.strip()) > limits.CORRECTION_PROBLEM:
            problems.append(Problem(f"{key}.problem", "too_long", gettext_noop("“%(name)s”的问题不能超过%(n)d个字符"),
                                    {"name": material.name, "n": limits.CORRECTION_PROBLEM}))
    return problems


def supply_problems(
    materials: Sequence[Material], supplied: Sequence[SuppliedMaterial], *, required: Sequence[Material],
) -> list[Problem]:
    """Everything wrong with the materials an applicant supplies: each one of the item's, once; every
    `required` one present (government-issued materials are fetched by data sharing, never required here)."""
    known = {m.pk: m for m in materials}
    problems = _unknown_or_repeated([line.material_id for line in supplied], known)
    given = {line.material_id for line in supplied}
    for material in required:
        if material.pk not in given and not material.fetchable:
            problems.append(Problem(f"materials.{material.pk}.file", "required",
                                    gettext_noop("请上传必要材料“%(name)s”"), {"name": material.name},
                                    ErrorCode.MATERIALS_MISSING))
    return problems


def _unknown_or_repeated(ids: Sequence[int], known: dict[int, Material]) -> list[Problem]:
    problems = []
    seen: set[int] = set()
    for material_id in ids:
        if material_id not in known:
            problems.append(Problem(f"materials.{material_id}", "not_in_item",
                                    gettext_noop("材料 %(id)s 不是本事项的材料"), {"id": material_id}))
        elif material_id in seen:
            problems.append(Problem(f"materials.{material_id}", "repeated",
                                    gettext_noop("“%(name)s”列了不止一次"), {"name": known[material_id].name}))
        seen.add(material_id)
    return problems


# -- the one-go intakes ---------------------------------------------------------------------------------------
@composable
def take_in_at_window(
    *,
    by: User,
    item: ServiceItem,
    applicant: Applicant,
    materials: Sequence[CheckedMaterial],
    decision: WindowDecision,
    agent: Agent | None = None,
    delivery: Delivery = Delivery(),
    channel: str = Channel.WINDOW,
    service_point: ServicePoint | None = None,
    applicant_user: User | None = None,
    idempotency_key: str = "",
    at: dt.datetime | None = None,
    answers: Mapping[str, Any] | None = None,
) -> Intake:
    """收件 at the window in one go: open and submit the case, record each material of the checklist (scan,
    data sharing, or missing), then decide on the spot — accept (容缺受理 for missing tolerated materials, by
    their due date), one correction notice listing every missing or faulty material, or refuse. With answers, the
    paper 申请书 the form stands for needs no line of the checklist: the 申请表 PDF generated from them is filed as
    it. All or nothing;
    a repeated `idempotency_key` with the same request returns the first intake and writes nothing, with another
    request it is refused (409). Errors name the fields as the API's request does (`decision.reason`…)."""
    kit.require_signed_in(by)
    if by.role != Role.CLERK:
        raise PermissionDenied("只有窗口人员可以收件")
    version = _published(item)
    _check_window_scope(by, version)
    catalog = list(version.materials.all())
    # the paper 申请书 the form stands for, unless the window checked it on its own line: filed from the answers
    replaced = replaced_material(version, answers)
    covered = replaced if replaced is not None and all(line.material_id != replaced for line in materials) else None
    checked = [*materials, CheckedMaterial(covered, MaterialStatus.RECEIVED, scan=Scan(b"", ""))] if covered \
        else materials
    raise_all([*checklist_problems(catalog, checked, decision), *decision_field_problems(version, decision)],
              form_problems(version, answers))
    digest = idempotency.request_digest("cases.take_in_at_window", {
        "item": item, "applicant": applicant, "agent": agent, "delivery": delivery, "channel": channel,
        "service_point": service_point, "applicant_user": applicant_user, "decision": decision,
        "materials": sorted(materials, key=lambda line: line.material_id), "answers": answers or {},
    }) if idempotency_key else ""
    with files_discarded_on_failure():
        case, created = create_case(
            by=by, item=item, applicant=applicant, agent=agent, channel=channel, service_point=service_point,
            applicant_user=applicant_user, delivery_method=delivery.method, postal_address=delivery.postal_address,
            idempotency_key=idempotency_key, submit=True, at=at, digest=digest, answers=answers,
        )
        if not created:
            return Intake(case, _notice_of_replay(case), created=False)
        lines = {line.material_id: line for line in materials}
        absent = []
        for material in catalog:
            line = lines.get(material.pk, CheckedMaterial(material.pk, MaterialStatus.MISSING))
            if material.pk == covered:
                file_application_form(case, by=by, material=material, at=at)
            elif line.status == MaterialStatus.RECEIVED and line.scan is not None:
                _attach(case, by=by, material=material, scan=line.scan, at=at)
            elif line.status == MaterialStatus.SHARED:
                fetch_shared_material(case, by=by, material_id=material.pk, at=at)
            elif material.requirement != Material.Requirement.OPTIONAL:
                absent.append((material, line.problem.strip() or NOT_SUPPLIED))
        with fields_renamed(_DECISION_FIELDS):
            _decide_at_window(case, by=by, decision=decision, absent=absent, at=at)
    return Intake(case, _NOTICE_OF[Decision(decision.kind)], created=True)


# The acts the window's decision composes name their inputs by their own calls; the intake's request names them
# inside `decision`.
_DECISION_FIELDS = {"tolerance_due_on": "decision.tolerance_due_on", "reason": "decision.reason",
                    "legal_basis": "decision.legal_basis", "note": "decision.note"}


def _decide_at_window(case: Case, *, by: User, decision: WindowDecision, absent: list[tuple[Material, str]],
                      at: dt.datetime | None) -> None:
    """Accept (容缺受理 for the tolerated materials absent), ask once for every absent material, or refuse."""
    if decision.kind == Decision.ACCEPT:
        tolerated = [material.pk for material, _problem in absent]
        accept_case(case, by=by, tolerated=tolerated, at=at,
                    tolerance_due_on=decision.tolerance_due_on if tolerated else None)
    elif decision.kind == Decision.REQUEST_CORRECTION:
        request_correction(case, by=by, note=decision.note, at=at,
                           items=[*(CorrectionItem(problem=p, material_id=m.pk) for m, p in absent),
                                  *(CorrectionItem(problem=p.strip(), field=key) for key, p in decision.fields)])
    else:
        refuse_case(case, by=by, reason=decision.reason, legal_basis=decision.legal_basis, at=at)


@composable
def apply_online(
    *,
    by: User,
    item: ServiceItem,
    applicant: Applicant,
    materials: Sequence[SuppliedMaterial] = (),
    agent: Agent | None = None,
    delivery: Delivery = Delivery(),
    channel: str = Channel.ONLINE,
    idempotency_key: str = "",
    at: dt.datetime | None = None,
    answers: Mapping[str, Any] | None = None,
) -> tuple[Case, bool]:
    """网上申报 in one go: open the case, upload the applicant's materials, fetch the government-issued ones by
    data sharing, submit. Every required material the applicant keeps must be uploaded — except the paper 申请书
    the item's form stands for (`FormVersion.replaces`) when answers come with it: the 申请表 PDF generated from
    them is filed as that material. All or nothing; a
    repeated `idempotency_key` with the same request returns (the first case, False) and writes nothing, with
    another request it is refused (409)."""
    kit.require_signed_in(by)
    if by.role != Role.CITIZEN:
        raise PermissionDenied("网上申报仅对群众账号开放")
    version = _published(item)
    if not version.mode_online:
        raise InvalidInput("该事项暂不支持网上申报", fields={"item": "not_online"})
    catalog = list(version.materials.all())
    replaced = replaced_material(version, answers)
    covered = replaced if replaced is not None and all(line.material_id != replaced for line in materials) else None
    required = [m for m in catalog if m.requirement == Material.Requirement.REQUIRED and m.pk != covered]
    raise_all(supply_problems(catalog, materials, required=required), form_problems(version, answers))
    digest = idempotency.request_digest("cases.apply_online", {
        "item": item, "applicant": applicant, "agent": agent, "delivery": delivery, "channel": channel,
        "materials": sorted(materials, key=lambda line: line.material_id), "answers": answers or {},
    }) if idempotency_key else ""
    with files_discarded_on_failure():
        case, created = create_case(
            by=by, item=item, applicant=applicant, agent=agent, channel=channel, delivery_method=delivery.method,
            postal_address=delivery.postal_address, idempotency_key=idempotency_key, at=at, digest=digest,
            answers=answers,
        )
        if not created:
            return case, False
        if covered is not None:
            file_application_form(case, by=by, material=next(m for m in catalog if m.pk == covered), at=at)
        _supply(case, by=by, catalog=catalog, supplied=materials, at=at)
        submit_case(case, by=by, at=at)
    return case, True


@composable
def resubmit_with_corrections(
    case: Case, *, by: User, materials: Sequence[SuppliedMaterial] = (), at: dt.datetime | None = None,
    expected_version: int | None = None, answers: Mapping[str, Any] | None = None,
) -> Case:
    """补正后重新提交 in one go: upload what the correction notice asks for (`selectors.materials_to_correct`;
    every required one the applicant keeps), change the form's fields it names (`selectors.fields_to_correct`;
    `answers` whole, only those fields changed, checked against the form the case was filed under), fetch the
    government-issued materials by data sharing, submit again."""
    check_actor(case, by, "submit", at=at)
    kit.check_version(case, expected_version)
    catalog = list(case.item_version.materials.all())
    asked = [m for m in materials_to_correct(case) if m.requirement == Material.Requirement.REQUIRED]
    raise_problems(supply_problems(catalog, materials, required=asked))
    corrected = corrected_answers(case, answers, fields_to_correct(case))
    with files_discarded_on_failure():
        _supply(case, by=by, catalog=catalog, supplied=materials, at=at)
        if corrected != case.answers:
            record_corrected_answers(case, by=by, answers=corrected)
        return submit_case(case, by=by, at=at)


def record_corrected_answers(case: Case, *, by: User, answers: dict[str, Any]) -> None:
    """Store the corrected answers (the first submission's stay in `first_answers`), checked by the caller
    (`answers.corrected_answers`); the audit event names the fields changed, not their values (they may hold
    other people's identity numbers). Also a package's correction of its one form (一表申请) on each sub-case."""
    changed = sorted(k for k in set(answers) | set(case.answers) if answers.get(k) != case.answers.get(k))
    Case.objects.filter(pk=case.pk).update(answers=answers)
    case.answers = answers
    audit.record("case.correct_answers", obj=case, by=by, after={"fields": changed})


def _published(item: ServiceItem) -> ItemVersion:
    if item.published_version is None:
        raise InvalidInput("该事项尚未发布，不能申请", fields={"item": "unpublished"})
    return item.published_version


def _attach(case: Case, *, by: User, material: Material, scan: Scan, at: dt.datetime | None) -> None:
    """Upload one material's scan; a refused file is named by its material (`materials.<id>.file`)."""
    try:
        add_material(case, by=by, content=scan.content, filename=scan.filename, material_id=material.pk, at=at)
    except InvalidUpload as error:
        raise InvalidUpload(error.message, fields={f"materials.{material.pk}.file": error.fields.get("file", "")}) \
            from error


def file_application_form(case: Case, *, by: User, material: Material, at: dt.datetime | None) -> None:
    """The 申请表 PDF generated from the case's answers, filed as the material the form stands for (the paper
    申请书 the applicant no longer uploads); also each sub-case of a package filed with answers."""
    pdf, _filename = render_case_notice(case, NoticeKind.APPLICATION_FORM)
    _attach(case, by=by, material=material, scan=Scan(pdf, f"{material.name}（电子申请表）.pdf"), at=at)


def _supply(case: Case, *, by: User, catalog: Sequence[Material], supplied: Sequence[SuppliedMaterial],
            at: dt.datetime | None) -> None:
    """The supplied uploads, then each government-issued material still missing, fetched by data sharing."""
    known = {m.pk: m for m in catalog}
    for line in supplied:
        _attach(case, by=by, material=known[line.material_id], scan=line.scan, at=at)
    if not may_act_for_applicant(case, by):
        return  # not the applicant's own account: the window fetches them after checking who applies
    for material in missing_materials(case):
        if material.fetchable:
            fetch_shared_material(case, by=by, material_id=material.pk, at=at)


def _notice_of_replay(case: Case) -> NoticeKind:
    if case.accepted_on is not None:
        return NoticeKind.ACCEPTANCE
    if case.state == State.NOT_ACCEPTED:
        return NoticeKind.REFUSAL
    return NoticeKind.CORRECTION
