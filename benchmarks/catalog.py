"""Benchmark of the catalog's hot paths: importing a district, searching, listing, the 三减 figures.

    uv run python benchmarks/catalog.py [--items 560]

Uses DATABASE_URL when set, otherwise a fresh SQLite file in a temporary folder. The import is compared with
the naive way in the same run: one create_item + publish_version call per item (a query storm). Items carry
real item names, polyphonic characters included (还款, 朝阳, 重大, 长期…), so the pinyin index (every reading of
every name, `catalog/search.py`) has its real size; searches are compared with a plain substring match on the
name column, the cheapest search there is.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["ONEWINDOW_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-catalog-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# Real item names; several hold characters with more than one reading (还 hái/huán, 朝 zhāo/cháo, 重, 长, 行, 给).
REAL_NAMES = [
    "商业贷款还款提取住房公积金", "朝阳街道社区服务站设立登记", "营业执照核发", "食品经营许可", "单位参保登记",
    "重大行政决策听证", "长期护理保险待遇申领", "出生医学证明补发", "给水排水管道工程竣工验收备案",
    "银行业金融机构营业场所消防安全检查", "城镇职工基本养老保险关系转移接续", "建设工程规划许可证核发",
    "药品零售企业经营许可", "还建房屋不动产首次登记", "户外广告设施设置许可", "排污许可证核发",
]


def with_real_names(data: dict) -> dict:
    for n, entry in enumerate(data["items"]):
        entry["name"] = f"{REAL_NAMES[n % len(REAL_NAMES)]}（{n}）"
    return data


def timed(label: str, operations: int, func, rows: list) -> object:
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    rows.append((label, operations, elapsed))
    return result


def naive_import(data: dict) -> None:
    """The baseline: every item through the one-at-a-time services, as a hand-written loader would."""
    from onewindow.catalog import services
    from onewindow.catalog.models import Department, ItemType

    departments = {d.code: d for d in Department.objects.all()}
    types = {t.name: t for t in ItemType.objects.all()} | {t.code: t for t in ItemType.objects.all()}
    for entry in data["items"]:
        draft = services.create_item(
            implementation_code="N" + entry["implementation_code"],
            basic_code=entry["basic_code"],
            by=None,
            name=entry["name"],
            department=departments[entry["department"]],
            item_type=types[entry["item_type"]],
            statutory_days=entry["statutory_days"],
            promised_days=entry["promised_days"],
            materials=entry["materials"],
            steps=entry["steps"],
        )
        services.publish_version(draft, by=None, reason="首次发布")


def with_forms(data: dict) -> dict:
    """The same file with the forms' sections: the shared data elements and a restaurant's form on every item (14
    fields with a table of 3 columns, a file field, 3 cross-field rules), as `forms/importexport.py` takes them."""
    import copy

    from onewindow.forms.tests.factories import ELEMENTS, RESTAURANT_RULES, restaurant_fields

    data = copy.deepcopy(data)
    data["data_elements"] = [
        {"code": code, "name_zh": zh, "name_en": en, "standard": standard, "kind": kind}
        for code, zh, en, standard, kind in ELEMENTS
    ]
    data["forms"] = [
        {"item": item["implementation_code"], "title": "", "fields": restaurant_fields(material="申请书"),
         "rules": copy.deepcopy(RESTAURANT_RULES)}
        for item in data["items"]
    ]
    return data


def baseline_search(q: str):
    """The cheapest search: a substring of the name column alone, no pinyin."""
    from onewindow.catalog import selectors

    return selectors.published_items().filter(name__icontains=q)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=560)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from onewindow.catalog import selectors
    from onewindow.catalog.importexport import catalog_to_xlsx, export_catalog, import_catalog, xlsx_to_catalog
    from onewindow.catalog.tests.factories import catalog_data

    print(f"database: {connection.vendor}; items: {args.items}")
    data = with_real_names(catalog_data(args.items))
    rows: list[tuple[str, int, float]] = []
    timed("import_catalog (bulk, validated)", args.items, lambda: import_catalog(data), rows)
    timed("re-import, nothing changed", args.items, lambda: import_catalog(data), rows)
    exported = timed("export_catalog", args.items, export_catalog, rows)
    content = timed("catalog_to_xlsx", args.items, lambda: catalog_to_xlsx(exported), rows)
    timed("xlsx_to_catalog", args.items, lambda: xlsx_to_catalog(content), rows)
    forms = with_forms(data)
    timed("import with a form per item (a new version each)", args.items, lambda: import_catalog(forms), rows)
    timed("re-import with forms, nothing changed", args.items, lambda: import_catalog(forms), rows)
    timed("baseline: create_item + publish_version per item", args.items, lambda: naive_import(data), rows)
    searches = 200
    timed(
        "search q=yyzz, count + first page",
        searches,
        lambda: [
            (selectors.published_items(q="yyzz").count(), list(selectors.published_items(q="yyzz")[:20]))
            for _ in range(searches)
        ],
        rows,
    )
    for label, q in [("search q=huankuan (another reading of 还)", "huankuan"),
                     ("search q='营业 执照' (two words, AND)", "营业 执照")]:
        timed(
            label,
            searches,
            lambda q=q: [
                (selectors.published_items(q=q).count(), list(selectors.published_items(q=q)[:20]))
                for _ in range(searches)
            ],
            rows,
        )
    timed(
        "baseline: name__icontains=执照 only, count + page",
        searches,
        lambda: [
            (baseline_search("执照").count(), list(baseline_search("执照")[:20]))
            for _ in range(searches)
        ],
        rows,
    )
    timed(
        "item list, first page of 20",
        searches,
        lambda: [list(selectors.published_items()[:20]) for _ in range(searches)],
        rows,
    )
    timed("三减 per department (all items)", 1, selectors.department_reductions, rows)

    print(f"{'measured':<52}{'ops':>8}{'seconds':>10}{'per op (ms)':>14}{'ops/s':>10}")
    for label, ops, seconds in rows:
        print(f"{label:<52}{ops:>8}{seconds:>10.3f}{seconds / ops * 1000:>14.2f}{ops / seconds:>10.0f}")


if __name__ == "__main__":
    main()
