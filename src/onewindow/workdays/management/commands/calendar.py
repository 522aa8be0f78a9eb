"""onewindow calendar due|between|check|load|export|seed — the working-day calendar from the shell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import CommandError

from onewindow.core.commands import OnewindowCommand
from onewindow.workdays import selectors, services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”不是 YYYY-MM-DD 格式的有效日期", returncode=2) from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"工作日数“{text}”不是整数", returncode=2) from None
    if value < 0:
        raise CommandError(f"工作日数不能为负数：{value}", returncode=2)
    return value


class Command(OnewindowCommand):
    help = "工作日历：计算到期日、工作日数，载入某年的节假日安排。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        due = sub.add_parser("due", help="起算日之后第 N 个工作日")
        due.add_argument("start")
        due.add_argument("days")
        between = sub.add_parser("between", help="start < d <= end 的工作日数")
        between.add_argument("start")
        between.add_argument("end")
        check = sub.add_parser("check", help="workday 或 holiday")
        check.add_argument("day")
        load = sub.add_parser("load", help="从 JSON 或 CSV 文件载入一年的节假日安排（全部或全不）")
        load.add_argument("file")
        load.add_argument("--replace", action="store_true", help="覆盖已载入的年度")
        export = sub.add_parser("export", help="以 JSON 载入格式输出某年的安排")
        export.add_argument("year", type=int)
        sub.add_parser("seed", help="载入 chinesecalendar 数据包覆盖的所有年份（已载入的跳过）")
        sub.add_parser("years", help="列出已载入的年份")

    def handle(self, *args, action: str, **options):
        if action == "due":
            start, days = _date(options["start"]), _days(options["days"])
            self.stdout.write(selectors.due_date(start, days).isoformat())
        elif action == "between":
            start, end = _date(options["start"]), _date(options["end"])
            self.stdout.write(str(selectors.working_days_between(start, end)))
        elif action == "check":
            day = _date(options["day"])
            self.stdout.write("workday" if selectors.is_working_day(day) else "holiday")
        elif action == "load":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"文件不存在：{path}", returncode=2)
            parsed = services.parse_year_file(path.name, path.read_bytes())
            services.load_year(parsed, replace=options["replace"])
            self.stdout.write(f"已载入 {parsed.year} 年：{len(parsed.days)} 个特殊日期")
        elif action == "export":
            try:
                data = services.export_year(options["year"])
            except services.CalendarYear.DoesNotExist:
                raise CommandError(f"{options['year']}年尚未载入", returncode=2) from None
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif action == "seed":
            added = services.seed_from_package()
            self.stdout.write("新载入：" + (", ".join(map(str, added)) if added else "无（均已载入）"))
        elif action == "years":
            self.stdout.write(" ".join(str(y) for y in sorted(selectors.get_calendar().years)))
