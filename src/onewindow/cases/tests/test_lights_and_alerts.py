"""电子监察: green / yellow / red from the clock, the SQL light equals the Python light, and each light change
raises one alert to the department leader and the supervisors (Celery task and embedded scheduler)."""

from __future__ import annotations

import datetime as dt

import time_machine

from onewindow.cases import services
from onewindow.cases.alerts import sweep_alerts
from onewindow.cases.clock import Light
from onewindow.cases.models import Case, CaseAlert, Notice
from onewindow.cases.selectors import light_expression, light_of, list_cases
from onewindow.cases.tasks import sweep_alerts_task
from onewindow.cases.tests.factories import at, case_in_state, complete_materials, make_item, new_case

D = dt.date.fromisoformat


def _accepted(world, item=None, day="2025-09-01"):
    case = new_case(world, item=item, when=at(day))
    complete_materials(case, by=world.clerk_a, when=at(day))
    return services.accept_case(case, by=world.clerk_a, at=at(day))


def test_a_ten_day_case_is_green_then_yellow_two_working_days_before_due_then_red(world):
    case = _accepted(world)  # due Mon 15 Sep 2025
    assert light_of(case, D("2025-09-10")) == Light.GREEN
    assert light_of(case, D("2025-09-11")) == Light.YELLOW  # Fri 12, Mon 15 left
    assert light_of(case, D("2025-09-15")) == Light.YELLOW
    assert light_of(case, D("2025-09-16")) == Light.RED


def test_a_twenty_day_case_turns_yellow_at_twenty_percent_of_its_limit(world):
    item = make_item(world.dept_a, promised_days=20, statutory_days=20, code="SC-20", materials=[])
    case = _accepted(world, item=item)
    due = case.due_on
    from onewindow.workdays.selectors import get_calendar

    calendar = get_calendar()
    assert calendar.working_days_between(case.clock_warn_on, due) == 4
    assert light_of(case, case.clock_warn_on - dt.timedelta(days=1)) == Light.GREEN
    assert light_of(case, case.clock_warn_on) == Light.YELLOW


def test_the_threshold_is_configurable(world, settings):
    settings.CASES_YELLOW_DAYS = 5
    case = _accepted(world)
    assert light_of(case, D("2025-09-08")) == Light.YELLOW  # 9–15 Sep: five working days left


def test_a_suspended_case_keeps_the_light_it_had_when_the_clock_stopped(world):
    case = _accepted(world)
    services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a, at=at("2025-09-01"))
    services.suspend_case(case, by=world.reviewer_a, kind="expert_review", reason="专家评审", expected_days=10,
                          at=at("2025-09-12"))
    assert light_of(case, D("2025-09-30")) == Light.YELLOW, "time in a special procedure does not count"
    services.resume_case(case, by=world.reviewer_a, at=at("2025-09-30"))
    assert light_of(case, D("2025-09-30")) == Light.YELLOW
    assert case.due_on > D("2025-09-30")


def test_delivered_and_closed_cases_carry_no_light(world):
    assert light_of(case_in_state(world, "delivered"), D("2025-12-01")) is None
    assert light_of(case_in_state(world, "withdrawn", n=2), D("2025-12-01")) is None


def test_the_light_computed_in_sql_matches_the_light_computed_in_python(world):
    cases = [
        _accepted(world, day="2025-09-01"),
        case_in_state(world, "suspended", n=2),
        case_in_state(world, "submitted", n=3),
        case_in_state(world, "approved", n=4),
        case_in_state(world, "correction_requested", n=5),
    ]
    for today in [D("2025-09-01"), D("2025-09-08"), D("2025-09-11"), D("2025-09-16"), D("2025-10-20")]:
        annotated = dict(Case.objects.annotate(light=light_expression(today)).values_list("pk", "light"))
        for case in cases:
            case.refresh_from_db()
            assert annotated[case.pk] == (light_of(case, today) or ""), f"{case.state} on {today}"
        for light in Light:
            filtered = {c.pk for c in list_cases(world.supervisor, light=light, today=today)}
            assert filtered == {c.pk for c in cases if light_of(c, today) == light}


def test_the_sweep_alerts_once_per_light_change(world, django_capture_on_commit_callbacks):
    case = _accepted(world)
    assert sweep_alerts(today=D("2025-09-10")) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_alerts(today=D("2025-09-11")) == 1
    assert sweep_alerts(today=D("2025-09-12")) == 0, "still yellow: no second alert"
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_alerts(today=D("2025-09-16")) == 1
    assert sweep_alerts(today=D("2025-09-17")) == 0
    assert list(CaseAlert.objects.filter(case=case).order_by("id").values_list("light", flat=True)) == [
        "yellow", "red"]
    recipients = set(Notice.objects.filter(kind="alert_red").values_list("recipient__username", flat=True))
    assert recipients == {"leader_a", "supervisor"}, "the department's leader and the supervisors, nobody else"


def test_an_extension_that_turns_a_case_green_again_lets_it_alert_again_later(world):
    case = _accepted(world)
    sweep_alerts(today=D("2025-09-11"))
    services.extend_case(case, by=world.leader_a, days=5, reason="补充调查", at=at("2025-09-11"))
    assert light_of(case, D("2025-09-11")) == Light.GREEN
    assert sweep_alerts(today=D("2025-09-18")) == 1
    assert CaseAlert.objects.filter(case=case, light="yellow").count() == 2


def test_alerts_are_emailed(world, mailoutbox, django_capture_on_commit_callbacks):
    _accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_alerts(today=D("2025-09-16"))
    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {"leader_a@example.org", "supervisor@example.org"}
    assert "红灯" in mailoutbox[0].subject


def test_the_celery_beat_task_runs_the_sweep(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert "cases-sweep-alerts" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["cases-sweep-alerts"]["task"] == "cases.sweep_alerts"
    _accepted(world)
    with time_machine.travel(at("2025-09-16"), tick=False):
        result = sweep_alerts_task.delay()
    assert result.get() == 1
    assert CaseAlert.objects.get().light == "red"


def test_the_leader_reads_the_alert_in_the_api_inbox_and_marks_it_read(world, django_capture_on_commit_callbacks):
    from django.test import Client

    from onewindow.core.services import create_token

    _accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_alerts(today=D("2025-09-11"))
    _, token = create_token(world.leader_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    inbox = client.get("/api/v1/cases/notices?unread=true").json()
    assert [n["kind"] for n in inbox] == ["alert_yellow"]
    assert client.post(f"/api/v1/cases/notices/{inbox[0]['id']}/read").json()["read_at"] is not None
    assert client.get("/api/v1/cases/notices?unread=true").json() == []
    _, other = create_token(world.leader_b)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other}").post(
        f"/api/v1/cases/notices/{inbox[0]['id']}/read").status_code == 404


def test_the_board_reads_running_cases_through_the_partial_index_of_the_clock_states():
    from onewindow.cases.lifecycle import CLOCK_STATES
    from onewindow.cases.selectors import RUNNING_STATES

    index = next(i for i in Case._meta.indexes if i.name == "case_running_board")
    assert set(RUNNING_STATES) == set(CLOCK_STATES)
    assert index.condition.children == [("state__in", RUNNING_STATES)]
