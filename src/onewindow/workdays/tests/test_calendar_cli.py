"""`onewindow calendar` from the shell: answers on stdout, bad input is one line on stderr and exit 2."""

import pytest

from onewindow.workdays.management.commands.calendar import Command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # run_from_argv closes connections when it ends; the test's transaction must survive it.
    monkeypatch.setattr("onewindow.core.commands.connections.close_all", lambda: None)


def run(*argv):
    Command().run_from_argv(["onewindow", "calendar", *argv])


def test_due_prints_the_due_date(capsys):
    run("due", "2025-09-30", "1")
    assert capsys.readouterr().out.strip() == "2025-10-09"


def test_between_prints_the_count(capsys):
    run("between", "2025-09-30", "2025-10-10")
    assert capsys.readouterr().out.strip() == "2"


def test_check_prints_workday_or_holiday(capsys):
    run("check", "2025-10-11")
    run("check", "2025-10-01")
    assert capsys.readouterr().out.split() == ["workday", "holiday"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["due", "2040-01-01", "1"], "2040年的节假日安排尚未载入"),
        (["due", "2025-13-01", "1"], "不是 YYYY-MM-DD"),
        (["due", "2025-06-01", "-3"], "不能为负数"),
        (["due", "2025-06-01", "three"], "不是整数"),
        (["check", "yesterday"], "不是 YYYY-MM-DD"),
        (["load", "/nonexistent/2027.json"], "文件不存在"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(capsys, argv, expected):
    with pytest.raises(SystemExit) as exc:
        run(*argv)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("onewindow: ") and expected in lines[0]
