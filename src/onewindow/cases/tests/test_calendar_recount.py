"""The calendar never stops the counter (issue 9 §7): provisional years beyond the last notice, and the notice, once
loaded, recounting every stored date of the cases that depends on a changed day — audited, people told."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management import call_command

from onewindow.cases import services
from onewindow.cases.models import Case, Notice
from onewindow.cases.tests.factories import at, complete_materials, make_item, new_case
from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors
from onewindow.workdays.provisional import statutory_holidays

D = dt.date.fromisoformat

# A 2027 notice as the State Council might publish it: the rule's holidays, plus Monday 4 January as a bridging
# holiday (元旦调休) and Saturday 9 January as the adjusted working day that pays for it.
NOTICE_2027 = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
    "holidays": [{"date": d.isoformat(), "name": n} for d, n in statutory_holidays(2027)]
    + [{"date": "2027-01-04", "name": "元旦调休"}],
    "workdays": [{"date": "2027-01-09", "name": "元旦调休"}],
}


def load_notice(tmp_path, notice=NOTICE_2027):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice, ensure_ascii=False), "utf-8")
    call_command("calendar", "load", str(path))


def _accepted(world, day: str, item=None):
    case = new_case(world, when=at(day), item=item)
    complete_materials(case, by=world.clerk_a, when=at(day))
    return services.accept_case(case, by=world.clerk_a, at=at(day))


def test_submitting_on_christmas_2026_records_the_case_with_a_provisional_acceptance_deadline(world, client):
    # Issue 9 §1: from 2026-12-25 on, submitting was refused with calendar_not_loaded and nothing was recorded.
    case = new_case(world, when=at("2026-12-25"))

    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "submitted"
    # 28, 29, 30, 31 December, then 1 January (元旦, by rule) and the weekend: the fifth is Monday 4 January.
    assert stored.acceptance_due_on == D("2027-01-04")
    assert selectors.is_provisional(stored.acceptance_due_on)
    assert not selectors.is_provisional(stored.submitted_on)


def test_a_limit_reaching_2027_is_accepted_with_provisional_due_dates_shown_as_such(world, client):
    case = _accepted(world, "2026-12-10")
    # Promised 10 working days: 11–24 December (2026, official); statutory 20: into January 2027 (provisional).
    assert (case.due_on, case.legal_due_on) == (D("2026-12-24"), D("2027-01-08"))
    client.force_login(world.clerk_a)
    body = client.get(f"/api/v1/cases/{case.number}").json()
    assert body["due_on"] == "2026-12-24" and body["due_on_provisional"] is False
    assert body["legal_due_on"] == "2027-01-08" and body["legal_due_on_provisional"] is True


def test_loading_the_notice_moves_the_dates_counted_through_its_changed_days_and_tells_the_people(
        world, tmp_path, django_capture_on_commit_callbacks):
    short = make_item(world.dept_a, code="SC-0004", promised_days=4, statutory_days=8)
    waiting = new_case(world, when=at("2026-12-28"), n=2)  # submitted, not yet accepted
    moved = _accepted(world, "2026-12-29", item=short)
    services.assign_case(moved, by=world.leader_a, reviewer=world.reviewer_a, at=at("2026-12-29"))
    steady = _accepted(world, "2026-12-25")
    # Provisional: 29, 30, 31 Dec, 4, 5 Jan → 5 Jan; promised 4 from 29 Dec: 30, 31 Dec, 4, 5 Jan → 5 Jan.
    assert waiting.acceptance_due_on == D("2027-01-05")
    assert (moved.due_on, moved.legal_due_on) == (D("2027-01-05"), D("2027-01-11"))
    assert (steady.due_on, steady.clock_warn_on) == (D("2027-01-11"), D("2027-01-07"))
    versions = {c.pk: Case.objects.get(pk=c.pk).version for c in (waiting, moved, steady)}

    with django_capture_on_commit_callbacks(execute=True):
        load_notice(tmp_path)

    waiting, moved, steady = (Case.objects.get(pk=c.pk) for c in (waiting, moved, steady))
    # 4 January is now a rest day: the fifth working day after 28 December is 6 January.
    assert waiting.acceptance_due_on == D("2027-01-06") and waiting.clock_due_on == D("2027-01-06")
    # 30, 31 Dec, 5, 6 Jan → 6 Jan; the statutory 8: …, 7, 8, 9 (the working Saturday), 11 → 11 Jan, unchanged.
    assert (moved.due_on, moved.legal_due_on, moved.clock_due_on) == (D("2027-01-06"), D("2027-01-11"),
                                                                      D("2027-01-06"))
    # Bridging holiday and working Saturday cancel out by 11 January: the due date stays; the yellow day moves.
    assert (steady.due_on, steady.clock_warn_on) == (D("2027-01-11"), D("2027-01-08"))
    assert not selectors.is_provisional(moved.due_on)
    for case in (waiting, moved, steady):
        assert case.version == versions[case.pk] + 1
        event = AuditEvent.objects.get(action="case.recount", object_id=str(case.pk))
        assert "2027-01-04" in event.reason and "2027-01-09" in event.reason
    assert AuditEvent.objects.get(action="calendar.load_year").after["changed_days"] == ["2027-01-04", "2027-01-09"]
    told = Notice.objects.filter(kind="calendar_changed")
    assert {(n.recipient.username, n.case_id) for n in told} == {
        ("citizen", waiting.pk), ("leader_a", waiting.pk),
        ("citizen", moved.pk), ("leader_a", moved.pk), ("reviewer_a", moved.pk),
    }
    assert "承诺办结日 2027-01-05 → 2027-01-06" in told.get(case=moved, recipient=world.citizen).body


def test_a_notice_that_changes_nothing_any_case_counted_through_moves_nothing(
        world, tmp_path, django_capture_on_commit_callbacks):
    case = _accepted(world, "2026-09-01")
    version = Case.objects.get(pk=case.pk).version

    with django_capture_on_commit_callbacks(execute=True):
        load_notice(tmp_path)

    assert Case.objects.get(pk=case.pk).version == version
    assert not AuditEvent.objects.filter(action="case.recount").exists()
    assert not Notice.objects.filter(kind="calendar_changed").exists()


def test_a_tolerated_material_promised_after_the_new_statutory_date_is_brought_back_to_it(world, tmp_path):
    short = make_item(world.dept_a, code="SC-0005", promised_days=2, statutory_days=4)
    case = new_case(world, when=at("2026-12-29"), item=short)
    complete_materials(case, by=world.clerk_a, when=at("2026-12-29"), tolerated=False)
    tolerated = [m.pk for m in short.published_version.materials.filter(requirement="tolerated")]
    services.accept_case(case, by=world.clerk_a, at=at("2026-12-29"), tolerated=tolerated,
                         tolerance_due_on=D("2027-01-05"))
    assert case.legal_due_on == D("2027-01-05")  # 30, 31 Dec, 4, 5 Jan (provisional)
    # A notice that makes 5 January a holiday too moves the statutory date to 6 January: the promise stays.
    load_notice(tmp_path, {**NOTICE_2027, "holidays": NOTICE_2027["holidays"] + [{"date": "2027-01-05"}]})
    stored = Case.objects.get(pk=case.pk)
    assert (stored.legal_due_on, stored.tolerance_due_on) == (D("2027-01-07"), D("2027-01-05"))


def test_a_working_saturday_that_brings_the_statutory_date_before_the_tolerance_promise_caps_it(
        world, tmp_path, django_capture_on_commit_callbacks):
    short = make_item(world.dept_a, code="SC-0006", promised_days=2, statutory_days=4)
    case = new_case(world, when=at("2027-01-05"), item=short)
    complete_materials(case, by=world.clerk_a, when=at("2027-01-05"), tolerated=False)
    tolerated = [m.pk for m in short.published_version.materials.filter(requirement="tolerated")]
    # Provisional: 6, 7, 8, 11 Jan → statutory 11 Jan; the applicant promises the tolerated material for 11 Jan.
    services.accept_case(case, by=world.clerk_a, at=at("2027-01-05"), tolerated=tolerated,
                         tolerance_due_on=D("2027-01-11"))
    with django_capture_on_commit_callbacks(execute=True):
        load_notice(tmp_path)  # Saturday 9 January works: 6, 7, 8, 9 → statutory 9 Jan
    stored = Case.objects.get(pk=case.pk)
    assert (stored.legal_due_on, stored.tolerance_due_on) == (D("2027-01-09"), D("2027-01-09"))
    notice = Notice.objects.get(kind="calendar_changed", case=case, recipient=world.citizen)
    assert "容缺材料补齐日期 2027-01-11 → 2027-01-09" in notice.body


def test_provisional_dates_are_marked_on_the_case_page_the_tracking_page_and_the_acceptance_notice(world, client):
    import re
    from io import BytesIO

    from pypdf import PdfReader

    from onewindow.cases.documents import NoticeKind, render_case_notice

    case = _accepted(world, "2026-12-10")  # due 2026-12-24 (official), statutory 2027-01-08 (provisional)
    client.force_login(world.clerk_a)
    page = client.get(f"/workbench/cases/{case.number}/").content.decode()
    legal = page[page.index("2027-01-08"):][:300]
    promised = page[page.index("2026-12-24"):][:120]
    assert "暂定" in legal and "暂定" not in promised.split("</dd>")[0]
    tracked = client.get(f"/api/v1/track/{case.number}", {"code": case.query_code}).json()
    assert tracked["due_on_provisional"] is False

    late = _accepted(world, "2026-12-25")  # promised 10: into January 2027
    printed = re.sub(r"\s+", "", "".join(
        p.extract_text() for p in PdfReader(BytesIO(render_case_notice(late, NoticeKind.ACCEPTANCE)[0])).pages))
    assert "2027年1月11日（暂定" in printed
    tracked = client.get(f"/api/v1/track/{late.number}", {"code": late.query_code}).json()
    assert tracked["due_on"] == "2027-01-11" and tracked["due_on_provisional"] is True


def test_loading_the_notice_moves_a_decided_cases_delivery_limit_and_an_open_hearings_limits(
        world, tmp_path, django_capture_on_commit_callbacks):
    from onewindow.cases.models import Hearing

    decided = _accepted(world, "2026-12-21")
    services.assign_case(decided, by=world.leader_a, reviewer=world.reviewer_a, at=at("2026-12-21"))
    decided = services.approve_case(Case.objects.get(pk=decided.pk), by=world.reviewer_a, reason="符合条件",
                                    legal_basis="《中华人民共和国行政许可法》第三十八条", at=at("2026-12-28"))
    # Provisional: 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11, 12 Jan → 12 Jan (art. 44: 10 working days).
    assert decided.delivery_due_on == D("2027-01-12")
    hearing_case = new_case(world, when=at("2026-12-14"), n=3)
    complete_materials(hearing_case, by=world.clerk_a, when=at("2026-12-14"))
    hearing_case = services.accept_case(hearing_case, by=world.clerk_a, at=at("2026-12-14"))
    services.assign_case(hearing_case, by=world.leader_a, reviewer=world.reviewer_a, at=at("2026-12-14"))
    services.notify_hearing_right(Case.objects.get(pk=hearing_case.pk), by=world.reviewer_a,
                                  matter="与相邻经营者的重大利益关系", at=at("2026-12-28"))
    services.request_hearing(Case.objects.get(pk=hearing_case.pk), by=world.clerk_a, party="相邻经营者",
                             at=at("2026-12-29"))
    hearing = Hearing.objects.get(case=hearing_case)
    before = (hearing.hold_by_on, hearing.notice_due_on)

    # A notice with the bridging holiday alone (no working Saturday to pay for it): every later limit moves a day.
    with django_capture_on_commit_callbacks(execute=True):
        load_notice(tmp_path, {**NOTICE_2027, "workdays": []})

    # 4 January is a rest day: 29, 30, 31 Dec, 5, 6, 7, 8, 11, 12, 13 Jan → 13 Jan.
    decided = Case.objects.get(pk=decided.pk)
    assert decided.delivery_due_on == D("2027-01-13") and not selectors.is_provisional(decided.delivery_due_on)
    assert decided.clock_due_on == D("2027-01-13")
    hearing.refresh_from_db()
    from onewindow.cases import clock
    from onewindow.workdays.selectors import get_calendar

    calendar = get_calendar()
    assert hearing.hold_by_on == clock.hearing_hold_by(calendar, D("2026-12-29"))
    assert hearing.notice_due_on == clock.hearing_notice_due(calendar, hearing.hold_by_on)
    assert (hearing.hold_by_on, hearing.notice_due_on) != before, "the bridging holiday moved the hearing's limits"
