import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from onewindow.hall import erlang, selectors, services
from onewindow.hall.management.commands.hall import Command
from onewindow.hall.models import Ticket, TicketState
from onewindow.hall.tests.factories import CategoryFactory, HallFactory

pytestmark = pytest.mark.django_db


def at(start, n):
    return start + dt.timedelta(minutes=n)


def test_metrics_per_category_window_and_hour(hall, category_a, category_b, window, window_b, clerk, morning):
    waits = [5, 15, 25, 35]  # minutes between issue and call
    for n, wait in enumerate(waits):
        services.issue_ticket(category=category_a, at=at(morning, n))
        services.call_next(window=window, by=clerk, at=at(morning, n + wait))
        services.start_serving(window=window, by=clerk, at=at(morning, n + wait))
        services.finish(window=window, by=clerk, at=at(morning, n + wait + 6))
    services.issue_ticket(category=category_b, at=at(morning, 70))
    services.call_next(window=window_b, by=clerk, at=at(morning, 71))
    services.mark_no_show(window=window_b, by=clerk, at=at(morning, 73))

    m = selectors.hall_metrics(hall, morning.date(), target_minutes=20)
    a = next(r for r in m["by_category"] if r["key"].startswith("A"))
    assert (a["tickets"], a["avg_wait_minutes"], a["p90_wait_minutes"]) == (4, 20.0, 35.0)
    assert (a["avg_service_minutes"], a["over_target_share"]) == (6.0, 0.5)
    b = next(r for r in m["by_category"] if r["key"].startswith("B"))
    assert b["no_shows"] == 1
    assert [r["key"] for r in m["by_hour"]] == ["09:00", "10:00"]
    assert {r["key"]: r["tickets"] for r in m["by_window"]} == {"5号窗口": 4, "6号窗口": 1}
    assert m["total"]["tickets"] == 5


def test_percentile_is_nearest_rank():
    assert selectors.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert selectors.percentile([7], 0.9) == 7


def _history(hall, category, days, per_hour, service_minutes):
    """Past days of tickets, written directly: 09:00-10:00 with `per_hour` arrivals each served for s minutes."""
    rows = []
    for d in range(1, days + 1):
        day = timezone.localdate() - dt.timedelta(days=d)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        for n in range(per_hour):
            issued = start + dt.timedelta(minutes=n * 60 // per_hour)
            rows.append(Ticket(hall=hall, category=category, day=day, sequence=n + 1, number=f"A{n + 1:03d}",
                               code=f"H{d}{n:05d}", issued_at=issued, queued_at=issued, state=TicketState.DONE,
                               called_at=issued, serving_started_at=issued,
                               finished_at=issued + dt.timedelta(minutes=service_minutes)))
    Ticket.objects.bulk_create(rows)


def test_staffing_command_prints_erlang_c_windows_per_hour(capsys):
    hall = HallFactory(code="YZ-1F")
    _history(hall, CategoryFactory(hall=hall, prefix="A"), days=3, per_hour=30, service_minutes=10)
    call_command("hall", "staffing", "--hall", "YZ-1F", "--date", timezone.localdate().isoformat(),
                 "--level", "0.1")
    out = capsys.readouterr().out
    expected = erlang.windows_needed(30, 10, target_minutes=20, max_probability=0.1)
    row = next(line for line in out.splitlines() if line.startswith("09:00-10:00"))
    assert row.split()[1:4] == ["30.0", "10.0", str(expected.windows)], out
    assert "依据 3 天数据" in out


def test_staffing_command_refuses_bad_input():
    HallFactory(code="YZ-2F")
    with pytest.raises(CommandError):
        call_command("hall", "staffing", "--hall", "YZ-2F", "--date", "2026-02-30")
    with pytest.raises(CommandError):
        call_command("hall", "staffing", "--hall", "YZ-2F", "--date", "2026-01-05", "--level", "1.5")
    with pytest.raises(CommandError, match="没有取号记录"):
        call_command("hall", "staffing", "--hall", "YZ-2F", "--date", "2026-01-05")
    with pytest.raises(CommandError, match="不存在"):
        call_command("hall", "staffing", "--hall", "NOPE", "--date", "2026-01-05")


@pytest.mark.django_db(transaction=True)
def test_staffing_bad_date_from_the_shell_is_one_line_and_exit_2(capsys):
    HallFactory(code="YZ-3F")
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["onewindow", "hall", "staffing", "--hall", "YZ-3F", "--date", "tomorrow"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("onewindow: ") and "YYYY-MM-DD" in err
