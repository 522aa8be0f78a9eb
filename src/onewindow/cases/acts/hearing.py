"""Hearings (听证, 行政许可法 第四十七、四十八条) as acts of their own.

告知听证权利 → (申请听证 within 5 days | 放弃听证 | 逾期未申请) → 通知听证时间地点 (at least 7 working days ahead,
the hearing within 20 working days of the request) → 听证笔录. The case's clock stands still from the notice of the
right to the end of the procedure (第四十五条): the hearing runs inside one special procedure of kind hearing, whose
expected end follows the hearing's next limit. Each limit is a clock with a light (`cases.selectors.hearing_clock`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.cases import clock, limits
from onewindow.cases.acts.base import check_actor, commit, open_hearing, optional_text, tell_applicant
from onewindow.cases.acts.review import end_suspension, start_suspension
from onewindow.cases.models import Case, Hearing, HearingState, SuspensionKind
from onewindow.cases.selectors import reviewers_for
from onewindow.core import kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import composable
from onewindow.core.language import in_chinese
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar


def _hearing(case: Case) -> Hearing:
    hearing = open_hearing(case)
    if hearing is None:  # the act's rule refused already; a program error otherwise
        raise Conflict("没有进行中的听证", code=ErrorCode.NO_OPEN_HEARING)
    return hearing


def _save(hearing: Hearing, **fields) -> None:
    for name, value in fields.items():
        setattr(hearing, name, value)
    hearing.save(update_fields=list(fields))


def _move_expected_end(hearing: Hearing, day: dt.date) -> None:
    """The special procedure's expected end follows the hearing's next limit."""
    suspension = hearing.suspension
    suspension.expected_end_on = day
    suspension.save(update_fields=["expected_end_on"])


@composable
def notify_hearing_right(
    case: Case, *, by: User, matter: str, interested_parties: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Hearing:
    """Tell the applicant and the interested parties of their right to ask for a hearing (告知听证权利, 第四十七条):
    the case is suspended (第四十五条) and the parties have 5 calendar days (`hearing.request_due_on`) to ask.
    `interested_parties`: one name per line; they are told by the 听证告知书 PDF."""
    check_actor(case, by, "notify_hearing_right", at=at)
    kit.check_version(case, expected_version)
    matter = kit.require_text(matter, "matter", "涉及的重大利益", max_length=limits.HEARING_MATTER)
    parties = optional_text(interested_parties, "interested_parties", "利害关系人", limits.HEARING_PARTIES)
    when, day = kit.moment(at)
    request_due_on = clock.hearing_request_due(get_calendar(), day)
    suspension, changes = start_suspension(case, by=by, kind=SuspensionKind.HEARING, reason=matter, day=day,
                                           expected_end_on=request_due_on)
    hearing = Hearing.objects.create(case=case, suspension=suspension, matter=matter, interested_parties=parties,
                                     notified_on=day, request_due_on=request_due_on)
    commit(case, action="notify_hearing_right", by=by, changes=changes, at=when, reason=matter, hearing=hearing,
           audit_extra={"hearing": hearing.pk, "request_due_on": request_due_on.isoformat()})
    tell_applicant(case, "hearing_right", "听证权利告知",
                   f"本申请涉及：{matter}。您可以在 {request_due_on:%Y-%m-%d} 前申请听证；听证期间不计入办理时限。")
    return hearing


@composable
def request_hearing(
    case: Case, *, by: User, party: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Hearing:
    """A party asks for a hearing (申请听证) within the 5 days: the applicant online, or the desk records the written
    request of the applicant or an interested party (`party`, required for staff). The hearing must then be held
    within 20 working days (`hearing.hold_by_on`); its time and place told by `hearing.notice_due_on`."""
    check_actor(case, by, "request_hearing", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    if by.role == Role.CITIZEN:
        party = case.applicant_name
    else:
        party = kit.require_text(party, "party", "听证申请人", max_length=limits.HEARING_PARTY)
    hearing = _hearing(case)
    calendar = get_calendar()
    hold_by_on = clock.hearing_hold_by(calendar, day)
    _save(hearing, state=HearingState.REQUESTED, requested_on=day, requested_by_name=party, hold_by_on=hold_by_on,
          notice_due_on=clock.hearing_notice_due(calendar, hold_by_on))
    _move_expected_end(hearing, hold_by_on)
    commit(case, action="request_hearing", by=by, changes={}, at=when, hearing=hearing,
           audit_extra={"hearing": hearing.pk, "party": party, "hold_by_on": hold_by_on.isoformat()})
    tell_applicant(case, "hearing_requested", "已收到听证申请",
                   f"{party}申请听证。本机关将于 {hold_by_on:%Y-%m-%d} 前组织听证，并于举行七日前通知时间、地点。")
    return hearing


@composable
def schedule_hearing(
    case: Case, *, by: User, hearing_at: dt.datetime, place: str, presiding_officer: User,
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> Hearing:
    """Tell the parties the time and place (通知听证时间地点, 第四十八条): at least 7 working days ahead; within the 20
    working days of the request whenever a lawful day within them is left; presided over by someone other than the
    reviewer of the application. A hearing set after the 20 days (the notice went out too late) stays red."""
    check_actor(case, by, "schedule_hearing", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    place = kit.require_text(place, "place", "听证地点", max_length=limits.HEARING_PLACE)
    if timezone.is_naive(hearing_at):
        raise InvalidInput("听证时间须带时区（北京时间）", fields={"hearing_at": "naive"})
    hearing_on = timezone.localdate(hearing_at)
    hearing = _hearing(case)
    calendar = get_calendar()
    earliest = clock.earliest_hearing(calendar, day)
    if hearing_on < earliest:
        raise InvalidInput(f"听证时间地点须于举行七个工作日前通知：今日通知，最早 {earliest:%Y-%m-%d} 举行",
                           code=ErrorCode.HEARING_NOTICE_TOO_SHORT, fields={"hearing_at": "too_soon"})
    if hearing.hold_by_on and hearing_on > hearing.hold_by_on and earliest <= hearing.hold_by_on:
        raise InvalidInput(f"听证须在收到申请之日起二十个工作日内（{hearing.hold_by_on:%Y-%m-%d} 前）举行",
                           code=ErrorCode.HEARING_BEYOND_LIMIT, fields={"hearing_at": "beyond_limit"})
    if not calendar.is_working_day(hearing_on):
        raise InvalidInput(f"{hearing_on:%Y-%m-%d} 不是工作日", fields={"hearing_at": "not_working_day"})
    if presiding_officer.pk == case.assigned_to_id:
        raise InvalidInput("听证主持人应为审查该申请的工作人员以外的人员", code=ErrorCode.PRESIDING_IS_REVIEWER,
                           fields={"presiding_officer_id": "reviewer"})
    if not reviewers_for(case).filter(pk=presiding_officer.pk).exists():
        raise InvalidInput("听证主持人应为本部门的审核人员或负责人", fields={"presiding_officer_id": "scope"})
    _save(hearing, state=HearingState.SCHEDULED, hearing_at=hearing_at, hearing_on=hearing_on, place=place,
          presiding_officer=presiding_officer, place_notified_on=day)
    _move_expected_end(hearing, hearing_on)
    commit(case, action="schedule_hearing", by=by, changes={}, at=when, hearing=hearing,
           audit_extra={"hearing": hearing.pk, "hearing_on": hearing_on.isoformat(), "place": place,
                        "presiding_officer": str(presiding_officer)})
    local = timezone.localtime(hearing_at)
    tell_applicant(case, "hearing_scheduled", "听证通知",
                   f"听证定于 {local:%Y-%m-%d %H:%M} 在{place}公开举行，主持人：{presiding_officer}。")
    return hearing


@composable
def record_hearing(
    case: Case, *, by: User, record: str, signed_by: str, at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Hearing:
    """The hearing was held: its record (听证笔录), signed by the participants (第四十八条); the procedure ends, the
    clock runs again with the due dates moved by the working days it lasted, and the decision follows the record."""
    check_actor(case, by, "record_hearing", at=at)
    kit.check_version(case, expected_version)
    record = kit.require_text(record, "record", "听证笔录", max_length=limits.HEARING_RECORD)
    signed_by = kit.require_text(signed_by, "signed_by", "笔录签字人", max_length=limits.HEARING_SIGNED_BY)
    when, day = kit.moment(at)
    hearing = _hearing(case)
    suspension, changes = end_suspension(case, by=by, day=day)
    held_on = hearing.hearing_on or day
    _save(hearing, state=HearingState.HELD, held_on=held_on, record=record, record_signed_by=signed_by, closed_on=day)
    commit(case, action="record_hearing", by=by, changes=changes, at=when, hearing=hearing,
           audit_extra={"hearing": hearing.pk, "held_on": held_on.isoformat(),
                        "working_days": suspension.working_days})
    tell_applicant(case, "hearing_held", "听证结束",
                   f"听证已举行，本机关将根据听证笔录作出决定。承诺办结日调整为 {case.due_on:%Y-%m-%d}。")
    return hearing


def _close(case: Case, *, by: User, action: str, state: str, reason: str, at: dt.datetime | None,
           expected_version: int | None) -> Hearing:
    check_actor(case, by, action, at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    hearing = _hearing(case)
    suspension, changes = end_suspension(case, by=by, day=day)
    _save(hearing, state=state, closed_on=day, closed_reason=reason)
    commit(case, action=action, by=by, changes=changes, at=when, reason=reason, hearing=hearing,
           audit_extra={"hearing": hearing.pk, "working_days": suspension.working_days})
    tell_applicant(case, f"hearing_{state}", in_chinese(HearingState(state).label),
                   f"听证程序结束（{reason}），恢复计时，承诺办结日调整为 {case.due_on:%Y-%m-%d}。")
    return hearing


@composable
def waive_hearing(
    case: Case, *, by: User, reason: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Hearing:
    """The parties give up the hearing (放弃听证) — the applicant online, or the desk records their written waiver;
    the procedure ends and the clock runs again."""
    reason = optional_text(reason, "reason", "放弃听证说明", limits.HEARING_MATTER) or "当事人放弃听证"
    return _close(case, by=by, action="waive_hearing", state=HearingState.WAIVED, reason=reason, at=at,
                  expected_version=expected_version)


@composable
def lapse_hearing(case: Case, *, by: User, at: dt.datetime | None = None,
                  expected_version: int | None = None) -> Hearing:
    """Nobody asked within the 5 days (逾期未申请听证): once they are over, the procedure ends, the clock runs again."""
    return _close(case, by=by, action="lapse_hearing", state=HearingState.LAPSED,
                  reason="告知后五日内无人申请听证", at=at, expected_version=expected_version)
