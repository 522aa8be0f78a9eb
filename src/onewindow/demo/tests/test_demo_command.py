"""`onewindow demo --no-serve` seeds the district once, reuses it on a second run, and prints the accounts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Avg, Sum

from onewindow.catalog.models import (
    Department,
    Hall,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.catalog.tests.factories import ServiceItemFactory
from onewindow.core import links
from onewindow.core.identity import normalize_mobile
from onewindow.core.models import Role, User
from onewindow.demo import services
from onewindow.demo.forms_data import theme_item_names, top_item_names
from onewindow.demo.management.commands.demo import Command
from onewindow.demo.models import DemoSeed
from onewindow.forms.models import FormVersion

COUNTED = (Department, ServicePoint, Hall, ServiceItem, ItemVersion, Material, Step, Theme, ThemeItem, User, DemoSeed)


@pytest.fixture
def demo_env(settings, tmp_path, monkeypatch):
    """A fresh ./var/, fast password hashing, and stand-in cases, bundles and hall seeders that count calls."""
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    calls: dict[str, list[int]] = {"licences": [], "cases": [], "bundles": [], "hall": []}

    def seed_licences_demo(*, seed: int) -> dict:
        calls["licences"].append(seed)
        return {"terms": 4}

    def forms_online() -> set[str]:
        return set(FormVersion.objects.values_list("item_version__name", flat=True))

    def seed_cases_demo(*, seed: int, answers) -> dict:
        calls["cases"].append(seed)
        assert callable(answers), "the demo gives the cases seeder the answers to the items' forms"
        assert forms_online() == set(top_item_names()) | set(theme_item_names()), (
            "single cases on the themes' items answer their forms too")
        User.objects.create_user("case-clerk", password="案件演示口令", role=Role.CLERK)
        return {"cases": 3, "accounts": [{"username": "case-clerk", "password": "案件演示口令", "role": "clerk"}]}

    def seed_bundles_demo(*, seed: int, answers) -> dict:
        calls["bundles"].append(seed)
        assert callable(answers) and set(theme_item_names()) <= forms_online(), (
            "the packages answer their theme's one form (一表申请)")
        return {"packages": 2, "packages_submitted": 1, "packages_delivered": 1, "saving": 0.5,
                "states": {"submitted": 1}}

    def seed_hall_demo(*, seed: int) -> dict:
        calls["hall"].append(seed)
        return {"tickets": 5, "windows": 9, "users_created": []}

    fakes = {"onewindow.licences.demo": seed_licences_demo, "onewindow.cases.demo": seed_cases_demo, "onewindow.bundles.demo": seed_bundles_demo,
             "onewindow.hall.demo": seed_hall_demo}
    # The real seeders are tested in their own apps; stand-ins keep this test to one catalog import.
    monkeypatch.setattr(services, "_optional_seeder", lambda module, function: fakes[module])
    return calls


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_running_the_demo_twice_seeds_once_reuses_the_data_and_prints_the_accounts(demo_env, settings):
    first = _run()
    counts = _counts()
    second = _run("--seed", "7")

    assert _counts() == counts, "the second run changed the database"
    assert "已生成渝中区行政服务中心演示数据（种子 2018）" in first
    assert "复用已有演示数据（种子 2018" in second
    assert demo_env == {"licences": [2018], "cases": [2018], "bundles": [2018], "hall": [2018, 7]}, (
        "cases and packages seed once; the hall seeder tops up every run"
    )
    assert "一件事：已生成演示件" in first and "一件事：复用已有演示件" in second

    # The district as imported: the 两集中两到位 figures, items published as version 1 but those whose application
    # form went online as version 2 (电子申请表), four themes.
    assert Department.objects.count() == 30
    assert Department.objects.filter(has_approval_functions=True).count() == 27
    assert Department.objects.filter(functions_concentrated=True).count() == 22
    assert Department.objects.filter(unit_stationed=True).count() == 13
    assert Department.objects.filter(window_authorized=True).count() == 15
    assert ServicePoint.objects.filter(level="street").count() == 11
    assert ServiceItem.objects.count() >= 560
    assert not ServiceItem.objects.filter(published_version__isnull=True).exists()
    published = ItemVersion.objects.filter(pk__in=ServiceItem.objects.values("published_version"))
    assert published.filter(status=ItemVersion.Status.PUBLISHED).count() == ServiceItem.objects.count()
    with_form = set(top_item_names()) | set(theme_item_names())
    assert set(published.exclude(number=1).values_list("name", flat=True)) == with_form
    assert set(published.filter(form__isnull=False).values_list("name", flat=True)) == with_form
    assert "电子申请表：申请量前十事项的申请表 10 张" in first and "电子申请表：复用已有" in second
    assert 9.0 <= published.aggregate(a=Avg("promised_days"))["a"] <= 10.0
    totals = published.aggregate(p=Sum("promised_days"), s=Sum("statutory_days"))
    assert 0.45 <= 1 - totals["p"] / totals["s"] <= 0.60
    assert Theme.objects.count() == 4 and ThemeItem.objects.filter(requires__isnull=False).exists()

    # Accounts: admin's password generated once, kept in ./var/, printed on both runs, and it works.
    passwords = services.read_passwords()
    assert (settings.VAR_DIR / "demo-passwords.txt").stat().st_mode & 0o077 == 0
    for output in (first, second):
        assert f"admin          密码 {passwords['admin']}" in output
        assert "case-clerk" in output and "/admin/" in output and "/api/v1/docs" in output
    assert authenticate(username="admin", password=passwords["admin"]).is_superuser
    for username, password in passwords.items():
        assert password in first, f"the password of {username} is not printed"
    assert "市场监管（SCJ）：窗口人员 scj-clerk" in first and "办事群众" in first
    citizens = User.objects.filter(username__in=["citizen", "citizen2", "citizen3"])
    mobiles = [normalize_mobile(c.mobile) for c in citizens]
    assert len(set(mobiles)) == 3 and mobiles == [c.mobile for c in citizens], (
        "each demo citizen has a mobile of their own, canonical, for the forms' 联系电话 to be prefilled")
    summary = DemoSeed.objects.get(part="cases").summary
    assert summary["accounts"] == [{"username": "case-clerk", "role": "clerk"}], "no password in the database"


@pytest.mark.django_db
def test_the_demo_refuses_to_touch_a_catalog_it_did_not_make(demo_env):
    ServiceItemFactory()
    with pytest.raises(Exception, match="不是演示命令生成的") as caught:
        _run()
    assert getattr(caught.value, "returncode", None) == 2
    assert not DemoSeed.objects.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--port", "70000"], "端口"), (["--port", "八千"], "invalid int value"), (["--host", "a b"], "监听地址"),
     (["--seed", "-1"], "随机种子")],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["onewindow", "demo", "--no-serve", *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("onewindow: ") and message in err


@pytest.mark.django_db
def test_the_summary_is_in_chinese_words_and_links_follow_the_port_served(demo_env, settings):
    settings.PUBLIC_BASE_URL = ""
    try:
        output = _run("--port", "8101")
        assert links.public_base_url() == "http://127.0.0.1:8101", "documents made outside a request"
    finally:
        links.remember_served_address(links.DEFAULT_SERVED_ADDRESS)
    assert "API 文档   http://127.0.0.1:8101/api/v1/docs" in output and ":8000" not in output
    assert "一件事办件共 2 件，已提交 1 件，已送达 1 件，时间缩短 50.0%" in output
    assert "今日新取号 5 张，窗口 9 个" in output
    for key in ("packages_submitted", "packages_delivered", "saving", "tickets", "users_created", "states"):
        assert key not in output, f"the raw key {key} is printed"
