"""Writes of the case engine: intake, every lifecycle transition, materials, documents issued, notices.

Each service is one transaction: it consults `lifecycle.ALLOWED_TRANSITIONS`, checks the actor's role and
department, moves the stored clock dates when they change, updates the row only if its `version` is the one
that was read (optimistic lock: two clerks, one case → one wins, the other gets 409), appends to the audit
chain last, and sends notices after commit. `at` back-dates an act (the demo, imports); it defaults to now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from onewindow.cases import clock, lifecycle
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    ApplicantKind,
    Case,
    CaseMaterial,
    Channel,
    CorrectionNotice,
    DeliveryMethod,
    Extension,
    Notice,
    Suspension,
    SuspensionKind,
)
from onewindow.cases.notifications import notify_on_commit
from onewindow.cases.selectors import is_visible_to, missing_materials, yellow_settings
from onewindow.cases.uploads import check_upload
from onewindow.catalog.models import Material, ServiceItem, ServicePoint
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, NotFound, PermissionDenied
from onewindow.core.identity import mask_identity, normalize_credit_code, normalize_identity_number
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Acts a comprehensive window (一窗受理, clerk without a department) may do for a centrally accepted item.
WINDOW_ACTIONS = frozenset({"create", "submit", "accept", "request_correction", "refuse", "issue_result", "deliver",
                            "withdraw", "add_material"})
CITIZEN_CHANNELS = frozenset({Channel.ONLINE, Channel.MOBILE, Channel.KIOSK})
CLERK_CHANNELS = frozenset({Channel.WINDOW, Channel.MAIL})
MATERIAL_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED, State.ACCEPTED,
                             State.IN_REVIEW, State.SUSPENDED})


# -- inputs ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Applicant:
    """申请人: a natural person (identity number, mobile) or a legal person (credit code, legal representative)."""

    kind: str
    name: str
    id_number: str  # 居民身份证号码 or 统一社会信用代码
    mobile: str = ""
    legal_representative: str = ""


@dataclass(frozen=True)
class Agent:
    """代办人 acting for the applicant; `center` marks the center's free agency service (免费代办)."""

    name: str
    id_number: str
    mobile: str = ""
    center: bool = False


@dataclass(frozen=True)
class CorrectionItem:
    """One line of a 补正告知: a catalog material (or a free-text name) and what is wrong with it."""

    problem: str
    material_id: int | None = None
    name: str = ""


# -- helpers ---------------------------------------------------------------------------------------------
def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    when = at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when, timezone.localdate(when)


def _require_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}", fields={field: "required"})
    return text


def _check_actor(case: Case, by: User, action: str) -> lifecycle.Transition:
    """The table says whether `action` is allowed from the state and for the role; scope says for whom."""
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionDenied("需要登录")
    if not is_visible_to(case, by):
        raise NotFound("办件不存在或无权查看", fields={"number": "not_found"})
    transition = lifecycle.transition_for(action, case.state, by.role)
    _check_department(case, by, action)
    return transition


def _check_department(case: Case, by: User, action: str) -> None:
    if by.role == Role.CITIZEN:
        if case.applicant_user_id != by.pk:
            raise PermissionDenied("只能办理本人的办件")
        return
    if by.role not in (Role.CLERK, Role.REVIEWER, Role.LEADER):
        raise PermissionDenied("当前角色不能办理办件")
    if department_id_of(by) == case.department_id:
        return
    if (
        department_id_of(by) is None
        and by.role == Role.CLERK
        and action in WINDOW_ACTIONS
        and case.item_version.central_acceptance
    ):
        return
    raise PermissionDenied("只能办理本部门的办件", fields={"department": "scope"})


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise Conflict(
            f"办件已被更新（当前版本 {case.version}，请求基于版本 {expected_version}），请刷新后重试",
            code=ErrorCode.VERSION_CONFLICT, fields={"version": str(case.version)},
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _commit(
    case: Case, *, action: str, by: User | None, changes: dict[str, Any], reason: str = "",
    audit_extra: dict[str, Any] | None = None,
) -> Case:
    """Write `changes` only if nobody changed the case since it was read, then append to the audit chain."""
    before = {k: _jsonable(getattr(case, k)) for k in changes}
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1, **changes)
    if updated != 1:
        raise Conflict("办件刚被他人更新，本次操作未生效，请刷新后重试", code=ErrorCode.VERSION_CONFLICT)
    for key, value in changes.items():
        setattr(case, key, value)
    case.version += 1
    after = {k: _jsonable(v) for k, v in changes.items()}
    after.update(audit_extra or {})
    audit.record(f"case.{action}", obj=case, by=by, before=before, after=after, reason=reason)
    return case


def _clock_columns(case: Case, *, state: str, today: dt.date, due_on: dt.date | None = None,
                   acceptance_due_on: dt.date | None = None) -> dict[str, Any]:
    """The stored columns the board and the alerts read: current deadline, yellow-from day, paused light."""
    calendar = get_calendar()
    min_days, ratio = yellow_settings()
    if state == State.SUBMITTED:
        deadline = acceptance_due_on or case.acceptance_due_on
        threshold = clock.yellow_threshold(clock.ACCEPTANCE_DAYS, min_days=min_days, ratio=ratio)
    elif state in (State.ACCEPTED, State.IN_REVIEW):
        deadline = due_on or case.due_on
        threshold = clock.yellow_threshold(case.promised_days, min_days=min_days, ratio=ratio)
    elif state == State.SUSPENDED:
        # The clock stands still: the case keeps the light it had when the special procedure began.
        paused = clock.light(today, case.clock_due_on, case.clock_warn_on) if case.clock_due_on else ""
        return {"clock_due_on": None, "clock_warn_on": None, "paused_light": paused}
    else:
        return {"clock_due_on": None, "clock_warn_on": None, "paused_light": ""}
    return {
        "clock_due_on": deadline,
        "clock_warn_on": clock.warn_on(calendar, deadline, threshold),
        "paused_light": "",
    }


def _deadline_columns(case: Case, *, accepted_on: dt.date | None = None,
                      extension_days: int | None = None) -> dict[str, Any]:
    """Due and legal dates from acceptance, the extension and every finished special procedure."""
    suspensions = [
        (s.started_on, s.ended_on) for s in Suspension.objects.filter(case=case, ended_on__isnull=False)
    ]
    result = clock.deadlines(
        get_calendar(),
        accepted_on=accepted_on or case.accepted_on,
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days if extension_days is None else extension_days,
        suspensions=suspensions,
    )
    return {"due_on": result.due_on, "legal_due_on": result.legal_due_on, "paused_days": result.paused_days}


def _not_before(day: dt.date, earlier: dt.date | None, what: str) -> None:
    if earlier is not None and day < earlier:
        raise InvalidInput(f"日期 {day} 早于{what} {earlier}", fields={"at": "before_previous_step"})


def _applicant_ids(case: Case) -> list[int]:
    return [case.applicant_user_id] if case.applicant_user_id else []


def _tell_applicant(case: Case, kind: str, title: str, body: str) -> None:
    notify_on_commit(_applicant_ids(case), case_id=case.pk, kind=kind, title=f"{case.number} {title}", body=body)


def _next_number(department, day: dt.date) -> str:
    """`{department code}{YYYYMMDD}{6-digit daily sequence}`: the department's sequence of the day (每日流水号)."""
    value = kit.next_in_sequence(f"cases.department.{department.pk}", day)
    return f"{department.code}{day:%Y%m%d}{value:06d}"


def _validated_applicant(applicant: Applicant) -> dict[str, Any]:
    name = _require_text(applicant.name, "applicant.name", "申请人名称")
    mobile = (applicant.mobile or "").strip()
    if applicant.kind == ApplicantKind.PERSON:
        number = normalize_identity_number(applicant.id_number)
        if not _MOBILE_RE.match(mobile):
            raise InvalidInput("请填写11位手机号码", fields={"applicant.mobile": "format"})
        representative = ""
    elif applicant.kind == ApplicantKind.ORGANIZATION:
        number = normalize_credit_code(applicant.id_number)
        representative = _require_text(applicant.legal_representative, "applicant.legal_representative", "法定代表人")
        if mobile and not _MOBILE_RE.match(mobile):
            raise InvalidInput("联系电话应为11位手机号码", fields={"applicant.mobile": "format"})
    else:
        raise InvalidInput("申请人类型应为 person（自然人）或 organization（法人）", fields={"applicant.kind": "choice"})
    return {
        "applicant_kind": applicant.kind, "applicant_name": name, "applicant_id_number": number,
        "applicant_mobile": mobile, "legal_representative": representative,
    }


def _validated_agent(agent: Agent | None) -> dict[str, Any]:
    if agent is None:
        return {}
    mobile = (agent.mobile or "").strip()
    if mobile and not _MOBILE_RE.match(mobile):
        raise InvalidInput("代办人手机号码应为11位", fields={"agent.mobile": "format"})
    return {
        "agent_name": _require_text(agent.name, "agent.name", "代办人姓名"),
        "agent_id_number": normalize_identity_number(agent.id_number),
        "agent_mobile": mobile,
        "agent_is_center": bool(agent.center),
    }


# -- intake ----------------------------------------------------------------------------------------------
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
) -> tuple[Case, bool]:
    """Open a case (收件) as a draft, optionally submitting it at once; returns (case, created).

    A repeated `idempotency_key` from the same user returns the first case and changes nothing.
    """
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise InvalidInput("Idempotency-Key 不能超过80个字符", fields={"idempotency_key": "too_long"})
    if key:
        existing = Case.objects.filter(created_by=by, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            case = _create_case(
                by=by, item=item, applicant=applicant, channel=channel, service_point=service_point, agent=agent,
                applicant_user=applicant_user, delivery_method=delivery_method, postal_address=postal_address,
                key=key, at=at,
            )
            if submit:
                submit_case(case, by=by, at=at)
    except IntegrityError:
        # The same key raced in from a second request: the first one's case is the answer.
        existing = Case.objects.filter(created_by=by, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return case, True


def _create_case(
    *, by: User, item: ServiceItem, applicant: Applicant, channel: str, service_point: ServicePoint | None,
    agent: Agent | None, applicant_user: User | None, delivery_method: str, postal_address: str, key: str,
    at: dt.datetime | None,
) -> Case:
    when, day = _moment(at)
    version = item.published_version
    if version is None:
        raise InvalidInput("该事项尚未发布，不能申请", fields={"item": "unpublished"})
    if channel not in Channel.values:
        raise InvalidInput(f"申报渠道“{channel}”无效", fields={"channel": "choice"})
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionDenied("需要登录")
    if by.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise InvalidInput("群众自行申报的渠道为网上、移动端或自助终端", fields={"channel": "citizen"})
        applicant_user = by
    elif by.role == Role.CLERK:
        if channel not in CLERK_CHANNELS:
            raise InvalidInput("窗口人员录入的渠道为窗口受理或邮寄申请", fields={"channel": "clerk"})
        if department_id_of(by) != version.department_id and not (department_id_of(by) is None and version.central_acceptance):
            raise PermissionDenied("该事项不属于本部门，也未授权综合窗口受理", fields={"item": "scope"})
    else:
        raise PermissionDenied("只有申请人或窗口人员可以申报办件")
    if applicant_user is not None and applicant_user.role != Role.CITIZEN:
        raise InvalidInput("申请人账号应为群众账号", fields={"applicant_user": "role"})
    if delivery_method not in DeliveryMethod.values:
        raise InvalidInput(f"送达方式“{delivery_method}”无效", fields={"delivery_method": "choice"})
    _check_delivery_offered(version, delivery_method)
    if delivery_method == DeliveryMethod.POST:
        postal_address = _require_text(postal_address, "postal_address", "邮寄地址")
    fields = {**_validated_applicant(applicant), **_validated_agent(agent)}
    case = Case.objects.create(
        number=_next_number(version.department, day),
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
        created_at=when,
        delivery_method=delivery_method,
        postal_address=(postal_address or "").strip(),
        promised_days=version.promised_days,
        statutory_days=version.statutory_days,
        **fields,
    )
    audit.record(
        "case.create", obj=case, by=by,
        after={"number": case.number, "item_version": version.pk, "channel": channel,
               "applicant": mask_identity(case.applicant_id_number), "agent": bool(case.agent_name),
               "agent_is_center": case.agent_is_center},
    )
    return case


def _check_delivery_offered(version, method: str) -> None:
    offered = {DeliveryMethod.PICKUP: version.delivery_pickup, DeliveryMethod.POST: version.delivery_post,
               DeliveryMethod.ELECTRONIC: version.delivery_electronic}
    if not offered.get(method, False):
        raise InvalidInput(f"该事项不提供“{DeliveryMethod(method).label}”", fields={"delivery_method": "not_offered"})


@transaction.atomic
def submit_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """Submit (提交申请) or resubmit after correction; binds the item version in force and starts the 5-day clock."""
    _check_actor(case, by, "submit")
    _check_version(case, expected_version)
    when, day = _moment(at)
    changes: dict[str, Any] = {"state": State.SUBMITTED, "submitted_at": when, "submitted_on": day}
    if case.state == State.DRAFT:
        version = case.item.published_version
        if version is None:
            raise InvalidInput("该事项已停止发布，不能提交", fields={"item": "unpublished"})
        changes.update(item_version=version, promised_days=version.promised_days,
                       statutory_days=version.statutory_days)
    else:
        # 补正后重新提交: the acceptance clock restarts from the day the materials arrive.
        CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=when)
    changes["acceptance_due_on"] = clock.acceptance_due(get_calendar(), day)
    changes.update(_clock_columns(case, state=State.SUBMITTED, today=day,
                                  acceptance_due_on=changes["acceptance_due_on"]))
    return _commit(case, action="submit", by=by, changes=changes)


# -- acceptance (受理) --------------------------------------------------------------------------------------
@transaction.atomic
def accept_case(
    case: Case, *, by: User, at: dt.datetime | None = None, tolerated: Sequence[int] = (),
    tolerance_due_on: dt.date | None = None, expected_version: int | None = None,
) -> Case:
    """Accept the case (受理) and start its clock; `tolerated` materials may follow by `tolerance_due_on` (容缺受理)."""
    _check_actor(case, by, "accept")
    _check_version(case, expected_version)
    when, day = _moment(at)
    _not_before(day, case.submitted_on, "提交日期")
    missing = missing_materials(case)
    tolerated_ids = set(tolerated)
    key_missing = [m for m in missing if m.requirement == Material.Requirement.REQUIRED]
    if key_missing:
        names = "、".join(m.name for m in key_missing)
        raise InvalidInput(f"必要材料缺失，不能受理：{names}。请一次性告知补正", code=ErrorCode.MATERIALS_MISSING,
                           fields={"materials": names})
    unknown = tolerated_ids - {m.pk for m in missing}
    if unknown:
        raise InvalidInput("容缺材料只能是本事项尚未提交的“容缺后补”材料", fields={"tolerated": "invalid"})
    undeclared = [m for m in missing if m.pk not in tolerated_ids]
    if undeclared:
        names = "、".join(m.name for m in undeclared)
        raise InvalidInput(f"材料“{names}”未提交：容缺受理须列明并约定补齐日期", code=ErrorCode.MATERIALS_MISSING,
                           fields={"tolerated": names})
    changes: dict[str, Any] = {"state": State.ACCEPTED, "accepted_at": when, "accepted_on": day, "accepted_by": by}
    if tolerated_ids:
        if tolerance_due_on is None or tolerance_due_on <= day:
            raise InvalidInput("容缺受理须约定晚于受理日的补齐日期", fields={"tolerance_due_on": "required"})
        changes.update(
            tolerated_materials=[{"id": m.pk, "name": m.name} for m in missing],
            tolerance_due_on=tolerance_due_on,
        )
    changes.update(_deadline_columns(case, accepted_on=day))
    changes.update(_clock_columns(case, state=State.ACCEPTED, today=day, due_on=changes["due_on"]))
    case.materials.update(verified=True)
    _commit(case, action="accept", by=by, changes=changes)
    body = f"您的申请已受理，承诺办结日 {case.due_on:%Y-%m-%d}。"
    if tolerated_ids:
        body += f"容缺材料请于 {tolerance_due_on:%Y-%m-%d} 前补齐。"
    _tell_applicant(case, "accepted", "已受理", body)
    return case


@transaction.atomic
def request_correction(
    case: Case, *, by: User, items: Sequence[CorrectionItem], note: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> CorrectionNotice:
    """Ask for correction (补正告知), listing every missing or faulty material at once (一次性告知)."""
    _check_actor(case, by, "request_correction")
    _check_version(case, expected_version)
    when, day = _moment(at)
    _not_before(day, case.submitted_on, "提交日期")
    if not items:
        raise InvalidInput("补正告知须列明需补正的材料", fields={"items": "required"})
    materials = {m.pk: m for m in case.item_version.materials.all()}
    lines = []
    for index, item in enumerate(items):
        problem = _require_text(item.problem, f"items.{index}.problem", "补正要求")
        if item.material_id is not None:
            material = materials.get(item.material_id)
            if material is None:
                raise InvalidInput("补正材料不属于本办件的事项版本", fields={f"items.{index}.material_id": "invalid"})
            lines.append({"material_id": material.pk, "name": material.name, "problem": problem})
        else:
            lines.append({"material_id": None, "name": _require_text(item.name, f"items.{index}.name", "材料名称"),
                          "problem": problem})
    listed = {line["material_id"] for line in lines}
    omitted = [m for m in missing_materials(case) if m.pk not in listed]
    if omitted:
        names = "、".join(m.name for m in omitted)
        raise InvalidInput(f"一次性告知须列出全部缺失材料，未列入：{names}", code=ErrorCode.CORRECTION_INCOMPLETE,
                           fields={"items": names})
    notice = CorrectionNotice.objects.create(case=case, items=lines, note=(note or "").strip(), requested_at=when,
                                             requested_by=by)
    changes = {"state": State.CORRECTION_REQUESTED, **_clock_columns(case, state=State.CORRECTION_REQUESTED,
                                                                     today=day)}
    _commit(case, action="request_correction", by=by, changes=changes,
            audit_extra={"items": lines}, reason=note)
    listing = "；".join(f"{line['name']}：{line['problem']}" for line in lines)
    _tell_applicant(case, "correction", "补正告知", f"请一次性补正以下材料后重新提交：{listing}")
    return notice


@transaction.atomic
def refuse_case(
    case: Case, *, by: User, reason: str, legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Refuse to accept (不予受理) with a reason."""
    _check_actor(case, by, "refuse")
    _check_version(case, expected_version)
    reason = _require_text(reason, "reason", "不予受理理由")
    when, day = _moment(at)
    _not_before(day, case.submitted_on, "提交日期")
    changes = {"state": State.NOT_ACCEPTED, "closed_reason": reason, "legal_basis": (legal_basis or "").strip(),
               "closed_at": when, **_clock_columns(case, state=State.NOT_ACCEPTED, today=day)}
    _commit(case, action="refuse", by=by, changes=changes, reason=reason)
    _tell_applicant(case, "refused", "不予受理", f"理由：{reason}")
    return case


# -- review (审查) -----------------------------------------------------------------------------------------
@transaction.atomic
def assign_case(
    case: Case, *, by: User, reviewer: User, at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Assign the case to a reviewer (分派承办人); a reviewer may take a case for themself."""
    _check_actor(case, by, "assign")
    _check_version(case, expected_version)
    _, day = _moment(at)
    if reviewer.role not in (Role.REVIEWER, Role.LEADER) or department_id_of(reviewer) != case.department_id \
            or not reviewer.is_active:
        raise InvalidInput("承办人应为本部门的审核人员或负责人", fields={"reviewer": "scope"})
    if by.role == Role.REVIEWER and reviewer.pk != by.pk:
        raise PermissionDenied("审核人员只能领取给自己，分派他人须由部门负责人操作")
    changes = {"state": State.IN_REVIEW, "assigned_to": reviewer,
               **_clock_columns(case, state=State.IN_REVIEW, today=day)}
    _commit(case, action="assign", by=by, changes=changes, audit_extra={"assigned_to_label": str(reviewer)})
    notify_on_commit([reviewer.pk], case_id=case.pk, kind="assigned", title=f"{case.number} 分派给您审查",
                     body=f"{case.item_version.name}，承诺办结日 {case.due_on:%Y-%m-%d}")
    return case


@transaction.atomic
def suspend_case(
    case: Case, *, by: User, kind: str, reason: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Suspension:
    """Start a special procedure (特别程序: 听证、检测、专家评审…); the clock stops until it ends."""
    _check_actor(case, by, "suspend")
    _check_version(case, expected_version)
    if kind not in SuspensionKind.values:
        raise InvalidInput(f"特别程序类型“{kind}”无效", fields={"kind": "choice"})
    reason = _require_text(reason, "reason", "特别程序事由")
    _, day = _moment(at)
    _not_before(day, case.accepted_on, "受理日期")
    suspension = Suspension.objects.create(case=case, kind=kind, reason=reason, started_on=day, started_by=by)
    changes = {"state": State.SUSPENDED, **_clock_columns(case, state=State.SUSPENDED, today=day)}
    _commit(case, action="suspend", by=by, changes=changes, reason=reason,
            audit_extra={"kind": kind, "started_on": day.isoformat()})
    _tell_applicant(case, "suspended", f"进入特别程序（{SuspensionKind(kind).label}）",
                    f"自 {day:%Y-%m-%d} 起{SuspensionKind(kind).label}所需时间不计入办理时限。事由：{reason}")
    return suspension


@transaction.atomic
def resume_case(case: Case, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None) -> Case:
    """End the special procedure (特别程序结束): the due dates move by the working days it lasted."""
    _check_actor(case, by, "resume")
    _check_version(case, expected_version)
    _, day = _moment(at)
    suspension = Suspension.objects.filter(case=case, ended_on__isnull=True).first()
    if suspension is None:
        raise Conflict("没有进行中的特别程序", code=ErrorCode.NO_OPEN_SUSPENSION)
    _not_before(day, suspension.started_on, "特别程序开始日期")
    suspension.ended_on = day
    suspension.ended_by = by
    suspension.working_days = clock.suspension_days(get_calendar(), suspension.started_on, day)
    suspension.save(update_fields=["ended_on", "ended_by", "working_days"])
    changes = _deadline_columns(case)
    changes["state"] = State.IN_REVIEW
    changes.update(_clock_columns(case, state=State.IN_REVIEW, today=day, due_on=changes["due_on"]))
    _commit(case, action="resume", by=by, changes=changes,
            audit_extra={"suspension": suspension.pk, "working_days": suspension.working_days})
    _tell_applicant(case, "resumed", "特别程序结束", f"恢复计时，承诺办结日调整为 {case.due_on:%Y-%m-%d}")
    return case


@transaction.atomic
def extend_case(
    case: Case, *, by: User, days: int, reason: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Extension:
    """Extend the limit once (延期), approved by the department leader, by at most the item's maximum."""
    _check_actor(case, by, "extend")
    _check_version(case, expected_version)
    reason = _require_text(reason, "reason", "延期理由")
    when, day = _moment(at)
    if Extension.objects.filter(case=case).exists():
        raise Conflict("本办件已延期一次，不能再次延期", code=ErrorCode.ALREADY_EXTENDED)
    maximum = case.item_version.max_extension_days
    if not isinstance(days, int) or days < 1 or days > maximum:
        raise InvalidInput(f"延期天数应为 1 至 {maximum} 个工作日", fields={"days": "range"})
    if case.due_on is not None and day > case.due_on:
        raise InvalidInput("延期须在承诺期限届满前决定", fields={"at": "overdue"})
    previous = case.due_on
    changes = _deadline_columns(case, extension_days=days)
    changes["extension_days"] = days
    if case.state != State.SUSPENDED:
        changes.update(_clock_columns(case, state=case.state, today=day, due_on=changes["due_on"]))
    extension = Extension.objects.create(case=case, days=days, reason=reason, approved_by=by, approved_at=when,
                                         previous_due_on=previous, new_due_on=changes["due_on"])
    _commit(case, action="extend", by=by, changes=changes, reason=reason, audit_extra={"days": days})
    _tell_applicant(case, "extended", "办理期限延长",
                    f"经部门负责人批准延长 {days} 个工作日，新的承诺办结日 {case.due_on:%Y-%m-%d}。理由：{reason}")
    return extension


# -- decision, result, delivery (决定、出证、送达) -----------------------------------------------------------
def _check_decider(case: Case, by: User) -> None:
    if by.role == Role.CLERK and not case.department.window_authorized:
        raise PermissionDenied("本部门未授权窗口现场决定，须由审核人员决定")
    if by.role == Role.REVIEWER and case.assigned_to_id not in (None, by.pk):
        raise PermissionDenied("本办件已分派给其他承办人")


def _decide(case: Case, *, by: User, action: str, state: str, reason: str, legal_basis: str,
            at: dt.datetime | None) -> Case:
    _check_decider(case, by)
    when, day = _moment(at)
    _not_before(day, case.accepted_on, "受理日期")
    changes = {
        "state": state, "decided_at": when, "decided_on": day, "decided_by": by,
        "timeliness": clock.timeliness(day, case.due_on), "decision_reason": reason,
        "legal_basis": legal_basis, **_clock_columns(case, state=state, today=day),
    }
    return _commit(case, action=action, by=by, changes=changes, reason=reason)


@transaction.atomic
def approve_case(
    case: Case, *, by: User, reason: str = "", legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Approve (准予许可); the clock stops and the case is bucketed early / on time / late."""
    _check_actor(case, by, "approve")
    _check_version(case, expected_version)
    _decide(case, by=by, action="approve", state=State.APPROVED, reason=(reason or "").strip(),
            legal_basis=(legal_basis or "").strip(), at=at)
    _tell_applicant(case, "approved", "准予许可", "您的申请已准予许可，结果文书制作后将按您选择的方式送达。")
    return case


@transaction.atomic
def deny_case(
    case: Case, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Deny (不予许可) with the reason and the legal basis."""
    _check_actor(case, by, "deny")
    _check_version(case, expected_version)
    reason = _require_text(reason, "reason", "不予许可理由")
    legal_basis = _require_text(legal_basis, "legal_basis", "法律依据")
    _decide(case, by=by, action="deny", state=State.DENIED, reason=reason, legal_basis=legal_basis, at=at)
    _tell_applicant(case, "denied", "不予许可", f"理由：{reason}（依据：{legal_basis}）")
    return case


@transaction.atomic
def issue_result(
    case: Case, *, by: User, licence_number: str = "", document: bytes | None = None, document_name: str = "",
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Issue the result (出证): licence / certificate number and the result document; a pick-up code if collected."""
    _check_actor(case, by, "issue_result")
    _check_version(case, expected_version)
    when, day = _moment(at)
    _not_before(day, case.decided_on, "决定日期")
    licence_number = (licence_number or "").strip()
    if case.state == State.APPROVED:
        licence_number = _require_text(licence_number, "licence_number", "证照编号")
        if case.tolerance_due_on and case.tolerance_resolved_on is None:
            raise InvalidInput("容缺材料尚未补齐，不能出证", code=ErrorCode.TOLERANCE_OPEN, fields={"tolerated": "open"})
    if len(licence_number) > 64:
        raise InvalidInput("证照编号不能超过64个字符", fields={"licence_number": "too_long"})
    changes: dict[str, Any] = {"state": State.RESULT_ISSUED, "licence_number": licence_number,
                               "result_issued_at": when}
    sha = ""
    if document is not None:
        if not document:
            raise InvalidInput("结果文书为空文件", fields={"document": "empty"})
        sha = hashlib.sha256(document).hexdigest()
        name = default_storage.save(f"cases/results/{case.number}-{sha[:12]}{_suffix(document_name, '.pdf')}",
                                    ContentFile(document))
        changes["result_document"] = name
    if case.delivery_method == DeliveryMethod.PICKUP:
        changes["pickup_code"] = f"{secrets.randbelow(1_000_000):06d}"
    _commit(case, action="issue_result", by=by, changes=changes,
            audit_extra={"document_sha256": sha} if sha else None)
    body = f"结果已出具（{licence_number or '不予许可决定书'}）。"
    if case.pickup_code:
        body += f"请凭取件码 {case.pickup_code} 到窗口领取。"
    _tell_applicant(case, "result_issued", "结果已出具", body)
    return case


def _suffix(name: str, default: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]{1,5}$", name or "")
    return match.group(0).lower() if match else default


@transaction.atomic
def deliver_case(
    case: Case, *, by: User, method: str | None = None, pickup_code: str = "", tracking_number: str = "",
    postal_address: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Deliver the result (送达) and close the case (办结): pick-up with the code, free post, or electronic."""
    _check_actor(case, by, "deliver")
    _check_version(case, expected_version)
    when, day = _moment(at)
    method = method or case.delivery_method
    if method not in DeliveryMethod.values:
        raise InvalidInput(f"送达方式“{method}”无效", fields={"method": "choice"})
    _check_delivery_offered(case.item_version, method)
    changes: dict[str, Any] = {"state": State.DELIVERED, "delivery_method": method, "delivered_at": when,
                               "delivered_on": day, "closed_at": when}
    if method == DeliveryMethod.PICKUP:
        if not case.pickup_code or not secrets.compare_digest(case.pickup_code, (pickup_code or "").strip()):
            raise InvalidInput("取件码不正确", code=ErrorCode.WRONG_PICKUP_CODE, fields={"pickup_code": "mismatch"})
    elif method == DeliveryMethod.POST:
        address = (postal_address or case.postal_address or "").strip()
        changes["postal_address"] = _require_text(address, "postal_address", "邮寄地址")
        changes["tracking_number"] = _require_text(tracking_number, "tracking_number", "快递单号")[:40]
    _commit(case, action="deliver", by=by, changes=changes)
    _tell_applicant(case, "delivered", "已办结", f"结果已送达（{DeliveryMethod(method).label}），感谢您的办理。")
    return case


# -- endings (撤回、终止) ------------------------------------------------------------------------------------
@transaction.atomic
def withdraw_case(
    case: Case, *, by: User, reason: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Case:
    """Withdraw the application (撤回申请) before a decision, by the applicant or the window for them."""
    _check_actor(case, by, "withdraw")
    _check_version(case, expected_version)
    when, day = _moment(at)
    reason = (reason or "").strip() or "申请人撤回"
    changes = {"state": State.WITHDRAWN, "closed_reason": reason, "closed_at": when,
               **_clock_columns(case, state=State.WITHDRAWN, today=day)}
    Suspension.objects.filter(case=case, ended_on__isnull=True).update(ended_on=day, ended_by=by)
    _commit(case, action="withdraw", by=by, changes=changes, reason=reason)
    return case


@transaction.atomic
def terminate_case(
    case: Case, *, by: User, reason: str, legal_basis: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Terminate (终止办理) with a legal reason, by the department leader."""
    _check_actor(case, by, "terminate")
    _check_version(case, expected_version)
    reason = _require_text(reason, "reason", "终止理由")
    legal_basis = _require_text(legal_basis, "legal_basis", "法律依据")
    when, day = _moment(at)
    changes = {"state": State.TERMINATED, "closed_reason": reason, "legal_basis": legal_basis, "closed_at": when,
               **_clock_columns(case, state=State.TERMINATED, today=day)}
    Suspension.objects.filter(case=case, ended_on__isnull=True).update(ended_on=day, ended_by=by)
    _commit(case, action="terminate", by=by, changes=changes, reason=reason)
    _tell_applicant(case, "terminated", "终止办理", f"理由：{reason}（依据：{legal_basis}）")
    return case


# -- materials (申请材料) ------------------------------------------------------------------------------------
def _check_material_actor(case: Case, by: User) -> None:
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionDenied("需要登录")
    if not is_visible_to(case, by):
        raise NotFound("办件不存在或无权查看", fields={"number": "not_found"})
    if case.state not in MATERIAL_STATES:
        raise Conflict(f"办件当前状态为“{case.state_label}”，不能再提交材料", code=ErrorCode.ILLEGAL_TRANSITION)
    _check_department(case, by, "add_material")


def _catalog_material(case: Case, material_id: int | None) -> Material | None:
    if material_id is None:
        return None
    material = Material.objects.filter(pk=material_id, version_id=case.item_version_id).first()
    if material is None:
        raise InvalidInput("该材料不属于本办件的事项版本", fields={"material_id": "invalid"})
    return material


def _after_material(case: Case, material: Material | None, day: dt.date) -> None:
    """A tolerated material that arrives may complete the 容缺 promise."""
    if material is None or not case.tolerated_materials or case.tolerance_resolved_on is not None:
        return
    wanted = {entry["id"] for entry in case.tolerated_materials}
    provided = set(case.materials.filter(material_id__in=wanted).values_list("material_id", flat=True))
    if wanted <= provided:
        Case.objects.filter(pk=case.pk).update(tolerance_resolved_on=day)
        case.tolerance_resolved_on = day


@transaction.atomic
def add_material(
    case: Case, *, by: User, content: bytes, filename: str, material_id: int | None = None, name: str = "",
    at: dt.datetime | None = None,
) -> CaseMaterial:
    """Upload one material: PDF / JPEG / PNG / OFD by content, within MAX_UPLOAD_BYTES; sha256 kept."""
    _check_material_actor(case, by)
    material = _catalog_material(case, material_id)
    label = material.name if material else _require_text(name, "name", "材料名称")
    checked = check_upload(content, filename)
    when, day = _moment(at)
    stored = default_storage.save(f"cases/materials/{case.number}/{checked.sha256[:16]}{checked.extension}",
                                  ContentFile(checked.content))
    try:
        row = CaseMaterial.objects.create(
            case=case, material=material, name=label[:200], provision=CaseMaterial.Provision.UPLOADED, file=stored,
            original_name=(filename or "")[:200], content_type=checked.content_type, size=checked.size,
            sha256=checked.sha256, added_at=when, added_by=by,
        )
        _after_material(case, material, day)
        audit.record("case.add_material", obj=case, by=by,
                     after={"material": row.pk, "name": row.name, "sha256": row.sha256, "size": row.size,
                            "content_type": row.content_type})
    except Exception:
        default_storage.delete(stored)
        raise
    return row


@transaction.atomic
def fetch_shared_material(
    case: Case, *, by: User, material_id: int, at: dt.datetime | None = None
) -> CaseMaterial:
    """Mark a government-issued material as fetched by data sharing (数据共享获取) instead of uploaded."""
    _check_material_actor(case, by)
    material = _catalog_material(case, material_id)
    if material.source != Material.Source.GOVERNMENT:
        raise InvalidInput(f"“{material.name}”不是政府部门核发的材料，不能通过数据共享获取",
                           fields={"material_id": "not_shared"})
    when, day = _moment(at)
    row = CaseMaterial.objects.create(case=case, material=material, name=material.name,
                                      provision=CaseMaterial.Provision.SHARED, verified=True, added_at=when,
                                      added_by=by)
    _after_material(case, material, day)
    audit.record("case.fetch_shared_material", obj=case, by=by,
                 after={"material": row.pk, "name": row.name, "issuer": material.issuer})
    return row


@transaction.atomic
def reuse_material(
    case: Case, *, by: User, source_id: int, material_id: int | None = None, at: dt.datetime | None = None
) -> CaseMaterial:
    """Reuse a verified material from the same applicant's earlier case (材料复用), instead of uploading again."""
    _check_material_actor(case, by)
    source = CaseMaterial.objects.select_related("case").filter(pk=source_id).first()
    if (
        source is None
        or not source.verified
        or source.provision != CaseMaterial.Provision.UPLOADED
        or source.case.applicant_id_number != case.applicant_id_number
        or source.case_id == case.pk
    ):
        raise InvalidInput("只能复用同一申请人以前办件中已核验的材料", fields={"source_id": "invalid"})
    material = _catalog_material(case, material_id if material_id is not None else None)
    if material is None and source.material_id is not None:
        # The same catalog material under this case's version, matched by name (versions differ in ids).
        material = Material.objects.filter(version_id=case.item_version_id, name=source.name).first()
    when, day = _moment(at)
    row = CaseMaterial.objects.create(
        case=case, material=material, name=material.name if material else source.name,
        provision=CaseMaterial.Provision.REUSED, file=source.file.name, original_name=source.original_name,
        content_type=source.content_type, size=source.size, sha256=source.sha256, reused_from=source,
        verified=True, added_at=when, added_by=by,
    )
    _after_material(case, material, day)
    audit.record("case.reuse_material", obj=case, by=by,
                 after={"material": row.pk, "name": row.name, "reused_from": source.pk, "sha256": row.sha256})
    return row


# -- documents and notices --------------------------------------------------------------------------------
@transaction.atomic
def record_document_issued(
    case: Case, *, by: User | None, kind: str, sha256: str = "", filename: str = ""
) -> None:
    """Append 'document issued' to the audit chain (受理通知书、补正告知书、决定书…), for the documents module."""
    kind = _require_text(kind, "kind", "文书类型")
    audit.record("case.document_issued", obj=case, by=by,
                 after={"kind": kind[:64], "sha256": sha256, "filename": filename[:200]})


def mark_notice_read(notice: Notice, *, by: User) -> Notice:
    """Mark an inbox message read; only its recipient may."""
    if notice.recipient_id != by.pk:
        raise NotFound("消息不存在")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk).update(read_at=notice.read_at)
    return notice
