"""onewindow demo — migrate, seed the 渝中区 demo district once, create the demo accounts, and serve it."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onewindow.catalog.models import Department
from onewindow.core.commands import OnewindowCommand
from onewindow.core.links import remember_served_address, served_address
from onewindow.core.models import Role
from onewindow.demo import forms, services
from onewindow.demo.district import CENTER_NAME
from onewindow.demo.forms_data import theme_item_names, top_item_names
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


# The figures the other apps' seeders report, in words: each key its sentence; a key not listed here is left out
# of the printed summary (lists and tables — states, lights, accounts — are not printed either).
_SEEDER_LABELS = {
    "terms": "已设置有效期的事项 {} 个",
    "cases": "演示办件共 {} 件", "created": "本次新建 {} 件", "already_there": "已有 {} 件",
    "skipped_beyond_calendar": "超出工作日历而跳过 {} 件",
    "packages": "一件事办件共 {} 件", "packages_submitted": "已提交 {} 件", "packages_correction_requested": "待补正 {} 件",
    "packages_accepted": "并联审批中 {} 件", "packages_decided": "已决定 {} 件", "packages_delivered": "已送达 {} 件",
    "packages_not_accepted": "不予受理 {} 件", "finished": "已办结 {} 件", "average_working_days": "平均用时 {} 个工作日",
    "average_serial_days": "逐个办理合计平均 {} 个工作日", "saving": "时间缩短 {:.1%}",
    "halls": "服务大厅 {} 个", "categories": "业务类别 {} 个", "windows": "窗口 {} 个", "open_windows": "开放窗口 {} 个",
    "tickets": "今日新取号 {} 张", "appointments": "预约 {} 个", "found_items": "失物招领 {} 件",
    "note": "{}",
}


# What one run did: meaningless when the stored summary of an earlier run is shown again.
_THIS_RUN = {"created", "already_there"}


def _summary_line(summary: dict, *, ran: bool = True) -> str:
    """A seeder's summary as Chinese sentences, in the order it reports them; `ran` False: an earlier run's."""
    parts = [_SEEDER_LABELS[key].format(value) for key, value in summary.items()
             if key in _SEEDER_LABELS and (ran or key not in _THIS_RUN)
             and isinstance(value, int | float | str) and not isinstance(value, bool)]
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

        # Before the cases, bundles and hall: they take these accounts as their clerks and reviewers, so every
        # department that can receive a case has people who can sign in and handle it.
        services.ensure_staff_accounts(by=admin)
        out("演示账号：每个有事项的部门都有窗口人员和审核人员")

        # Before the cases: their issued licences enter the register with the items' validity.
        licences, ran, _ = services.seed_optional(
            "licences", "onewindow.licences.demo", "seed_licences_demo", seed=seed, by=admin
        )
        if licences is not None:
            out(("证照：已设置证照有效期：" if ran else "证照：复用已有证照有效期：") + _summary_line(licences, ran=ran))

        # Before the cases and packages: the single cases of the items most applied for and of the themes' items
        # answer their forms, and the 一件事 packages answer their theme's one form (一表申请).
        summary, ran = services.seed_forms("forms", top_item_names(), seed=seed, by=admin)
        out(("电子申请表：" if ran else "电子申请表：复用已有") + f"申请量前十事项的申请表 {len(top_item_names())} 张")
        summary, ran = services.seed_forms("forms_themes", theme_item_names(), seed=seed, by=admin)
        out(("电子申请表：" if ran else "电子申请表：复用已有") + f"一件事主题事项的申请表 {len(theme_item_names())} 张，"
            "共享数据元在一件事申请表中只填一次")

        cases, ran, _ = services.seed_optional(
            "cases", "onewindow.cases.demo", "seed_cases_demo", seed=seed, by=admin, answers=forms.case_answers
        )
        if cases is None:
            out("办件：本版本未包含办件演示数据，跳过")
        else:
            out(("办件：已生成演示办件：" if ran else "办件：复用已有演示办件：") + _summary_line(cases, ran=ran))

        bundles, ran, _ = services.seed_optional(
            "bundles", "onewindow.bundles.demo", "seed_bundles_demo", seed=seed, by=admin, answers=forms.case_answers
        )
        if bundles is None:
            out("一件事：本版本未包含一件事演示数据，跳过")
        else:
            out(("一件事：已生成演示件：" if ran else "一件事：复用已有演示件：") + _summary_line(bundles, ran=ran))

        hall, ran, _ = services.seed_optional(
            "hall", "onewindow.hall.demo", "seed_hall_demo", seed=seed, by=admin, once=False
        )
        if hall is None:
            out("大厅：本版本未包含大厅演示数据，跳过")
        else:
            out("大厅：排队叫号演示数据已就绪（只补充缺少的部分）：" + _summary_line(hall))

        self._print_accounts()
        base = served_address(host, port)
        if not settings.PUBLIC_BASE_URL:
            # Links and QR codes made outside a request (a document rendered by a background job) point here;
            # pages and notices printed from a page use the address the visitor reached.
            remember_served_address(base)
        self._print_urls(base, host)
        if no_serve:
            return
        out(f"正在启动服务：{base}/ （按 Ctrl+C 停止）")
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # The embedded mode's periodic work (alert sweep, webhook retries) runs beside the server.
        start_embedded_scheduler()
        # DEBUG stays off; --insecure makes runserver serve the static files (CSS, JS) itself.
        call_command("runserver", address, use_reloader=False, insecure_serving=True)

    def _print_accounts(self) -> None:
        out = self.stdout.write
        groups = account_groups(services.listed_accounts())
        out(f"演示账号（用户名、密码；密码另存于 {services.passwords_path()}）：")
        for title, lines in groups:
            out(f"  {title}")
            for line in lines:
                out(f"    {line}")
        locked = services.service_account_count()
        if locked:
            out(f"  另有 {locked} 个系统服务账号（一件事联办等）不能登录，无需密码")

    def _print_urls(self, base: str, host: str) -> None:
        out = self.stdout.write
        out("访问地址：")
        out(f"  事项目录   {_url(base, 'catalog:home', '/')}")
        out(f"  管理后台   {base}/admin/")
        out(f"  API 文档   {base}/api/v1/docs")
        if settings.PUBLIC_BASE_URL:
            out(f"  二维码和链接指向 PUBLIC_BASE_URL：{settings.PUBLIC_BASE_URL}")
        else:
            out(f"  二维码和链接指向访问者所用的地址（本机为 {base}）；可用环境变量 PUBLIC_BASE_URL 固定")
        if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::") and host not in settings.ALLOWED_HOSTS:
            out(f"  注意：{host} 不在 ALLOWED_HOSTS 中，请设置环境变量 ALLOWED_HOSTS")


_ROLE_WORDS = {Role.CLERK: "窗口人员", Role.REVIEWER: "审核人员", Role.LEADER: "负责人"}


def account_groups(accounts: list[services.Account]) -> list[tuple[str, list[str]]]:
    """The demo accounts as printed: (group title, lines), in Chinese — the center's accounts, one line per
    department (clerk, reviewer, leader), the citizens, and any other account a seeder reported."""
    names = dict(Department.objects.filter(code__in={a.department for a in accounts if a.department})
                 .values_list("code", "short_name"))
    center, citizens, others = [], [], []
    departments: dict[str, list[str]] = {}
    for account in accounts:
        role = Role(account.role).label if account.role in Role.values else account.role
        login = f"{account.username:<14} 密码 {account.password}"
        if account.department and account.role in _ROLE_WORDS:
            departments.setdefault(account.department, []).append(
                f"{_ROLE_WORDS[Role(account.role)]} {account.username} 密码 {account.password}")
        elif account.role == Role.CITIZEN:
            citizens.append(f"{login}   {role}（实名，可网上申报）")
        elif account.role in (Role.ADMIN, Role.SUPERVISOR) or account.username == "window":
            center.append(f"{login}   {_CENTER_NOTES.get(account.username, role)}")
        else:
            others.append(f"{login}   {role}")
    groups = [("中心", center),
              ("各部门（窗口人员受理、补正、出证送达；审核人员审查决定；负责人延期、终止；大厅本部门窗口由窗口人员操作）",
               [f"{names.get(code) or code}（{code}）：" + "；".join(lines) for code, lines in departments.items()]),
              ("办事群众", citizens), ("其他账号", others)]
    return [(title, lines) for title, lines in groups if lines]


_CENTER_NOTES = {
    "admin": "中心管理员（管理后台；可查看全部办件，办理由各部门人员进行）",
    "supervisor": "中心督查人员（电子监察）",
    "window": "综合窗口人员（一窗受理中心统一受理的事项；大厅综合窗口）",
}
