"""Hearings (听证, 行政许可法 第四十七、四十八条) as acts of their own, on the official 2025 arrangements: the parties'
5 days across the National Day holiday, the hearing within 20 working days of the request, its time and place told 7
working days ahead, its record, the decision resting on it — each limit a clock with a light, the case's own clock
standing still meanwhile (第四十五条)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.cases import services
from onewindow.cases.alerts import sweep_alerts
from onewindow.cases.documents import NoticeKind, available_notices, render_case_notice
from onewindow.cases.lifecycle import State
from onewindow.cases.models import AlertKind, Case, CaseAlert, Hearing, HearingState, Notice
from onewindow.cases.selectors import case_timeline, hearing_clock, light_of
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.cases.tests.one_call import api_client
from onewindow.cases.tests.test_documents_cases import text
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput

D = dt.date.fromisoformat


def _in_review(world, day: str = "2025-09-15") -> Case:
    return case_in_state(world, State.IN_REVIEW, when=at(day))


def _notified(world, day: str = "2025-09-26") -> tuple[Case, Hearing]:
    case = _in_review(world)
    hearing = services.notify_hearing_right(case, by=world.reviewer_a, matter="新建基站涉及相邻住户的重大利益",
                                            interested_parties="李四\n王五", at=at(day))
    return Case.objects.get(pk=case.pk), hearing


def test_the_parties_5_days_run_over_national_day_to_the_next_working_day(world, django_capture_on_commit_callbacks):
    # Told Fri 2025-09-26: the 5th calendar day is Wed 10-01, a holiday (10-01…10-08); the last day moves to Thu 10-09.
    with django_capture_on_commit_callbacks(execute=True):
        case, hearing = _notified(world, "2025-09-26")

    assert (hearing.state, hearing.notified_on, hearing.request_due_on) == (HearingState.NOTIFIED, D("2025-09-26"),
                                                                            D("2025-10-09"))
    assert case.state == State.SUSPENDED, "the hearing's time does not count (第四十五条): the clock stands still"
    assert hearing.suspension.kind == "hearing" and hearing.suspension.expected_end_on == D("2025-10-09")
    assert Notice.objects.filter(recipient=world.citizen, kind="hearing_right").exists()


def test_on_an_ordinary_week_the_5_days_end_on_the_5th_calendar_day(world):
    # Told Mon 2025-09-15: the 5th day is Sat 09-20, a rest day, so Mon 09-22; told Tue 2025-09-16 → Sun 09-21 → 09-22;
    # told Wed 2025-09-10 → Mon 09-15 (a working day, kept).
    case = _in_review(world, "2025-09-08")
    hearing = services.notify_hearing_right(case, by=world.reviewer_a, matter="相邻权", at=at("2025-09-10"))
    assert hearing.request_due_on == D("2025-09-15")


def test_a_request_starts_the_20_working_days_and_the_last_day_to_give_7_days_notice(world):
    case, hearing = _notified(world)

    requested = services.request_hearing(case, by=world.citizen, at=at("2025-10-09"))

    # 20 working days after Thu 10-09 (the adjusted working Saturday 10-11 counts): Wed 2025-11-05; for a hearing that
    # day the time and place must go out by Mon 10-27 (Tue 10-28 + 7 working days is 11-06, too late).
    assert (requested.state, requested.requested_by_name) == (HearingState.REQUESTED, "张三")
    assert (requested.hold_by_on, requested.notice_due_on) == (D("2025-11-05"), D("2025-10-27"))
    assert requested.suspension.expected_end_on == D("2025-11-05")


def test_a_request_after_the_5_days_is_refused_and_the_lapse_is_recorded_instead(world):
    case, hearing = _notified(world)

    with pytest.raises(Conflict) as late:
        services.request_hearing(case, by=world.clerk_a, party="李四", at=at("2025-10-10"))
    assert late.value.code == ErrorCode.HEARING_WINDOW_CLOSED
    with pytest.raises(Conflict) as early:
        services.lapse_hearing(case, by=world.reviewer_a, at=at("2025-10-09"))
    assert early.value.code == ErrorCode.HEARING_WINDOW_OPEN
    assert Hearing.objects.get(pk=hearing.pk).state == HearingState.NOTIFIED, "nothing changed"

    services.lapse_hearing(case, by=world.reviewer_a, at=at("2025-10-10"))

    case.refresh_from_db()
    hearing.refresh_from_db()
    assert (hearing.state, case.state) == (HearingState.LAPSED, State.IN_REVIEW)
    # 09-26 → 10-10: 09-29, 09-30, 10-09, 10-10 and the adjusted Sunday 09-28 are 5 working days not counted.
    assert hearing.suspension.working_days == 5 and case.paused_days == 5


def test_the_time_and_place_need_7_working_days_notice_and_the_hearing_stays_within_the_20_days(
        world, django_capture_on_commit_callbacks):
    case, _hearing = _notified(world)
    services.request_hearing(case, by=world.clerk_a, party="李四（利害关系人）", at=at("2025-10-09"))

    with pytest.raises(InvalidInput) as short:
        services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-04", 9), place="中心三楼听证室",
                                  presiding_officer=world.leader_a, at=at("2025-10-27"))
    assert short.value.code == ErrorCode.HEARING_NOTICE_TOO_SHORT
    with pytest.raises(InvalidInput) as beyond:
        services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-06", 9), place="中心三楼听证室",
                                  presiding_officer=world.leader_a, at=at("2025-10-27"))
    assert beyond.value.code == ErrorCode.HEARING_BEYOND_LIMIT
    with pytest.raises(InvalidInput) as reviewer:
        services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-05", 9), place="中心三楼听证室",
                                  presiding_officer=world.reviewer_a, at=at("2025-10-27"))
    assert reviewer.value.code == ErrorCode.PRESIDING_IS_REVIEWER, "the reviewer may not preside (第四十八条)"

    with django_capture_on_commit_callbacks(execute=True):
        scheduled = services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-05", 9),
                                              place="中心三楼听证室", presiding_officer=world.leader_a,
                                              at=at("2025-10-27"))

    assert (scheduled.state, scheduled.hearing_on, scheduled.place_notified_on) == (
        HearingState.SCHEDULED, D("2025-11-05"), D("2025-10-27"))
    assert Notice.objects.filter(recipient=world.citizen, kind="hearing_scheduled").exists()


def test_a_notice_sent_too_late_for_the_20_days_still_sets_a_lawful_hearing_and_stays_red(world):
    case, _hearing = _notified(world)
    services.request_hearing(case, by=world.citizen, at=at("2025-10-09"))

    # On 10-28 no day within the 20 working days can be told 7 days ahead: the first lawful day, 11-06, is taken.
    late = services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-06", 9), place="听证室",
                                     presiding_officer=world.leader_a, at=at("2025-10-28"))

    assert late.hearing_on == D("2025-11-06")
    limit = hearing_clock(late, D("2025-10-28"))
    assert (limit.light, limit.due_on) == ("red", D("2025-11-05")), "the 20 working days were missed: red"
    assert sweep_alerts(today=D("2025-10-28")) == 1
    assert CaseAlert.objects.get(case=case, kind=AlertKind.HEARING).clock_due_on == D("2025-11-05")


def test_the_record_ends_the_procedure_moves_the_dates_and_the_decision_rests_on_it(world):
    case, _hearing = _notified(world)
    due_before = case.due_on
    services.request_hearing(case, by=world.citizen, at=at("2025-10-09"))
    services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-05", 9), place="中心三楼听证室",
                              presiding_officer=world.leader_a, at=at("2025-10-27"))
    with pytest.raises(Conflict) as not_yet:
        services.record_hearing(case, by=world.reviewer_a, record="…", signed_by="张三", at=at("2025-11-04"))
    assert not_yet.value.code == ErrorCode.HEARING_NOT_YET_HELD

    services.record_hearing(case, by=world.reviewer_a, record="审查人员陈述审查意见；申请人、李四申辩并质证。",
                            signed_by="张三、李四、王五", at=at("2025-11-05", 17))

    case.refresh_from_db()
    hearing = case.hearings.get()
    assert (hearing.state, hearing.held_on, case.state) == (HearingState.HELD, D("2025-11-05"), State.IN_REVIEW)
    # 09-26 → 11-05 holds 24 working days (09-28, 09-29, 09-30, 10-09, 10-10, the adjusted Saturday 10-11 and 18 more);
    # the due date moves by them.
    assert hearing.suspension.working_days == case.paused_days == 24
    assert case.due_on > due_before

    services.approve_case(case, by=world.reviewer_a, legal_basis="《某条例》第十条", at=at("2025-11-06"))
    decision = case_timeline(case).filter(action="case.approve").get()
    assert decision.after["hearing"] == hearing.pk and decision.after["hearing_held_on"] == "2025-11-05"
    approval = text(render_case_notice(Case.objects.get(pk=case.pk), NoticeKind.APPROVAL)[0])
    assert "2025年11月5日就本申请举行了听证，本决定根据听证笔录作出" in approval


def test_the_parties_may_waive_and_a_plain_resume_cannot_end_a_hearing(world):
    case, hearing = _notified(world)

    with pytest.raises(Conflict) as plain:
        services.resume_case(case, by=world.reviewer_a, at=at("2025-09-29"))
    assert plain.value.code == ErrorCode.HEARING_IN_PROGRESS
    with pytest.raises(InvalidInput):
        services.suspend_case(_in_review(world), by=world.reviewer_a, kind="hearing", reason="听证",
                              expected_days=10, at=at("2025-09-29"))

    services.waive_hearing(case, by=world.citizen, reason="申请人书面放弃", at=at("2025-09-29"))

    hearing.refresh_from_db()
    assert (hearing.state, hearing.closed_reason) == (HearingState.WAIVED, "申请人书面放弃")
    assert Case.objects.get(pk=case.pk).state == State.IN_REVIEW


def test_each_hearing_limit_has_a_light_and_a_red_one_alerts_once(world, django_capture_on_commit_callbacks):
    case, hearing = _notified(world)

    # The parties' last day is 10-09: yellow within 2 working days of it (from 09-29), red after it.
    assert hearing_clock(hearing, D("2025-09-26")).light == "green"
    assert hearing_clock(hearing, D("2025-09-29")).light == "yellow"
    assert hearing_clock(hearing, D("2025-10-10")).light == "red"
    assert light_of(case, D("2025-10-10")) == light_of(case, D("2025-09-26")), "the case's own light is paused"

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_alerts(today=D("2025-10-10")) == 1
    assert sweep_alerts(today=D("2025-10-10")) == 0, "once per limit and light"
    alert = CaseAlert.objects.get(case=case, kind=AlertKind.HEARING)
    assert (alert.light, alert.clock_due_on) == ("red", D("2025-10-09"))
    assert Notice.objects.filter(recipient=world.leader_a, kind="alert_hearing_red").exists()


def test_the_hearing_notices_are_pdfs_for_the_applicant_and_the_interested_parties(world):
    case, _hearing = _notified(world)
    assert NoticeKind.HEARING_RIGHT in available_notices(case)
    right = text(render_case_notice(case, NoticeKind.HEARING_RIGHT)[0])
    for expected in ("听证告知书", "张三、李四、王五：", "第四十七条", "2025年10月9日前", "不承担"):
        assert expected in right, expected

    services.request_hearing(case, by=world.citizen, at=at("2025-10-09"))
    services.schedule_hearing(case, by=world.reviewer_a, hearing_at=at("2025-11-05", 9), place="中心三楼听证室",
                              presiding_officer=world.leader_a, at=at("2025-10-27"))
    notice = text(render_case_notice(Case.objects.get(pk=case.pk), NoticeKind.HEARING_NOTICE)[0])
    for expected in ("听证通知书", "2025年11月5日09:00", "中心三楼听证室", "leader_a", "第四十八条", "回避"):
        assert expected in notice, expected


def test_the_whole_hearing_through_the_api(world):
    case = _in_review(world)
    reviewer, applicant = api_client(world.reviewer_a), api_client(world.citizen)

    with time_machine.travel(at("2025-09-26"), tick=False):
        body = reviewer.post(f"/api/v1/cases/{case.number}/notify-hearing-right",
                             {"matter": "相邻权", "interested_parties": "李四"}, content_type="application/json").json()
        assert body["state"] == "suspended" and body["hearings"][0]["request_due_on"] == "2025-10-09"
        assert body["hearings"][0]["clock"]["light"] == "green"
        assert "request_hearing" in applicant.get(f"/api/v1/cases/{case.number}").json()["allowed_actions"]
        pdf = applicant.get(f"/api/v1/cases/{case.number}/notices/hearing_right")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with time_machine.travel(at("2025-10-09"), tick=False):
        body = applicant.post(f"/api/v1/cases/{case.number}/request-hearing", {}, content_type="application/json")
        assert body.json()["hearings"][0]["hold_by_on"] == "2025-11-05"
    with time_machine.travel(at("2025-10-27"), tick=False):
        refused = reviewer.post(f"/api/v1/cases/{case.number}/schedule-hearing",
                                {"hearing_at": "2025-11-04T09:00:00+08:00", "place": "听证室",
                                 "presiding_officer_id": world.leader_a.pk}, content_type="application/json")
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "hearing_notice_too_short"
        body = reviewer.post(f"/api/v1/cases/{case.number}/schedule-hearing",
                             {"hearing_at": "2025-11-05T09:00:00+08:00", "place": "听证室",
                              "presiding_officer_id": world.leader_a.pk}, content_type="application/json").json()
        assert body["hearings"][0]["state"] == "scheduled"
    with time_machine.travel(at("2025-11-05", 17), tick=False):
        body = reviewer.post(f"/api/v1/cases/{case.number}/record-hearing",
                             {"record": "陈述、申辩、质证", "signed_by": "张三、李四"},
                             content_type="application/json").json()
        assert body["state"] == "in_review" and body["hearings"][0]["state"] == "held"
        assert body["hearings"][0]["clock"] is None and body["paused_days"] == 24
