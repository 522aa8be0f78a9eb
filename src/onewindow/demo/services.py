"""The demo's seeding steps (演示数据): each one public service, one durable transaction composing acts — the
district catalog, another app's demo seeder, the administrator, the staff accounts. A step that fails leaves
nothing of itself behind; the steps before it stay.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from onewindow.cases.demo import citizen_identity, citizen_mobile
from onewindow.catalog.importexport import write_catalog
from onewindow.catalog.models import Department, ServiceItem
from onewindow.core.errors import Conflict
from onewindow.core.kit import service
from onewindow.core.models import Role, User
from onewindow.demo import acts, forms
from onewindow.demo.accounts import Account as Account
from onewindow.demo.accounts import accounts_from_summary, write_passwords
from onewindow.demo.accounts import listed_accounts as listed_accounts
from onewindow.demo.accounts import passwords_path as passwords_path
from onewindow.demo.accounts import read_passwords as read_passwords
from onewindow.demo.district import build_district, district_figures
from onewindow.demo.models import DemoSeed

# Login accounts per role in a few busy departments (window clerk, reviewer, leader).
STAFF_DEPARTMENTS = ("SCJ", "GH", "RS")


def seeded(part: str) -> DemoSeed | None:
    return DemoSeed.objects.filter(part=part).first()


@service
def seed_catalog(*, seed: int, by: User | None = None) -> tuple[DemoSeed, bool]:
    """Import the demo district (all or nothing) unless it is already there; returns (record, created)."""
    existing = seeded("catalog")
    if existing:
        return existing, False
    count = ServiceItem.objects.count()
    if count:
        raise Conflict(
            f"数据库里已有 {count} 个事项，不是演示命令生成的；演示命令不会改动它们。"
            "请改用空数据库（例如设置 ONEWINDOW_VAR_DIR 指向新目录）"
        )
    data = build_district(seed)
    report = write_catalog(data, by=by)
    summary = {**district_figures(data), "import": report.counts()}
    return acts.record_seed("catalog", seed=seed, summary=summary, by=by), True


@service
def seed_optional(part: str, module: str, function: str, *, seed: int, by: User | None = None,
                  once: bool = True, **kwargs: Any) -> tuple[dict | None, bool, list[Account]]:
    """Run another app's demo seeder if that app ships one; `once` seeders are recorded and not run again.

    The seeder composes its app's acts inside this transaction. Returns (summary, ran, accounts it reports);
    (None, False, []) when the module does not exist.
    """
    seeder = _optional_seeder(module, function)
    if seeder is None:
        return None, False, []
    if once and (existing := seeded(part)):
        return existing.summary, False, []
    summary = acts.json_safe(seeder(seed=seed, **kwargs) or {})
    accounts = accounts_from_summary(summary)
    if accounts:
        # Passwords stay in ./var/demo-passwords.txt, never in the database.
        summary["accounts"] = [{k: v for k, v in row.items() if k != "password"} for row in summary["accounts"]
                               if isinstance(row, dict)]
    if once:
        acts.record_seed(part, seed=seed, summary=summary, by=by)
    return summary, True, accounts


@service
def seed_forms(part: str, names: Sequence[str], *, seed: int, by: User | None = None) -> tuple[dict, bool]:
    """The demo's application forms (电子申请表) of the items `names`, each going online as its item's next version,
    once per `part`; returns (summary, ran)."""
    if existing := seeded(part):
        return existing.summary, False
    summary = forms.seed_forms(names, by=by)
    acts.record_seed(part, seed=seed, summary=summary, by=by)
    return summary, True


def _optional_seeder(module: str, function: str) -> Callable[..., dict] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        # Only the module itself being absent means "not installed"; a broken import inside it is an error.
        if exc.name and (module == exc.name or module.startswith(f"{exc.name}.")):
            return None
        raise
    return getattr(loaded, function)


@service
def ensure_admin() -> tuple[User, Account]:
    """The center administrator `admin` (superuser); its password is generated once and kept in ./var/."""
    account = acts.ensure_account("admin", role=Role.ADMIN, display_name="中心管理员", superuser=True)
    write_passwords([account])
    return User.objects.get(username="admin"), account


def service_account_count() -> int:
    """Accounts that cannot sign in (一件事联办 agents, helpers another seeder made): not demo logins."""
    return User.objects.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX).count()


def staffed_departments() -> list[Department]:
    """The departments the demo staffs: every one with a published item, since any of its items can receive a
    case (at the window, or online for the items that accept online applications)."""
    return list(Department.objects.filter(items__published_version__isnull=False).distinct()
                .order_by("sort_order", "code"))


@service
def ensure_staff_accounts(*, by: User | None = None) -> list[Account]:
    """Login accounts for every staff role, so that no application dead-ends: a window clerk (受理) and a reviewer
    (审查决定) in every department with published items, a leader in a few busy ones, the 综合窗口, a supervisor,
    and three citizens (实名)."""
    specs: list[tuple[str, Role, Department | None, str]] = [
        ("window", Role.CLERK, None, "综合窗口人员"),
        ("supervisor", Role.SUPERVISOR, None, "中心督查员"),
    ]
    labels = {Role.CLERK: "窗口人员", Role.REVIEWER: "审核人员", Role.LEADER: "负责人"}
    for staffed in staffed_departments():
        roles = [Role.CLERK, Role.REVIEWER] + ([Role.LEADER] if staffed.code in STAFF_DEPARTMENTS else [])
        specs += [(f"{staffed.code.lower()}-{role}", role, staffed, labels[role]) for role in roles]
    specs += [("citizen", Role.CITIZEN, None, "演示群众"), ("citizen2", Role.CITIZEN, None, "演示群众二"),
              ("citizen3", Role.CITIZEN, None, "演示群众三")]
    accounts = []
    for username, role, department, label in specs:
        name = f"{department.short_name or department.name}{label}" if department else label
        citizen = role == Role.CITIZEN  # citizens are 实名, with their own mobile (both prefilled on forms)
        accounts.append(acts.ensure_account(username, role=role, department=department, display_name=name, by=by,
                                            identity_number=citizen_identity(username) if citizen else "",
                                            mobile=citizen_mobile(username) if citizen else ""))
    write_passwords(accounts)
    return accounts
