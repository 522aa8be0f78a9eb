"""Writes to the holiday table (工作日历): load a year from a file, seed the years a package knows, and the
edits of a year's arrangement (the admin). Each edit is a public service, the outermost (durable)
transaction, publishing a composable act of `workdays.acts`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.kit import service
from onewindow.workdays import acts
from onewindow.workdays.acts import NAME_LENGTH, SOURCE_LENGTH, Day, YearFile, arrangement_problems
from onewindow.workdays.models import CalendarYear


class CalendarFileInvalid(InvalidInput):
    """A holiday file with bad rows; carries every problem so the user fixes them in one pass."""

    code = ErrorCode.CALENDAR_FILE_INVALID

    def __init__(self, problems: list[str]):
        super().__init__("日历文件有误，未作任何更改：\n" + "\n".join(problems), fields={"file": "; ".join(problems)})
        self.problems = problems


def _parse_date(text: Any, where: str, problems: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        problems.append(f"{where}：日期“{text}”不是 YYYY-MM-DD 格式的有效日期")
        return None


def parse_year_file(name: str, content: bytes) -> YearFile:
    """Read a JSON or CSV holiday file (format in the README); collect every problem, raise once.

    Raises CalendarFileInvalid (422 `calendar_file_invalid`) listing every problem; nothing is written here.
    """
    problems: list[str] = []
    result = YearFile()
    suffix = Path(name).suffix.lower()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarFileInvalid(["文件不是 UTF-8 编码的文本"]) from None
    if suffix == ".json":
        _read_json(text, result, problems)
    elif suffix == ".csv":
        _read_csv(text, result, problems)
    else:
        raise CalendarFileInvalid([f"不支持的文件类型“{suffix or name}”：请使用 .json 或 .csv"])
    if result.year is not None:
        problems += arrangement_problems(result.year, result.days)
    if problems:
        raise CalendarFileInvalid(problems)
    return result


def _read_json(text: str, result: YearFile, problems: list[str]) -> None:
    """`{"year": 2027, "source": …, "holidays": [date or {date, name}…], "workdays": […]}`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarFileInvalid([f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列 {exc.msg}"]) from None
    if not isinstance(data, dict):
        raise CalendarFileInvalid(["JSON 顶层应为对象：{\"year\": …, \"holidays\": […], \"workdays\": […]}"])
    year = data.get("year")
    if not isinstance(year, int):
        problems.append("缺少整数字段 year")
    else:
        result.year = year
    result.source = str(data.get("source", ""))[:SOURCE_LENGTH]
    for key, kind in (("holidays", "holiday"), ("workdays", "workday")):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            problems.append(f"{key} 应为列表")
            continue
        for i, entry in enumerate(entries, start=1):
            where = f"{key} 第{i}项"
            if isinstance(entry, str):
                entry = {"date": entry}
            if not isinstance(entry, dict) or "date" not in entry:
                problems.append(f"{where}：应为日期字符串或 {{\"date\": …, \"name\": …}}")
                continue
            day = _parse_date(entry["date"], where, problems)
            if day:
                result.days.append(Day(day, kind, str(entry.get("name", ""))[:NAME_LENGTH]))


def _read_csv(text: str, result: YearFile, problems: list[str]) -> None:
    """Header `date,kind,name`; one year per file, taken from the dates."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"date", "kind"} - set(reader.fieldnames or [])
    if missing:
        raise CalendarFileInvalid([f"CSV 表头缺少列：{', '.join(sorted(missing))}（应为 date,kind,name）"])
    for row_number, row in enumerate(reader, start=2):
        where = f"第{row_number}行"
        day = _parse_date(row.get("date", ""), where, problems)
        kind = (row.get("kind") or "").strip().lower()
        if kind not in ("holiday", "workday"):
            problems.append(f"{where}：kind 应为 holiday 或 workday，而不是“{row.get('kind')}”")
            continue
        if day:
            result.days.append(Day(day, kind, (row.get("name") or "").strip()[:NAME_LENGTH]))
    years = {d.year for d, _, _ in result.days}
    if len(years) == 1:
        result.year = years.pop()
    elif not years:
        problems.append("文件中没有任何日期")
    else:
        problems.append(f"一个文件只能载入一个年度，文件中出现了：{', '.join(map(str, sorted(years)))}")


# The edits, each the outermost transaction. A caller already inside one (the admin's views) composes the acts.
load_year = service(acts.load_year)
add_calendar_year = service(acts.add_calendar_year)
change_calendar_year = service(acts.change_calendar_year)
delete_calendar_years = service(acts.delete_calendar_years)
add_special_day = service(acts.add_special_day)
change_special_day = service(acts.change_special_day)
delete_special_days = service(acts.delete_special_days)
# The package's years with the reviewed corrections (勘误表): after every migrate and `onewindow calendar seed`.
seed_from_package = service(acts.seed_from_package)


def export_year(year: int) -> dict:
    """The year's arrangement in the JSON load format."""
    calendar_year = CalendarYear.objects.get(year=year)
    days = list(calendar_year.days.order_by("date"))
    return {
        "year": year,
        "source": calendar_year.source,
        "holidays": [{"date": d.date.isoformat(), "name": d.name} for d in days if d.kind == "holiday"],
        "workdays": [{"date": d.date.isoformat(), "name": d.name} for d in days if d.kind == "workday"],
    }
