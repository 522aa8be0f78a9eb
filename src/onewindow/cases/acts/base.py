"""What every act of the case engine shares: the inputs, who may act on a case, the stored clock columns, the
versioned commit that sends the declared event, notices to the applicant, case numbers, applicant checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from onewindow.cases import clock, events, lifecycle, limits
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    ApplicantKind,
    Case,
    Channel,
    DeliveryMethod,
    Extension,
    Hearing,
    HearingState,
    Suspension,
    SuspensionKind,
)
from onewindow.cases.notifications import notify_on_commit
from onewindow.cases.selectors import is_known, is_visible_to, missing_materials, yellow_settings
from onewindow.catalog.models import Material
from onewindow.catalog.selectors import department_id_of
from onewindow.core import kit
from onewindow.core.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    IllegalTransition,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from onewindow.core.identity import (
    canonical_number,
    clean_text,
    is_mobile,
    normalize_credit_code,
    normalize_identity_number,
)
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
# Acts a comprehensive window (一窗受理, clerk without a department) may do for a centrally accepted item.
WINDOW_ACTIONS = frozenset({"create", "submit", "accept", "request_correction", "refuse", "issue_result", "deliver",
                            "withdraw", "add_material"})
CITIZEN_CHANNELS = frozenset({Channel.ONLINE, Channel.MOBILE, Channel.KIOSK})
CLERK_CHANNELS = frozenset({Channel.WINDOW, Channel.MAIL})
MATERIAL_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED, State.ACCEPTED,
                             State.IN_REVIEW, State.SUSPENDED})
# After an approval a tolerated (容缺) material still owed may be brought until the result is issued.
TOLERANCE_STATES = frozenset({State.APPROVED})
# States whose clock is the delivery of the decision (行政许可法 第四十四条: 10 working days from the decision).
DELIVERY_CLOCK_STATES = frozenset({State.APPROVED, State.DENIED, State.RESULT_ISSUED})


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
    """One line of a 补正告知: a catalog material (or a free-text name), or a field of the application form, and
    what is wrong with it ("营业面积 与房产证不符")."""

    problem: str
    material_id: int | None = None
    name: str = ""
    field: str = ""  # a field of the application form (申请表字段, its key) instead of a material


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a use-case's input, found while checking all of it at once: the field it concerns
    (`materials.12.file`, `decision`), a code for API clients, and the message — a Chinese text marked for
    translation, with the values it names — so a page can show each on its field, in the reader's language."""

    field: str
    code: str
    text: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    error: ErrorCode = ErrorCode.INVALID

    @property
    def message(self) -> str:
        return self.text % self.values if self.values else self.text


@contextmanager
def fields_renamed(names: Mapping[str, str]) -> Iterator[None]:
    """Errors raised inside name their fields as the caller's request does: `names` maps a field of the act called
    inside (`reason`) to the caller's (`decision.reason`), so every error names the input that was wrong."""
    try:
        yield
    except DomainError as error:
        error.fields = {names.get(key, key): value for key, value in error.fields.items()}
        raise


def optional_text(value: str | None, field: str, label: str, max_length: int) -> str:
    """An optional free text stripped of spaces and invisible characters at its ends (may be empty); InvalidInput
    (422, `fields[field]` = too_long) when too long."""
    text = clean_text(value or "")
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符", fields={field: "too_long"})
    return text


def raise_problems(problems: list[Problem]) -> None:
    """InvalidInput (422) naming every problem at once — the messages joined, each field with its code — unless
    there are none. The error code is the first specific one (e.g. `materials_missing`), else `invalid`."""
    if problems:
        code = next((p.error for p in problems if p.error != ErrorCode.INVALID), ErrorCode.INVALID)
        raise InvalidInput("；".join(p.message for p in problems), code=code,
                           fields={p.field: p.code for p in problems})


# -- who may act ------------------------------------------------------------------------------------------
Rule = Callable[[Case, User, dt.date], DomainError | None]


def refusal(case: Case, by: User | None, action: str, *, at: dt.datetime | None = None) -> DomainError | None:
    """Why `by` may not take `action` on `case` now, whatever they would fill in — or None. Never raises.

    In order: signed in, the case in scope (else 404), the lifecycle table (state, then role), the department
    (or a comprehensive window for a centrally accepted item), then the action's own rule (`RULES`). `add_material`
    is not a transition: it is allowed while the case still takes materials (`MATERIAL_STATES`).
    """
    if by is None or not kit.is_signed_in(by):
        return NotAuthenticated("需要登录")
    if not is_visible_to(case, by):
        return NotFound("办件不存在或无权查看", fields={"number": "not_found"})
    if action == "add_material":
        if case.state not in MATERIAL_STATES and not (case.state in TOLERANCE_STATES and tolerance_open(case)):
            return IllegalTransition(f"办件当前状态为“{case.state_label}”，不能再提交材料",
                                     fields={"state": case.state, "action": action})
    else:
        error = lifecycle.transition_refusal(action, case.state, by.role)
        if error is not None:
            return error
    error = department_refusal(case, by, action)
    if error is not None:
        return error
    rule = RULES.get(action)
    return rule(case, by, kit.moment(at)[1]) if rule else None


def check_actor(case: Case, by: User, action: str, *, at: dt.datetime | None = None) -> None:
    """Raise the refusal of `action` (see `refusal`); every act starts with it."""
    error = refusal(case, by, action, at=at)
    if error is not None:
        raise error


def department_refusal(case: Case, by: User, action: str) -> PermissionDenied | None:
    """Citizens act on their own cases; desk staff on their department's, or, at a comprehensive window (no
    department), on the window's acts for an item accepted centrally (一窗受理)."""
    if by.role == Role.CITIZEN:
        return None if case.applicant_user_id == by.pk else PermissionDenied("只能办理本人的办件")
    if by.role not in (Role.CLERK, Role.REVIEWER, Role.LEADER):
        return PermissionDenied("当前角色不能办理办件")
    department = department_id_of(by)
    if department == case.department_id:
        return None
    if department is None and by.role == Role.CLERK and action in WINDOW_ACTIONS \
            and case.item_version.central_acceptance:
        return None
    return PermissionDenied("只能办理本部门的办件", fields={"department": "scope"})


def _submit_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if case.state == State.DRAFT and case.item.published_version_id is None:
        return InvalidInput("该事项已停止发布，不能提交", fields={"item": "unpublished"})
    return None


def acceptance_lapsed(case: Case, day: dt.date) -> bool:
    """True once the 5-working-day acceptance limit has passed on a received, unanswered application: from the
    day after `acceptance_due_on` the application counts as accepted from the day of receipt (行政许可法第三十二条
    第一款第四项). Pure: the stored flag `deemed_accepted` is written by `acceptance.deem_accepted`."""
    return case.state == State.SUBMITTED and (
        case.deemed_accepted or (case.acceptance_due_on is not None and day > case.acceptance_due_on))


def lapse_refusal(case: Case, day: dt.date, what: str) -> DomainError | None:
    """The refusal of a correction notice or a non-acceptance once the acceptance limit lapsed (art. 32)."""
    if not acceptance_lapsed(case, day):
        return None
    return Conflict(
        f"收到申请已超过{clock.ACCEPTANCE_DAYS}个工作日（受理期限 {case.acceptance_due_on:%Y-%m-%d}）未受理、未告知补正，"
        f"依法自收到申请之日 {case.submitted_on:%Y-%m-%d} 起视为受理（行政许可法第三十二条），不能再{what}；"
        f"请登记受理后审查决定",
        code=ErrorCode.ACCEPTANCE_LAPSED, fields={"acceptance_due_on": "passed"})


def _correction_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    return lapse_refusal(case, day, "告知补正")


def _refuse_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    return lapse_refusal(case, day, "不予受理")


def _accept_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if acceptance_lapsed(case, day):
        return None  # accepted by law already: the department records it and decides on what it has
    key_missing = [m.name for m in missing_materials(case) if m.requirement == Material.Requirement.REQUIRED]
    if key_missing:
        names = "、".join(key_missing)
        return InvalidInput(f"必要材料缺失，不能受理：{names}。请一次性告知补正", code=ErrorCode.MATERIALS_MISSING,
                            fields={"materials": names})
    return None


def _reviewer_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    """A reviewer works on a case nobody has taken yet or on their own; reassigning is the leader's."""
    if by.role == Role.REVIEWER and case.assigned_to_id not in (None, by.pk):
        return PermissionDenied("本办件已分派给其他承办人")
    return None


def _decider_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    """Reviewers and leaders decide; a clerk only where the department authorized its window (窗口授权到位) and only
    on the spot (现场决定): an accepted case nobody has taken for review. Once a reviewer has it, it is theirs."""
    if by.role == Role.CLERK and not case.department.window_authorized:
        return PermissionDenied("本部门未授权窗口现场决定，须由审核人员决定")
    if by.role == Role.CLERK and (case.state != State.ACCEPTED or case.assigned_to_id is not None):
        return PermissionDenied("办件已分派审查，由承办人决定", fields={"assigned_to": "taken"})
    return _reviewer_rule(case, by, day)


def _extend_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if Extension.objects.filter(case=case).exists():
        return Conflict("本办件已延期一次，不能再次延期", code=ErrorCode.ALREADY_EXTENDED)
    counted_to = day
    if case.state == State.SUSPENDED:
        # The limit stands still during a special procedure (art. 45): it ran only up to the procedure's start.
        open_suspension = Suspension.objects.filter(case=case, ended_on__isnull=True).first()
        if open_suspension is not None:
            counted_to = open_suspension.started_on
    if case.legal_due_on is not None and counted_to > case.legal_due_on:
        return Conflict(f"法定办理期限已于 {case.legal_due_on:%Y-%m-%d} 届满，不能再延期（行政许可法第四十二条）",
                        code=ErrorCode.STATUTORY_LIMIT_PASSED, fields={"legal_due_on": "passed"})
    return None


def tolerance_open(case: Case) -> bool:
    """A tolerated (容缺) material is still owed."""
    return bool(case.tolerated_materials) and case.tolerance_resolved_on is None


def open_hearing(case: Case) -> Hearing | None:
    """The hearing whose procedure runs now (告知 → 申请 → 通知 → 举行), if any."""
    return Hearing.objects.filter(case=case, state__in=[HearingState.NOTIFIED, HearingState.REQUESTED,
                                                        HearingState.SCHEDULED]).first()


def _hearing_in(case: Case, states: set[str], label: str) -> DomainError | None:
    hearing = open_hearing(case)
    if hearing is None or hearing.state not in states:
        now = HearingState(hearing.state).label if hearing else "没有进行中的听证"
        return Conflict(f"听证程序当前为“{now}”，不能{label}", code=ErrorCode.NO_OPEN_HEARING,
                        fields={"hearing": hearing.state if hearing else "none"})
    return None


def _resume_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if Suspension.objects.filter(case=case, ended_on__isnull=True, kind=SuspensionKind.HEARING).exists():
        return Conflict("听证程序以听证笔录、放弃听证或逾期未申请结束，不能直接恢复计时", code=ErrorCode.HEARING_IN_PROGRESS)
    return _reviewer_rule(case, by, day)


def _request_hearing_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    error = _hearing_in(case, {HearingState.NOTIFIED}, "申请听证")
    if error is not None:
        return error
    hearing = open_hearing(case)
    if hearing is not None and day > hearing.request_due_on:
        return Conflict(f"申请听证的期限已于 {hearing.request_due_on:%Y-%m-%d} 届满（告知之日起5日）",
                        code=ErrorCode.HEARING_WINDOW_CLOSED, fields={"request_due_on": "passed"})
    return None


def _schedule_hearing_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    return _hearing_in(case, {HearingState.REQUESTED}, "通知听证时间地点") or _reviewer_rule(case, by, day)


def _record_hearing_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    error = _hearing_in(case, {HearingState.SCHEDULED}, "记录听证") or _reviewer_rule(case, by, day)
    if error is not None:
        return error
    hearing = open_hearing(case)
    if hearing is not None and hearing.hearing_on and day < hearing.hearing_on:
        return Conflict(f"听证定于 {hearing.hearing_on:%Y-%m-%d} 举行，尚未举行", code=ErrorCode.HEARING_NOT_YET_HELD)
    return None


def _waive_hearing_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    return _hearing_in(case, {HearingState.NOTIFIED, HearingState.REQUESTED, HearingState.SCHEDULED}, "放弃听证")


def _lapse_hearing_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    error = _hearing_in(case, {HearingState.NOTIFIED}, "记录逾期未申请") or _reviewer_rule(case, by, day)
    if error is not None:
        return error
    hearing = open_hearing(case)
    if hearing is not None and day <= hearing.request_due_on:
        return Conflict(f"申请听证的期限至 {hearing.request_due_on:%Y-%m-%d} 届满，届满后方可记录逾期未申请",
                        code=ErrorCode.HEARING_WINDOW_OPEN, fields={"request_due_on": "running"})
    return None


def _revoke_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if not tolerance_open(case) or case.tolerance_due_on is None or day <= case.tolerance_due_on:
        return Conflict("只有容缺材料逾期未补齐时才能撤销准予许可决定", code=ErrorCode.TOLERANCE_NOT_OVERDUE,
                        fields={"tolerance_due_on": "not_overdue"})
    return None


def _issue_rule(case: Case, by: User, day: dt.date) -> DomainError | None:
    if case.state == State.APPROVED and case.tolerance_due_on and case.tolerance_resolved_on is None:
        return InvalidInput("容缺材料尚未补齐，不能出证", code=ErrorCode.TOLERANCE_OPEN, fields={"tolerated": "open"})
    return None


# What an action asks beyond the lifecycle table and the department, whatever is filled in: the one list of
# these rules, read by the acts (which raise) and by the action registry (which only asks).
RULES: dict[str, Rule] = {
    "submit": _submit_rule,
    "accept": _accept_rule,
    "request_correction": _correction_rule,
    "refuse": _refuse_rule,
    "assign": _reviewer_rule,
    "suspend": _reviewer_rule,
    "resume": _resume_rule,
    "notify_hearing_right": _reviewer_rule,
    "request_hearing": _request_hearing_rule,
    "schedule_hearing": _schedule_hearing_rule,
    "record_hearing": _record_hearing_rule,
    "waive_hearing": _waive_hearing_rule,
    "lapse_hearing": _lapse_hearing_rule,
    "revoke_approval": _revoke_rule,
    "extend": _extend_rule,
    "approve": _decider_rule,
    "deny": _decider_rule,
    "issue_result": _issue_rule,
}


def commit(
    case: Case, *, action: str, by: User | None, changes: dict[str, Any], at: dt.datetime, reason: str = "",
    audit_extra: dict[str, Any] | None = None, **event_fields: Any,
) -> Case:
    """Write `changes` if nobody changed the case since it was read (else VersionConflict, 409), append the
    audit event `case.<action>`, then send the action's declared event (`cases.events.BY_ACTION`) with
    `event_fields` added to its payload."""
    previous_state = case.state
    kit.versioned_update(case, action=action, by=by, changes=changes, reason=reason, extra=audit_extra)
    announce(case, action=action, previous_state=previous_state, by=by, at=at, **event_fields)
    return case


def announce(case: Case, *, action: str, previous_state: str, by: User | None, at: dt.datetime,
             **event_fields: Any) -> None:
    """Send the declared event of `action` (`cases.events.BY_ACTION`) for `case` as the act left it."""
    event = events.BY_ACTION[action]
    event.send(event.payload(case=case, action=action, previous_state=previous_state, by=by, at=at,
                             **event_fields))


# -- the clock's stored columns ------------------------------------------------------------------------
def clock_columns(case: Case, *, state: str, today: dt.date, due_on: dt.date | None = None,
                   acceptance_due_on: dt.date | None = None, delivery_due_on: dt.date | None = None,
                   deemed: bool | None = None) -> dict[str, Any]:
    """The stored columns the board and the alerts read: current deadline, yellow-from day, paused light.

    A submitted case deemed accepted (art. 32) runs on its promised due date, like an accepted one; decided cases
    run on the delivery clock (`delivery_due_on`, 第四十四条) until they are delivered."""
    calendar = get_calendar()
    min_days, ratio = yellow_settings()
    deemed = case.deemed_accepted if deemed is None else deemed
    if state == State.SUBMITTED and not deemed:
        deadline = acceptance_due_on or case.acceptance_due_on
        threshold = clock.yellow_threshold(clock.ACCEPTANCE_DAYS, min_days=min_days, ratio=ratio)
    elif state in (State.ACCEPTED, State.IN_REVIEW, State.SUBMITTED):
        deadline = due_on or case.due_on
        threshold = clock.yellow_threshold(case.promised_days, min_days=min_days, ratio=ratio)
    elif state in DELIVERY_CLOCK_STATES:
        deadline = delivery_due_on or case.delivery_due_on
        threshold = clock.yellow_threshold(clock.DELIVERY_DAYS, min_days=min_days, ratio=ratio)
    elif state == State.SUSPENDED:
        # The clock stands still: the case keeps the light it had when the special procedure began.
        paused = (clock.light(today, case.clock_due_on, case.clock_warn_on)
                  if case.clock_due_on and case.clock_warn_on else "")
        return {"clock_due_on": None, "clock_warn_on": None, "paused_light": paused}
    else:
        deadline = None
    if deadline is None:
        return {"clock_due_on": None, "clock_warn_on": None, "paused_light": ""}
    return {
        "clock_due_on": deadline,
        "clock_warn_on": clock.warn_on(calendar, deadline, threshold),
        "paused_light": "",
    }


def deadline_columns(case: Case, *, accepted_on: dt.date | None = None,
                      extension_days: int | None = None, moves_promise: bool = True) -> dict[str, Any]:
    """Due and legal dates from acceptance, the extension and every finished special procedure. An extension
    granted after the promise lapsed (`Extension.moves_promise` False, or `moves_promise` for one being granted)
    moves only the statutory date."""
    ended = [s for s in case.suspensions.all() if s.ended_on is not None] if is_known(case, "suspensions") \
        else Suspension.objects.filter(case=case, ended_on__isnull=False)
    suspensions = [(s.started_on, s.ended_on) for s in ended if s.ended_on is not None]
    start = accepted_on or case.accepted_on
    if start is None:
        raise RuntimeError(f"{case.number}: deadlines are counted from acceptance, and it has not been accepted")
    if case._state.fields_cache.get("extension", False) is None:
        extension = None  # known to have none (`selectors.know_rows`)
    else:
        extension = Extension.objects.filter(case=case).first()
    result = clock.deadlines(
        get_calendar(),
        accepted_on=start,
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days if extension_days is None else extension_days,
        suspensions=suspensions,
        extension_moves_promise=extension.moves_promise if extension is not None else moves_promise,
    )
    return {"due_on": result.due_on, "legal_due_on": result.legal_due_on, "paused_days": result.paused_days}


def due_on_of(case: Case) -> dt.date:
    """The promised due date (承诺办结日) of an accepted case; asking it of a case not accepted is a program error."""
    if case.due_on is None:
        raise RuntimeError(f"{case.number} has no due date: it has not been accepted")
    return case.due_on


# -- small shared checks and effects ---------------------------------------------------------------------
def not_before(day: dt.date, earlier: dt.date | None, what: str) -> None:
    if earlier is not None and day < earlier:
        raise InvalidInput(f"日期 {day} 早于{what} {earlier}", fields={"at": "before_previous_step"})


def applicant_ids(case: Case) -> list[int]:
    return [case.applicant_user_id] if case.applicant_user_id else []


def tell_applicant(case: Case, kind: str, title: str, body: str) -> None:
    notify_on_commit(applicant_ids(case), case_id=case.pk, kind=kind, title=f"{case.number} {title}", body=body)


def next_number(department, day: dt.date) -> str:
    """`{department code}{YYYYMMDD}{6-digit daily sequence}`: the department's sequence of the day (每日流水号)."""
    value = kit.next_in_sequence(f"cases.department.{department.pk}", day)
    return f"{department.code}{day:%Y%m%d}{value:06d}"


def _identity(normalize: Callable[[str], str], value: str, field: str) -> str:
    """An identity number or credit code checked by `normalize`; its error names `field` (whose number it is)."""
    try:
        return normalize(value)
    except InvalidInput as error:
        raise type(error)(error.message, fields={field: next(iter(error.fields.values()), "invalid")}) from None


def validated_applicant(applicant: Applicant) -> dict[str, Any]:
    """The applicant's columns, checked; errors name the request's fields (`applicant.id_number`…)."""
    name = kit.require_text(applicant.name, "applicant.name", "申请人名称", max_length=limits.APPLICANT_NAME)
    mobile = canonical_number(applicant.mobile or "")
    if applicant.kind == ApplicantKind.PERSON:
        number = _identity(normalize_identity_number, applicant.id_number, "applicant.id_number")
        if not is_mobile(mobile):
            raise InvalidInput("请填写11位手机号码", fields={"applicant.mobile": "format"})
        representative = ""
    elif applicant.kind == ApplicantKind.ORGANIZATION:
        number = _identity(normalize_credit_code, applicant.id_number, "applicant.id_number")
        representative = kit.require_text(applicant.legal_representative, "applicant.legal_representative", "法定代表人",
                                          max_length=limits.LEGAL_REPRESENTATIVE)
        if mobile and not is_mobile(mobile):
            raise InvalidInput("联系电话应为11位手机号码", fields={"applicant.mobile": "format"})
    else:
        raise InvalidInput("申请人类型应为 person（自然人）或 organization（法人）", fields={"applicant.kind": "choice"})
    return {
        "applicant_kind": applicant.kind, "applicant_name": name, "applicant_id_number": number,
        "applicant_mobile": mobile, "legal_representative": representative,
    }


def validated_agent(agent: Agent | None) -> dict[str, Any]:
    if agent is None:
        return {}
    mobile = canonical_number(agent.mobile or "")
    if mobile and not is_mobile(mobile):
        raise InvalidInput("代办人手机号码应为11位", fields={"agent.mobile": "format"})
    return {
        "agent_name": kit.require_text(agent.name, "agent.name", "代办人姓名", max_length=limits.AGENT_NAME),
        "agent_id_number": _identity(normalize_identity_number, agent.id_number, "agent.id_number"),
        "agent_mobile": mobile,
        "agent_is_center": bool(agent.center),
    }


def check_delivery_offered(version, method: str, field: str = "delivery_method") -> None:
    """InvalidInput naming `field` unless the item version offers the delivery `method` (送达方式)."""
    offered: dict[str, bool] = {DeliveryMethod.PICKUP: version.delivery_pickup, DeliveryMethod.POST: version.delivery_post,
                                DeliveryMethod.ELECTRONIC: version.delivery_electronic}
    if not offered.get(method, False):
        raise InvalidInput(f"该事项不提供“{DeliveryMethod(method).label}”", fields={field: "not_offered"})
