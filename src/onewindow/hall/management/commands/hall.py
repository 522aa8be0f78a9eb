"""onewindow hall staffing|expire — Erlang C staffing from past days; marking missed bookings."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from onewindow.core.commands import OnewindowCommand
from onewindow.hall import erlang, selectors, services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”不是 YYYY-MM-DD 格式的有效日期", returncode=2) from None


def _positive(text: str, name: str, *, upper: float | None = None) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"{name}“{text}”不是数字", returncode=2) from None
    if value <= 0 or (upper is not None and value >= upper):
        bound = f"，且小于 {upper:g}" if upper is not None else ""
        raise CommandError(f"{name}须大于 0{bound}：{text}", returncode=2)
    return value


class Command(OnewindowCommand):
    help = "服务大厅：按历史到达率与办理时长测算每小时所需窗口数（Erlang C）；标记爽约预约。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        staffing = sub.add_parser("staffing", help="每小时需开放的窗口数，使等候超过目标的概率低于给定水平")
        staffing.add_argument("--hall", required=True, help="大厅编码")
        staffing.add_argument("--date", required=True, help="测算日期 YYYY-MM-DD（用此前的历史数据）")
        staffing.add_argument("--days", default="28", help="回看天数（默认 28）")
        staffing.add_argument("--target", default=None, help="等候目标（分钟，默认取大厅规则，20）")
        staffing.add_argument("--level", default="0.2", help="等候超过目标的最大概率（默认 0.2）")
        sub.add_parser("expire", help="把已过时段且未签到的预约标记为爽约")

    def handle(self, *args, action: str, **options):
        if action == "expire":
            self.stdout.write(f"标记爽约：{services.expire_appointments()} 个预约")
            return
        hall = selectors.get_hall(options["hall"])
        day = _date(options["date"])
        days = int(_positive(options["days"], "回看天数"))
        level = _positive(options["level"], "概率水平", upper=1)
        target = (
            _positive(options["target"], "等候目标")
            if options["target"] is not None
            else float(selectors.policy_for(hall.pk).wait_target_minutes)
        )
        used_days, history = selectors.hourly_history(hall, before=day, days=days)
        if not history:
            raise CommandError(f"{hall} 在 {day} 之前 {days} 天内没有取号记录，无法测算", returncode=2)
        self.stdout.write(
            f"{hall} {day.isoformat()}（{day:%a}）：依据 {len(used_days)} 天数据"
            f"（{used_days[0].isoformat()} 至 {used_days[-1].isoformat()}），"
            f"等候超过 {target:g} 分钟的概率 ≤ {level:g}"
        )
        self.stdout.write(f"{'时段':<12}{'到达/小时':>10}{'平均办理(分)':>14}{'需开窗口':>10}{'P(等候>目标)':>14}{'平均等候(分)':>14}")
        for row in history:
            staffing = erlang.windows_needed(
                row.arrivals_per_hour, row.service_minutes, target_minutes=target, max_probability=level
            )
            self.stdout.write(
                f"{row.hour:02d}:00-{row.hour + 1:02d}:00 {row.arrivals_per_hour:>10.1f}{row.service_minutes:>14.1f}"
                f"{staffing.windows:>10d}{staffing.prob_wait_longer:>14.3f}{staffing.average_wait_minutes:>14.1f}"
            )
        self.stdout.write(f"生成于 {timezone.localtime():%Y-%m-%d %H:%M}")
