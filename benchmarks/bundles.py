"""Benchmark: 一件事 packages of 5 items driven to completion, against the same number of single cases.

Run: uv run python benchmarks/bundles.py [--packages N]
Each package is applied for once (one merged form), accepted once at the window, reviewed in parallel (the
dependent items start by themselves when their prerequisites are approved), its five results issued and
delivered together. The baseline drives the same number of cases (packages × 5) one by one through the case
engine: create, materials, submit, accept, approve, issue, deliver. Both run through the services with
their audit chain, exactly as the pages and the API do.

The database is DATABASE_URL if set (it is migrated and written to), else a new SQLite file in a temporary
folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# key: (department, promised days, prerequisites); every item asks for the shared 申请书 and its own plan.
ITEMS = {"licence": ("BA", 3, []), "env": ("BB", 1, []), "food": ("BC", 5, ["licence"]),
         "fire": ("BD", 7, ["licence"]), "drain": ("BE", 5, ["licence", "env"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=10_000, help="packages to drive (default 10000)")
    args = parser.parse_args()
    if args.packages < 1:
        parser.error("--packages must be at least 1")

    temp = None
    if not os.environ.get("DATABASE_URL"):
        temp = tempfile.mkdtemp(prefix="onewindow-bench-")
        os.environ["ONEWINDOW_VAR_DIR"] = temp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        print(f"cannot open the database: {str(exc).strip().splitlines()[-1]}", file=sys.stderr)
        sys.exit(2)
    try:
        run(args.packages)
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


def run(packages: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    world = build_world()
    database = settings.DATABASES["default"]
    print(f"database: {connection.vendor} {database.get('NAME')}")
    print(f"packages: {packages} of {len(ITEMS)} items (prerequisites: food, fire ← licence; drain ← licence, env); "
          f"baseline: {packages * len(ITEMS)} single cases")

    start = time.perf_counter()
    for n in range(packages):
        drive_package(world, n)
    package_s = time.perf_counter() - start

    start = time.perf_counter()
    for n in range(packages * len(ITEMS)):
        drive_single_case(world, n)
    single_s = time.perf_counter() - start

    cases = packages * len(ITEMS)
    package_case_rate, single_rate = cases / package_s, cases / single_s
    print(f"{'run':<36}{'operations':>12}{'seconds':>10}{'rate/s':>12}")
    print(f"{'packages to delivery (一件事)':<32}{packages:>12,}{package_s:>10.2f}{packages / package_s:>12.2f}")
    print(f"{'  …their sub-cases':<36}{cases:>12,}{package_s:>10.2f}{package_case_rate:>12.2f}")
    print(f"{'single cases to delivery (baseline)':<36}{cases:>12,}{single_s:>10.2f}{single_rate:>12.2f}")
    print(f"ratio (sub-cases per second in packages ÷ single cases per second): {package_case_rate / single_rate:.2f}")


def at(day: str, hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def build_world() -> dict:
    from onewindow.bundles.models import MaterialLink  # noqa: F401 - app loaded
    from onewindow.catalog.models import Department, ItemType, ItemVersion, Material, ServiceItem, Theme, ThemeItem
    from onewindow.core.models import Role, User
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    item_type, _ = ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})
    suffix = f"{int(time.time()) % 100000:05d}"
    departments, items, reviewers, clerks = {}, {}, {}, {}
    for key, (code, days, _) in ITEMS.items():
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": f"基准部门{code}"})
        departments[key] = department
        item = ServiceItem.objects.create(implementation_code=f"BENCH-{suffix}-{key}", basic_code=key,
                                          name=f"基准事项{key}", department=department)
        version = ItemVersion.objects.create(item=item, number=1, name=f"基准事项{key}", item_type=item_type,
                                             department=department, promised_days=days, statutory_days=20)
        Material.objects.create(version=version, order=1, name="申请书")
        Material.objects.create(version=version, order=2, name=f"{key}图纸")
        ItemVersion.objects.filter(pk=version.pk).update(status=ItemVersion.Status.PUBLISHED)
        item.published_version = version
        item.save(update_fields=["published_version"])
        items[key] = item
        reviewers[key] = _staff(f"bench-reviewer-{code}", Role.REVIEWER, department)
        clerks[key] = _staff(f"bench-clerk-{code}", Role.CLERK, department)
    theme = Theme.objects.create(code=f"bench-{suffix}", name="基准一件事", lead_department=departments["licence"],
                                 promised_days=10)
    entries = {key: ThemeItem.objects.create(theme=theme, item=items[key], order=n) for n, key in enumerate(ITEMS)}
    for key, (_, _, requires) in ITEMS.items():
        entries[key].requires.set([entries[r] for r in requires])
    window = User.objects.get_or_create(username="bench-window", defaults={"role": Role.CLERK})[0]
    return {"theme": theme, "items": items, "reviewers": reviewers, "clerks": clerks, "window": window}


def _staff(username: str, role: str, department):
    """A staff account of `department` (its department is a catalog.StaffAssignment)."""
    from onewindow.catalog.models import StaffAssignment
    from onewindow.core.models import User

    user = User.objects.get_or_create(username=username, defaults={"role": role})[0]
    StaffAssignment.objects.get_or_create(user=user, defaults={"department": department})
    return user


def _applicant(n: int):
    from onewindow.cases.services import Applicant
    from onewindow.core.identity import uscc_check_char

    first17 = f"91500103MA{n % 10_000_000:07d}"
    return Applicant(kind="organization", name=f"基准企业{n}", id_number=first17 + uscc_check_char(first17),
                     legal_representative="张三")


def drive_package(world: dict, n: int) -> None:
    from onewindow.bundles import services
    from onewindow.cases import services as case_services
    from onewindow.cases.models import Case

    files = [services.PackageFile(name, PDF + name.encode(), f"{name}.pdf")
             for name in ["申请书", *(f"{key}图纸" for key in ITEMS)]]
    package, _ = services.apply_for_theme(by=world["window"], theme=world["theme"], applicant=_applicant(n),
                                          channel="window", materials=files, at=at("2025-09-01", 9))
    services.accept_package(package, by=world["window"], at=at("2025-09-01", 10))
    for day, key in (("2025-09-02", "licence"), ("2025-09-02", "env"), ("2025-09-04", "food"),
                     ("2025-09-04", "fire"), ("2025-09-04", "drain")):
        case = Case.objects.select_related("item_version", "department").get(
            package_link__package=package, item=world["items"][key])
        case_services.approve_case(case, by=world["reviewers"][key], at=at(day, 14))
    for key in ITEMS:
        case = Case.objects.select_related("item_version", "department").get(
            package_link__package=package, item=world["items"][key])
        case_services.issue_result(case, by=world["clerks"][key], licence_number=f"L{case.pk}",
                                   at=at("2025-09-05", 9))
    package.refresh_from_db()
    services.deliver_package(package, by=world["window"], pickup_code=package.pickup_code, at=at("2025-09-05", 10))


def drive_single_case(world: dict, n: int) -> None:
    from onewindow.cases import services as case_services

    key = list(ITEMS)[n % len(ITEMS)]
    clerk, reviewer = world["clerks"][key], world["reviewers"][key]
    case, _ = case_services.create_case(by=clerk, item=world["items"][key], applicant=_applicant(n),
                                        channel="window", at=at("2025-09-01", 9))
    for material in case.item_version.materials.all():
        case_services.add_material(case, by=clerk, content=PDF + material.name.encode(),
                                   filename=f"{material.name}.pdf", material_id=material.pk, at=at("2025-09-01", 9))
    case_services.submit_case(case, by=clerk, at=at("2025-09-01", 9))
    case_services.accept_case(case, by=clerk, at=at("2025-09-01", 10))
    case_services.approve_case(case, by=reviewer, at=at("2025-09-03", 14))
    case_services.issue_result(case, by=clerk, licence_number=f"L{case.pk}", at=at("2025-09-05", 9))
    case_services.deliver_case(case, by=clerk, pickup_code=case.pickup_code, at=at("2025-09-05", 10))


if __name__ == "__main__":
    main()
