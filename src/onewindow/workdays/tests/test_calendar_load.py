"""Loading a new year's arrangement: all or nothing, every bad row named."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors
from onewindow.workdays.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db

YEAR_2027 = {
    "year": 2027,
    "source": "国办发明电〔2026〕示例",
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-02-06", "name": "春节"},
        {"date": "2027-02-07", "name": "春节"},
        {"date": "2027-02-08", "name": "春节"},
        {"date": "2027-02-09", "name": "春节"},
        {"date": "2027-02-10", "name": "春节"},
        {"date": "2027-02-11", "name": "春节"},
        {"date": "2027-02-12", "name": "春节"},
    ],
    "workdays": [{"date": "2027-02-13", "name": "春节调休"}],
}


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), "utf-8")
    return str(path)


def test_the_packaged_years_are_seeded_after_migrate():
    assert set(range(2004, 2027)) <= set(CalendarYear.objects.values_list("year", flat=True))
    assert SpecialDay.objects.get(date=dt.date(2026, 2, 14)).kind == "workday"
    assert SpecialDay.objects.get(date=dt.date(2025, 10, 1)).name == "国庆节"


def test_loading_a_json_year_makes_its_arithmetic_work(tmp_path):
    # Before its notice, 2027 is provisional: the statutory holidays by rule, no adjusted working day.
    assert selectors.due_date(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    assert selectors.is_provisional(dt.date(2027, 1, 4))
    assert not selectors.is_working_day(dt.date(2027, 2, 5)) and not selectors.is_working_day(dt.date(2027, 2, 13))
    call_command("calendar", "load", write(tmp_path, "2027.json", YEAR_2027))
    assert selectors.due_date(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    assert not selectors.is_provisional(dt.date(2027, 1, 4))
    assert selectors.due_date(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 13)
    assert selectors.is_working_day(dt.date(2027, 2, 13))
    assert AuditEvent.objects.filter(action="calendar.load_year", object_id=str(CalendarYear.objects.get(year=2027).pk)).exists()


def test_loading_a_csv_year_works(tmp_path):
    csv_text = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-13,workday,春节调休\n"
    call_command("calendar", "load", write(tmp_path, "2027.csv", csv_text))
    assert not selectors.is_working_day(dt.date(2027, 1, 1))
    assert selectors.is_working_day(dt.date(2027, 2, 13))


def test_a_bad_file_names_every_bad_row_and_writes_nothing(tmp_path):
    bad = {
        "year": 2027,
        "holidays": [{"date": "2027-02-30"}, {"date": "2028-01-01"}, "2027-05-01"],
        "workdays": [{"date": "2027-03-03"}, {"date": "2027-05-01"}],
    }
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "load", write(tmp_path, "bad.json", bad))
    message = str(exc.value)
    assert "holidays 第1项" in message and "2027-02-30" in message
    assert "2028-01-01：不在 2027 年内" in message
    assert "2027-03-03：调休上班日只能是周六或周日" in message
    assert "2027-05-01：重复出现" in message
    assert exc.value.returncode == 2
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(date__year__in=[2027, 2028]).exists()


def test_a_csv_with_bad_rows_reports_their_line_numbers(tmp_path):
    csv_text = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-32,holiday,x\n2027-02-13,day-off,x\n"
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "load", write(tmp_path, "2027.csv", csv_text))
    assert "第3行" in str(exc.value) and "第4行" in str(exc.value)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_file_of_another_kind_is_refused(tmp_path):
    with pytest.raises(CommandError, match="请使用 .json 或 .csv"):
        call_command("calendar", "load", write(tmp_path, "2027.txt", "hello"))


def test_malformed_json_is_refused_with_its_position(tmp_path):
    with pytest.raises(CommandError, match="JSON 格式错误"):
        call_command("calendar", "load", write(tmp_path, "2027.json", '{"year": 2027,'))


def test_an_already_loaded_year_needs_replace(tmp_path):
    before = SpecialDay.objects.filter(date__year=2025).count()
    replacement = {"year": 2025, "holidays": ["2025-01-01"], "workdays": []}
    path = write(tmp_path, "2025.json", replacement)
    with pytest.raises(CommandError, match="已载入"):
        call_command("calendar", "load", path)
    assert SpecialDay.objects.filter(date__year=2025).count() == before
    call_command("calendar", "load", path, "--replace")
    assert SpecialDay.objects.filter(date__year=2025).count() == 1
    assert selectors.is_working_day(dt.date(2025, 10, 8))  # National Day no longer a holiday


def test_export_writes_the_load_format(tmp_path, capsys):
    call_command("calendar", "export", "2026")
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2026
    assert {"date": "2026-02-14", "name": "春节调休"} in data["workdays"]
    assert any(h["date"] == "2026-10-01" and h["name"] == "国庆节" for h in data["holidays"])


def test_an_admin_edit_is_seen_by_the_next_calculation():
    assert selectors.is_working_day(dt.date(2025, 6, 3))
    SpecialDay.objects.create(
        calendar_year=CalendarYear.objects.get(year=2025), date=dt.date(2025, 6, 3), kind="holiday", name="测试"
    )
    assert not selectors.is_working_day(dt.date(2025, 6, 3))
