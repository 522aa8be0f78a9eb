"""The demo's login accounts and ./var/demo-passwords.txt, the one place their passwords are kept (never the
database): read it, add to it, list the accounts it names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from onewindow.catalog.selectors import department_code_of
from onewindow.core.models import User

PASSWORDS_FILE = "demo-passwords.txt"


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


def write_passwords(accounts: list[Account]) -> None:
    """Add or update these accounts in the passwords file, keeping the accounts already listed in their order.

    Called inside the transaction that creates the accounts, before it commits: if the commit fails, the next run
    finds the password in the file and gives it to the account it creates then.
    """
    rows = _read_rows()
    for account in accounts:
        if account.password:
            rows[account.username] = [account.password, str(account.role), account.department]
    lines = ["# 一窗通办演示账号：仅供本机演示使用。用户名\t密码\t角色\t部门"]
    lines += ["\t".join([username, *row]) for username, row in rows.items()]
    path = passwords_path()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


def accounts_from_summary(summary: dict) -> list[Account]:
    """Accounts another seeder reports as `accounts: [{username, password, role, department}]`, if any; their
    passwords are added to the file."""
    rows = summary.get("accounts") if isinstance(summary, dict) else None
    found = []
    for row in rows or []:
        if isinstance(row, dict) and row.get("username") and row.get("password"):
            found.append(Account(str(row["username"]), str(row["password"]), str(row.get("role", "")),
                                 str(row.get("department", "") or "")))
    if found:
        write_passwords(found)
    return found


def listed_accounts() -> list[Account]:
    """The accounts in ./var/demo-passwords.txt that exist in this database, in the file's order."""
    passwords = read_passwords()
    users = {u.username: u for u in User.objects.filter(username__in=list(passwords))
             .select_related("assignment__department")}
    return [Account(username, password, users[username].role, department_code_of(users[username]))
            for username, password in passwords.items() if username in users]
