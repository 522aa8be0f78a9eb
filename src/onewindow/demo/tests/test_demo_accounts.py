"""Demo accounts: generated once, kept in ./var/demo-passwords.txt, reused; other apps' seeders run once."""

from __future__ import annotations

import sys
import types

import pytest
from django.contrib.auth import authenticate

from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory
from onewindow.core.models import DEPARTMENT_ROLES, STAFF_ROLES, Role, User
from onewindow.demo import services
from onewindow.demo.models import DemoSeed


@pytest.fixture(autouse=True)
def fresh_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@pytest.mark.django_db
def test_the_admin_password_is_generated_once_and_then_reused():
    admin, account = services.ensure_admin()
    again_admin, again = services.ensure_admin()
    assert admin.pk == again_admin.pk and admin.is_superuser and admin.role == Role.ADMIN
    assert account.created and not again.created
    assert again.password == account.password == services.read_passwords()["admin"]
    assert authenticate(username="admin", password=account.password) == admin


@pytest.mark.django_db
def test_an_admin_made_by_hand_keeps_its_password():
    User.objects.create_superuser("admin", password="自己设的口令")
    _, account = services.ensure_admin()
    assert account.password == ""
    assert authenticate(username="admin", password="自己设的口令") is not None


@pytest.mark.django_db
def test_staff_accounts_cover_every_staff_role_and_every_department_that_has_items():
    for code in (*services.STAFF_DEPARTMENTS, "GA"):
        ServiceItemFactory(department=DepartmentFactory(code=code, name=f"区{code}局", short_name=code))
    DepartmentFactory(code="SJ", name="区审计局", short_name="审计")  # no items: nothing to handle, nobody
    services.ensure_admin()
    accounts = services.ensure_staff_accounts()
    roles = {a.role for a in accounts}
    assert STAFF_ROLES - {Role.ADMIN} <= roles and Role.CITIZEN in roles
    for role in (Role.CLERK, Role.REVIEWER):
        departments = {a.department for a in accounts if a.role == role and a.department}
        assert departments == {*services.STAFF_DEPARTMENTS, "GA"}, role
    leaders = {a.department for a in accounts if a.role == Role.LEADER}
    assert leaders == set(services.STAFF_DEPARTMENTS)
    assert {Role.CLERK, Role.REVIEWER, Role.LEADER} == DEPARTMENT_ROLES
    assert any(a.role == Role.CLERK and not a.department for a in accounts), "a 综合窗口 clerk serves every department"
    listed = {a.username: a.password for a in services.listed_accounts()}
    assert {a.username for a in accounts} | {"admin"} == set(listed)
    clerk = authenticate(username="ga-clerk", password=listed["ga-clerk"])
    assert clerk.role == Role.CLERK and clerk.assignment.department.code == "GA"
    assert services.ensure_staff_accounts() == [
        services.Account(a.username, a.password, a.role, a.department) for a in accounts
    ], "a second call creates nobody and keeps every password"


@pytest.mark.django_db
def test_an_optional_seeder_runs_once_and_records_its_seed(monkeypatch):
    calls = []
    module = types.ModuleType("onewindow_fake_demo")
    module.seed_fake_demo = lambda *, seed: calls.append(seed) or {"made": 2}
    monkeypatch.setitem(sys.modules, "onewindow_fake_demo", module)
    first = services.seed_optional("fake", "onewindow_fake_demo", "seed_fake_demo", seed=5)
    second = services.seed_optional("fake", "onewindow_fake_demo", "seed_fake_demo", seed=6)
    assert calls == [5]
    assert first == ({"made": 2}, True, []) and second == ({"made": 2}, False, [])
    assert DemoSeed.objects.get(part="fake").seed == 5


def test_a_missing_app_means_skip_but_a_broken_import_inside_the_seeder_is_an_error(tmp_path, monkeypatch):
    assert services._optional_seeder("onewindow.nosuchapp.demo", "seed_nosuchapp_demo") is None
    (tmp_path / "onewindow_broken_demo.py").write_text("import onewindow_missing_dependency\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="onewindow_missing_dependency"):
        services._optional_seeder("onewindow_broken_demo", "seed")
