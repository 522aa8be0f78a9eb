"""onewindow demo — migrate, seed the 渝中区 demo district once, create the demo accounts, and serve it."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onewindow.core.commands import OnewindowCommand
from onewindow.core.models import Role
from onewindow.demo import services
from onewindow.demo.district import CENTER_NAME
from onewindow.scheduler import start_embedded_scheduler
from onewindow.workdays.services import seed_from_package

_HOST = re.compile(r"^[A-Za-z0-9.\-:]+$")
_FIGURE_LABELS = (
    ("departments", "部门"),
    ("with_approval_functions", "有审批职能"),
    ("functions_concentrated", "审批职能集中"),
    ("unit_stationed", "审批科室进驻"),
    ("window_authorized", "窗口授权到位"),
    ("street_centers", "街道便民服务中心"),
    ("communities", "社区便民服务站"),
    ("self_service_areas", "自助服务区"),
    ("items", "事项"),
    ("instant_items", "即办件"),
    ("themes", "一件事主题"),
)


def _url(base: str, name: str, fallback: str) -> str:
    try:
        return base + reverse(name)
    except NoReverseMatch:
        return base + fallback


# Labels for the figures the cases and hall seeders report; an unknown key is shown as it is.
_SEEDER_LABELS = {
    "cases": "办件", "created": "新建", "already_there": "已有", "skipped_beyond_calendar": "超出日历跳过",
    "halls": "大厅", "categories": "业务类别", "windows": "窗口", "open_windows": "开放窗口", "tickets": "新取号",
    "appointments": "预约", "found_items": "失物招领", "packages": "一件事办件", "terms": "事项",
}


def _summary_line(summary: dict) -> str:
    parts = [f"{_SEEDER_LABELS.get(key, key)} {value}" for key, value in summary.items()
             if isinstance(value, int | float | str) and not isinstance(value, bool)]
    return "，".join(parts) or "完成"


class Command(OnewindowCommand):
    help = "演示：建库迁移，生成渝中区演示数据（只生成一次），创建演示账号，并在本机启动服务。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="随机种子（仅首次生成时生效，默认 2018）")
        parser.add_argument("--no-serve", action="store_true", help="生成数据后退出，不启动服务")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")

    def handle(self, *args, seed: int, no_serve: bool, port: int, host: str, **options):
        if seed < 0:
            raise CommandError(f"随机种子应为非负整数：{seed}", returncode=2)
        if not 1 <= port <= 65535:
            raise CommandError(f"端口应在 1–65535 之间：{port}", returncode=2)
        if not _HOST.match(host):
            raise CommandError(f"监听地址无效：{host!r}", returncode=2)
        out = self.stdout.write

        call_command("migrate", interactive=False, verbosity=0)
        out("数据库：已迁移到最新结构")
        added = seed_from_package()
        out("工作日历：" + (f"新载入 {added[0]}–{added[-1]} 年" if added else "已载入，复用"))

        admin, _ = services.ensure_admin()
        record, created = services.seed_catalog(seed=seed, by=admin)
        figures = "，".join(f"{label} {record.summary[key]}" for key, label in _FIGURE_LABELS if key in record.summary)
        timing = (f"平均承诺时限 {record.summary['average_promised_days']} 个工作日，"
                  f"平均法定时限 {record.summary['average_statutory_days']} 个工作日，"
                  f"压缩 {record.summary['compression']:.1%}")
        if created:
            out(f"事项清单：已生成{CENTER_NAME}演示数据（种子 {seed}）：{figures}；{timing}")
        else:
            when = timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M")
            out(f"事项清单：复用已有演示数据（种子 {record.seed}，{when} 生成），未重新生成：{figures}")

        # Before the cases: their issued licences enter the register with the items' validity.
        licences, ran, _ = services.seed_optional(
            "licences", "onewindow.licences.demo", "seed_licences_demo", seed=seed, by=admin
        )
        if licences is not None:
            out(("证照：已设置证照有效期：" if ran else "证照：复用已有证照有效期：") + _summary_line(licences))

        cases, ran, case_accounts = services.seed_optional(
            "cases", "onewindow.cases.demo", "seed_cases_demo", seed=seed, by=admin
        )
        if cases is None:
            out("办件：本版本未包含办件演示数据，跳过")
        else:
            out(("办件：已生成演示办件：" if ran else "办件：复用已有演示办件：") + _summary_line(cases))
        if not (case_accounts or (cases or {}).get("accounts")):
            services.ensure_staff_accounts(by=admin)

        bundles, ran, _ = services.seed_optional(
            "bundles", "onewindow.bundles.demo", "seed_bundles_demo", seed=seed, by=admin
        )
        if bundles is None:
            out("一件事：本版本未包含一件事演示数据，跳过")
        else:
            out(("一件事：已生成演示件：" if ran else "一件事：复用已有演示件：") + _summary_line(bundles))

        hall, ran, _ = services.seed_optional(
            "hall", "onewindow.hall.demo", "seed_hall_demo", seed=seed, by=admin, once=False
        )
        if hall is None:
            out("大厅：本版本未包含大厅演示数据，跳过")
        else:
            out("大厅：排队叫号演示数据已就绪（只补充缺少的部分）：" + _summary_line(hall))

        self._print_accounts()
        self._print_urls(host, port)
        if no_serve:
            return
        out(f"正在启动服务：http://{self._display_host(host)}:{port}/ （按 Ctrl+C 停止）")
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # The embedded mode's periodic work (alert sweep, webhook retries) runs beside the server.
        start_embedded_scheduler()
        # DEBUG stays off; --insecure makes runserver serve the static files (CSS, JS) itself.
        call_command("runserver", address, use_reloader=False, insecure_serving=True)

    def _print_accounts(self) -> None:
        out = self.stdout.write
        out(f"演示账号（密码保存在 {services.passwords_path()}）：")
        for account in services.listed_accounts():
            role = Role(account.role).label if account.role in Role.values else account.role
            department = f"（{account.department}）" if account.department else ""
            out(f"  {account.username:<16} 密码 {account.password:<16} {role}{department}")

    @staticmethod
    def _display_host(host: str) -> str:
        if host in ("0.0.0.0", "::"):
            return "127.0.0.1"
        return f"[{host}]" if ":" in host else host

    def _print_urls(self, host: str, port: int) -> None:
        base = f"http://{self._display_host(host)}:{port}"
        out = self.stdout.write
        out("访问地址：")
        out(f"  事项目录   {_url(base, 'catalog:home', '/')}")
        out(f"  管理后台   {base}/admin/")
        out(f"  API 文档   {base}/api/v1/docs")
        if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::") and host not in settings.ALLOWED_HOSTS:
            out(f"  注意：{host} 不在 ALLOWED_HOSTS 中，请设置环境变量 ALLOWED_HOSTS")
