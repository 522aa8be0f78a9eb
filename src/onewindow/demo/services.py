"""Demo writes: seed the district catalog once, run other apps' demo seeders once, keep the demo accounts."""

from __future__ import annotations

import importlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from onewindow.catalog.acts import create_staff
from onewindow.catalog.importexport import write_catalog
from onewindow.catalog.models import Department, ServiceItem
from onewindow.catalog.selectors import department_code_of
from onewindow.core import audit
from onewindow.core.acts import create_user
from onewindow.core.errors import Conflict
from onewindow.core.models import Role, User
from onewindow.demo.district import build_district, district_figures
from onewindow.demo.models import DemoSeed

PASSWORDS_FILE = "demo-passwords.txt"
# Login accounts per role in a few busy departments (window clerk, reviewer, leader).
STAFF_DEPARTMENTS = ("SCJ", "GH", "RS")


@dataclass(frozen=True)
class Account:
    """A demo login: the password is shown to whoever runs the demo on this machine, and kept in ./var/."""

    username: str
    password: str
    role: str
    department: str = ""
    created: bool = False


def passwords_path() -> Path:
    return Path(settings.VAR_DIR) / PASSWORDS_FILE


def _read_rows() -> dict[str, list[str]]:
    path = passwords_path()
    if not path.exists():
        return {}
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            username, password, role, department = (line.split("\t") + ["", "", ""])[:4]
            if username and password:
                rows[username] = [password, role, department]
    return rows


def read_passwords() -> dict[str, str]:
    """username → password from ./var/demo-passwords.txt (tab separated; # lines are comments), in file order."""
    return {username: row[0] for username, row in _read_rows().items()}


def _write_passwords(accounts: list[Account]) -> None:
    """Add or update these accounts in the passwords file, keeping the accounts already listed in their order."""
    rows = _read_rows()
    for account in accounts:
        if account.password:
            rows[account.username] = [account.password, str(account.role), account.department]
    lines = ["# 一窗通办演示账号：仅供本机演示使用。用户名\t密码\t角色\t部门"]
    lines += ["\t".join([username, *row]) for username, row in rows.items()]
    path = passwords_path()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))


def seeded(part: str) -> DemoSeed | None:
    return DemoSeed.objects.filter(part=part).first()


@transaction.atomic
def _record(part: str, *, seed: int, summary: dict, by: User | None) -> DemoSeed:
    record = DemoSeed.objects.create(part=part, seed=seed, summary=_json_safe(summary))
    audit.record("demo.seed", obj=record, by=by, after={"part": part, "seed": seed})
    return record


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
    with transaction.atomic():
        report = write_catalog(data, by=by)
        record = _record("catalog", seed=seed, summary={**district_figures(data), "import": report.counts()}, by=by)
    return record, True


def seed_optional(part: str, module: str, function: str, *, seed: int, by: User | None = None,
                  once: bool = True, **kwargs: Any) -> tuple[dict | None, bool, list[Account]]:
    """Run another app's demo seeder if that app ships one; `once` seeders are recorded and not run again.

    Returns (summary, ran, accounts it reports); (None, False, []) when the module does not exist.
    """
    seeder = _optional_seeder(module, function)
    if seeder is None:
        return None, False, []
    if once and (existing := seeded(part)):
        return existing.summary, False, []
    with transaction.atomic():
        summary = _json_safe(seeder(seed=seed, **kwargs) or {})
        accounts = accounts_from_summary(summary)
        if accounts:
            # Passwords stay in ./var/demo-passwords.txt, never in the database.
            summary["accounts"] = [{k: v for k, v in row.items() if k != "password"} for row in summary["accounts"]
                                   if isinstance(row, dict)]
        if once:
            _record(part, seed=seed, summary=summary, by=by)
    return summary, True, accounts


def _optional_seeder(module: str, function: str) -> Callable[..., dict] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        # Only the module itself being absent means "not installed"; a broken import inside it is an error.
        if exc.name and (module == exc.name or module.startswith(f"{exc.name}.")):
            return None
        raise
    return getattr(loaded, function)


def _new_password() -> str:
    return secrets.token_urlsafe(9)


@transaction.atomic
def ensure_account(username: str, *, role: str, department: Department | None = None, display_name: str = "",
                   superuser: bool = False, by: User | None = None) -> Account:
    """The demo account `username`: created once with a generated password; an existing user is left as it is."""
    stored = read_passwords().get(username, "")
    user = User.objects.filter(username=username).first()
    dept = department.code if department else ""
    if user is not None:
        return Account(username, stored, user.role, department_code_of(user))
    password = stored or _new_password()
    if superuser:
        create_user(username=username, role=role, by=by, display_name=display_name, password=password,
                    superuser=True)
    else:
        create_staff(username=username, role=role, department=department, by=by, display_name=display_name,
                     password=password)
    return Account(username, password, role, dept, created=True)


def ensure_admin() -> tuple[User, Account]:
    """The center administrator `admin` (superuser); its password is generated once and kept in ./var/."""
    account = ensure_account("admin", role=Role.ADMIN, display_name="中心管理员", superuser=True)
    _write_passwords([account])
    return User.objects.get(username="admin"), account


def ensure_staff_accounts(*, by: User | None = None) -> list[Account]:
    """Login accounts for every staff role: a clerk, reviewer and leader in a few departments, the 综合窗口, a supervisor."""
    specs: list[tuple[str, Role, str, str]] = [
        ("window", Role.CLERK, "", "综合窗口人员"),
        ("supervisor", Role.SUPERVISOR, "", "中心督查员"),
    ]
    labels = {Role.CLERK: "窗口人员", Role.REVIEWER: "审核人员", Role.LEADER: "负责人"}
    for code in STAFF_DEPARTMENTS:
        for role in (Role.CLERK, Role.REVIEWER, Role.LEADER):
            specs.append((f"{code.lower()}-{role}", role, code, labels[role]))
    specs.append(("citizen", Role.CITIZEN, "", "演示群众"))
    departments = {d.code: d for d in Department.objects.filter(code__in=STAFF_DEPARTMENTS)}
    accounts = []
    for username, role, code, label in specs:
        department = departments.get(code) if code else None
        if code and department is None:
            continue
        name = f"{department.short_name}{label}" if department else label
        accounts.append(ensure_account(username, role=role, department=department, display_name=name, by=by))
    _write_passwords(accounts)
    return accounts


def accounts_from_summary(summary: dict) -> list[Account]:
    """Accounts another seeder reports as `accounts: [{username, password, role, department}]`, if any."""
    rows = summary.get("accounts") if isinstance(summary, dict) else None
    found = []
    for row in rows or []:
        if isinstance(row, dict) and row.get("username") and row.get("password"):
            found.append(Account(str(row["username"]), str(row["password"]), str(row.get("role", "")),
                                 str(row.get("department", "") or "")))
    if found:
        _write_passwords(found)
    return found


def listed_accounts() -> list[Account]:
    """The accounts in ./var/demo-passwords.txt that exist in this database, in the file's order."""
    passwords = read_passwords()
    users = {u.username: u for u in User.objects.filter(username__in=list(passwords))
             .select_related("assignment__department")}
    return [Account(username, password, users[username].role, department_code_of(users[username]))
            for username, password in passwords.items() if username in users]
