"""Benchmark of the read paths at province scale: case lists, supervision (电子监察), catalog search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x uv run python benchmarks/reads.py \
        [--cases 100000] [--items 50000] [--repeat 5] [--keep] [--reuse]

Loads `--cases` cases (95 % finished, spread over 3 years up to today, 30 departments, 60 items; COPY on
PostgreSQL, executemany on SQLite) and a `--items` catalog (bulk import), then times each read path through the
HTTP API (Django test Client, bearer token) — first page, last page, filters, the supervision lists and board,
item search — and prints beside it, measured in the same run:

- `raw`: the hand-written query a careful hand would send for the same rows (keyset, indexed);
- `offset`: the same page the old way, `count(*)` plus `OFFSET` (what every paged request cost before keyset
  paging), for the lists;
- `stmts`: SQL statements of the request (authentication included).

Database: on PostgreSQL a database `bench_reads_<cases>` on the server of DATABASE_URL, created by this run and
dropped at its end (`--keep` leaves it for a later `--reuse`, which only ever reuses a database carrying this
benchmark's marker table, i.e. one it created; it never drops a database it did not create). Without
DATABASE_URL, a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bulkload import bulk_load  # noqa: E402 - the benchmarks' own folder, after the path is set

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARKER = "bench_reads_marker"
DEPARTMENTS = 30
ITEMS_PER_DEPARTMENT = 2
PAGE = 20


# -- database ---------------------------------------------------------------------------------------------------
def _urls(url: str, name: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def _postgres(maintenance: str, sql: str, *params) -> list:
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def _has_marker(bench_url: str) -> bool:
    import psycopg

    with psycopg.connect(bench_url, autocommit=True) as conn:
        return bool(conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="cases loaded (1000000, 5000000 at scale)")
    parser.add_argument("--items", type=int, default=50_000, help="catalog items loaded")
    parser.add_argument("--repeat", type=int, default=5, help="timings per path (the median is printed)")
    parser.add_argument("--keep", action="store_true", help="keep the database for a later --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse the database a --keep run left")
    args = parser.parse_args()
    if min(args.cases, args.items, args.repeat) < 1:
        parser.error("counts must be at least 1")

    temp = tempfile.mkdtemp(prefix="onewindow-bench-reads-")
    os.environ["ONEWINDOW_VAR_DIR"] = temp
    os.environ.pop("REDIS_URL", None)
    url = os.environ.get("DATABASE_URL", "")
    maintenance = None
    created = reused = False
    name = f"bench_reads_{args.cases}"
    if url.startswith(("postgres://", "postgresql://")):
        bench_url, maintenance = _urls(url, name)
        exists = bool(_postgres(maintenance, "SELECT 1 FROM pg_database WHERE datname = %s", name))
        if exists and not (args.reuse and _has_marker(bench_url)):
            sys.exit(f"database {name} exists and was not left by this benchmark's --keep: not touching it")
        if not exists:
            _postgres(maintenance, f'CREATE DATABASE "{name}"')
            created = True
        reused = exists
        os.environ["DATABASE_URL"] = bench_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    try:
        run(args, reused=reused)
    finally:
        from django.db import connections

        connections.close_all()
        if maintenance and not args.keep and (created or reused):
            # Ours: created by this run, or by an earlier one (its marker table says so).
            _postgres(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(temp, ignore_errors=True)


# -- loading ----------------------------------------------------------------------------------------------------
CASE_COLUMNS = [
    "number", "query_code", "version", "state", "item_id", "item_version_id", "department_id", "channel",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile", "legal_representative",
    "agent_name", "agent_id_number", "agent_mobile", "agent_is_center", "idempotency_key", "idempotency_digest",
    "created_at", "answers", "first_answers", "prefill_sources", "tolerated_materials", "promised_days",
    "statutory_days", "extension_days", "paused_days", "paused_light", "timeliness", "decision_reason",
    "legal_basis", "licence_number", "result_document", "delivery_method", "pickup_code", "postal_address",
    "tracking_number", "closed_reason", "deemed_accepted", "submitted_on", "acceptance_due_on", "accepted_on",
    "due_on", "legal_due_on", "clock_due_on", "clock_warn_on", "decided_on", "tolerance_due_on",
    "tolerance_resolved_on",
]


def _case_rows(items: list[tuple[int, int, int]], count: int, today: dt.date):
    """Cases in the order they came in over 3 years: the old ones finished, the last weeks' mostly running, about
    95 % finished in all; 3 % accepted with a 容缺 promise (resolved once finished)."""
    rng = random.Random(16)
    d = dt.timedelta
    span = 3 * 365
    now = dt.datetime.now(dt.UTC)
    for i in range(count):
        item_id, version_id, department = items[rng.randrange(len(items))]
        age = span - (i * span) // count  # days before today, falling with the row's id
        submitted = today - d(days=age)
        acceptance_due = accepted = due = legal = clock_due = warn = decided = tolerance = resolved = None
        paused, timeliness = "", ""
        recent = age <= 30
        roll = rng.random()
        if recent and roll < 0.12:
            state = "submitted"
            acceptance_due = clock_due = submitted + d(days=7)
            warn = clock_due - d(days=2)
        elif recent and roll < 0.75:
            state = rng.choice(["accepted", "in_review", "in_review", "suspended"])
            accepted = submitted + d(days=1)
            due = accepted + d(days=14)
            legal = due + d(days=14)
            if state == "suspended":
                paused = rng.choice(["green", "green", "yellow", "red"])
            else:
                clock_due, warn = due, due - d(days=2)
        elif recent and roll < 0.80:
            state = rng.choice(["approved", "result_issued"])
            accepted = submitted + d(days=1)
            due = accepted + d(days=14)
            legal = due + d(days=14)
            decided = min(today, accepted + d(days=rng.randint(1, 16)))
        else:
            state = "delivered" if roll < 0.97 else rng.choice(["not_accepted", "withdrawn"])
            if state == "delivered":
                accepted = submitted + d(days=1)
                due = accepted + d(days=14)
                legal = due + d(days=14)
                decided = accepted + d(days=rng.randint(1, 16))
                timeliness = "early" if decided < due else "on_time" if decided == due else "late"
        if accepted and rng.random() < 0.03:
            tolerance = accepted + d(days=5)
            if state in ("delivered", "approved", "result_issued") or rng.random() < 0.5:
                resolved = accepted + d(days=rng.randint(1, 5))
        yield (
            f"B{department:03d}{submitted:%Y%m%d}{i:08d}", "ABCDEF", 1, state, item_id, version_id, department,
            "window", "person", f"申请人{i % 997}", f"50010319850612{i % 1000:03d}X", "13800138000", "", "", "",
            "", False, "", "", now, "{}", "{}", "{}", "[]", 10, 20, 0, 0, paused, timeliness, "", "", "", "",
            "pickup", "", "", "", "", False, submitted, acceptance_due, accepted, due, legal, clock_due, warn,
            decided, tolerance, resolved,
        )


def load_cases(items, count: int, today: dt.date) -> float:
    return bulk_load("cases_case", CASE_COLUMNS, _case_rows(items, count, today), vacuum=True)


# Item names as a province's catalog has them: the same few hundred names in every county, the words people search
# for (营业执照, 户口, 公积金) in a handful of them each.
SUBJECTS = [
    "营业执照", "户口", "住房公积金", "食品经营", "药品零售", "排污许可", "建设工程规划", "户外广告设施", "道路运输",
    "出生医学证明", "居民身份证", "社会保险", "养老保险关系", "医疗保险", "失业保险金", "工伤认定", "残疾人证",
    "婚姻登记", "不动产", "林木采伐", "取水许可", "河道采砂", "特种设备", "消防安全检查", "烟草专卖零售",
    "危险化学品经营", "人力资源服务", "劳务派遣经营", "民办学校办学", "托育机构", "养老机构", "医疗机构执业",
    "护士执业", "医师执业", "公共场所卫生", "生活饮用水卫生", "商品房预售", "建筑工程施工", "城镇污水排入排水管网",
    "占用挖掘城市道路", "城市绿地树木迁移", "临时占用林地", "动物防疫条件", "兽药经营", "种子生产经营",
    "农药经营", "渔业捕捞", "船舶登记", "旅行社设立", "娱乐场所经营", "网吧经营", "出版物零售", "印刷经营",
    "广播电视节目制作", "宗教活动场所", "社会团体", "民办非企业单位", "慈善组织", "朝阳街道社区服务站", "重大行政决策",
]
ACTS = ["核发", "变更登记", "注销", "补发", "延续", "首次登记", "转移接续", "备案"]


def item_names(count: int) -> list[str]:
    bases = [subject + act for subject in SUBJECTS for act in ACTS]
    return [bases[n % len(bases)] for n in range(count)]


def load_catalog(count: int, departments: list[int]) -> float:
    """Each distinct name once through `import_catalog` (validated, its pinyin index computed), then copies of
    those items in the bench departments (as every county publishes the same items) up to `count`."""
    from django.db import connection, transaction

    from onewindow.catalog.importexport import import_catalog
    from onewindow.catalog.tests.factories import catalog_data

    start = time.perf_counter()
    names = item_names(count)
    distinct = list(dict.fromkeys(names))
    data = catalog_data(len(distinct))
    data["themes"] = []
    for n, (entry, name) in enumerate(zip(data["items"], distinct, strict=True)):
        entry["name"] = name
        entry["implementation_code"] = f"B{n:08d}"
        entry["basic_code"] = f"XK{n:05d}000"
    import_catalog(data)
    columns = ["implementation_code", "basic_code", "name", "name_pinyin", "name_initials", "name_initials_alt",
               "name_pinyin_alt", "department_id", "published_version_id", "created_at"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM catalog_serviceitem WHERE implementation_code LIKE 'B%%'"
                       " ORDER BY implementation_code")
        bases = cursor.fetchall()
        rows = []
        for n in range(len(distinct), count):
            base = bases[n % len(bases)]
            rows.append((f"B{n:08d}", base[1], *base[2:7], departments[n % len(departments)], *base[8:]))
        with transaction.atomic():
            cursor.executemany(f"INSERT INTO catalog_serviceitem ({', '.join(columns)})"
                               f" VALUES ({', '.join(['%s'] * len(columns))})", rows)
    return time.perf_counter() - start


def setup(args, today: dt.date, reused: bool):
    from django.core.management import call_command
    from django.db import connection

    from onewindow.catalog.models import Department, ItemType, ItemVersion, ServiceItem, StaffAssignment
    from onewindow.core.models import Role, User
    from onewindow.workdays.services import seed_from_package

    call_command("migrate", interactive=False, verbosity=0)
    if reused:
        print("reusing the database a --keep run loaded")
    else:
        seed_from_package(years=[today.year - 3, today.year - 2, today.year - 1, today.year, today.year + 1])
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER} (loaded_at varchar(40))")
        item_type, _ = ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})
        items: list[tuple[int, int, int]] = []
        for n in range(DEPARTMENTS):
            department = Department.objects.create(code=f"BD{n:02d}", name=f"基准部门{n:02d}", sort_order=n)
            for k in range(ITEMS_PER_DEPARTMENT):
                item = ServiceItem.objects.create(implementation_code=f"BENCH-{n:02d}-{k}",
                                                  basic_code=f"BENCH{n:02d}{k}", name=f"基准事项{n}-{k}",
                                                  department=department)
                version = ItemVersion.objects.create(item=item, number=1, name=item.name, item_type=item_type,
                                                     department=department, promised_days=10, statutory_days=20)
                ItemVersion.objects.filter(pk=version.pk).update(status="published")
                ServiceItem.objects.filter(pk=item.pk).update(published_version=version)
                items.append((item.pk, version.pk, department.pk))
        seconds = load_cases(items, args.cases, today)
        print(f"{'loaded cases (COPY / executemany, then ANALYZE)':<58}{args.cases:>10}{seconds:>12.1f} s")
        seconds = load_catalog(args.items, sorted({d for _, _, d in items}))
        print(f"{'loaded catalog items (import_catalog)':<58}{args.items:>10}{seconds:>12.1f} s")
        User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR)
        clerk = User.objects.create(username="bench-clerk", role=Role.CLERK)
        leader = User.objects.create(username="bench-leader", role=Role.LEADER)
        first = Department.objects.get(code="BD00")
        StaffAssignment.objects.create(user=clerk, department=first)
        StaffAssignment.objects.create(user=leader, department=first)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    # Migrations of the code under test may have added indexes since the load: statistics for them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (User.objects.get(username="bench-supervisor"), User.objects.get(username="bench-clerk"),
            User.objects.get(username="bench-leader"))


# -- timing -----------------------------------------------------------------------------------------------------
def median_ms(function, repeat: int) -> float:
    function()  # warm: plans, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def raw(sql: str, params=()):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


LIST_SQL = ("SELECT c.*, v.name, d.name FROM cases_case c JOIN catalog_itemversion v ON v.id = c.item_version_id"
            " JOIN catalog_department d ON d.id = c.department_id WHERE {where} ORDER BY {order} LIMIT {limit}")


def keyset_sql(where: str, order: str) -> str:
    return LIST_SQL.format(where=where, order=order, limit=PAGE + 1)


def offset_run(where: str, order: str, params: list, offset: int):
    """The old form: an exact count, then the page by OFFSET."""
    from django.db import connection

    page_sql = LIST_SQL.format(where=where, order=order, limit=f"{PAGE} OFFSET {offset}")

    def run():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {where}", params)
            cursor.fetchone()
            cursor.execute(page_sql, params)
            return cursor.fetchall()

    return run


class Api:
    """The API as a client calls it, with the statements each request sends."""

    def __init__(self, user):
        from django.test import Client

        from onewindow.core.services import create_token

        _, token = create_token(user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str) -> dict:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response.json()

    def statements(self, path: str) -> tuple[int, float]:
        """(statements, their total time in ms) of one request."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.get(path)
        return len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000


def keyset_supported() -> bool:
    from onewindow.cases.api.schemas import ListQuery

    return "cursor" in ListQuery.model_fields


def last_page_path(api: Api, path: str, where: str, params: list, order_keys: str, count: int) -> tuple[str, int]:
    """The path of the list's last page: by cursor when the API pages by keys, else by page number; and the
    offset of that page (for the old form)."""
    from django.db import connection

    offset = max(0, ((count - 1) // PAGE) * PAGE)
    separator = "&" if "?" in path else "?"
    if not keyset_supported():
        return f"{path}{separator}page={offset // PAGE + 1}&page_size={PAGE}", offset
    from onewindow.core.paging import encode_cursor

    if offset == 0:
        return f"{path}{separator}page_size={PAGE}", offset
    with connection.cursor() as cursor:  # the row before the last page: the cursor a client would hold
        cursor.execute(f"SELECT {order_keys.replace(' DESC', '')} FROM cases_case c WHERE {where}"
                       f" ORDER BY {order_keys} LIMIT 1 OFFSET {offset - 1}", params)
        values = list(cursor.fetchone())
    # A cursor names the list and filters it was written for: take that name from the list's own first page, as
    # the client walking to the end would have it, and point it at the row before the last page.
    tag = decode_payload(api.get(f"{path}{separator}page_size={PAGE}")["next_cursor"])[0]
    return f"{path}{separator}cursor={encode_cursor(tag, values)}&page_size={PAGE}", offset


def decode_payload(cursor: str) -> list:
    """The JSON list inside a cursor the API wrote ([list name, direction, keys…])."""
    import base64
    import json

    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def run(args, reused: bool) -> None:
    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    today = timezone.localdate()
    supervisor, clerk, leader = setup(args, today, reused)
    department = clerk.assignment.department_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM catalog_serviceitem WHERE published_version_id IS NOT NULL")
        items = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM catalog_serviceitem WHERE implementation_code = 'BENCH-00-0'")
        item_id = cursor.fetchone()[0]
    print(f"onewindow reads benchmark — {connection.vendor} ({connection.settings_dict['NAME']}),"
          f" {cases:,} cases, {items:,} published items, keyset paging: {keyset_supported()}")
    print(f"{'path (median of ' + str(args.repeat) + ')':<46}{'rows':>9}{'app ms':>9}{'raw ms':>9}{'offset ms':>11}"
          f"{'stmts':>7}{'sql ms':>8}")
    print("  app: the HTTP request through the test client; sql: its statements' time; raw: the hand-written keyset")
    print("  query; offset: count(*) + OFFSET, the old form of the same page (for the summary: its old single query)")
    sup, clk, lead = Api(supervisor), Api(clerk), Api(leader)
    iso = today.isoformat()
    due = "COALESCE(c.clock_due_on, DATE '9999-12-31')" if connection.vendor == "postgresql" \
        else "COALESCE(c.clock_due_on, '9999-12-31')"
    running = "c.state IN ('submitted','accepted','in_review','suspended')"
    red = f"({running} AND (c.clock_due_on < '{iso}' OR (c.state = 'suspended' AND c.paused_light = 'red')))"
    lists = [
        # label, api, path, where, params, order (descending id, or due date then id)
        ("cases, supervisor", sup, "/api/v1/cases", "TRUE", [], "c.id DESC"),
        ("cases, department clerk", clk, "/api/v1/cases", "c.department_id = %s", [department], "c.id DESC"),
        ("cases, supervisor, state=submitted", sup, "/api/v1/cases?state=submitted", "c.state = %s",
         ["submitted"], "c.id DESC"),
        ("cases, supervisor, state=delivered", sup, "/api/v1/cases?state=delivered", "c.state = %s",
         ["delivered"], "c.id DESC"),
        ("cases, clerk, state=delivered", clk, "/api/v1/cases?state=delivered",
         "c.department_id = %s AND c.state = %s", [department, "delivered"], "c.id DESC"),
        ("cases, supervisor, light=red", sup, "/api/v1/cases?light=red", red, [], "c.id DESC"),
        ("cases, supervisor, item_id", sup, f"/api/v1/cases?item_id={item_id}", "c.item_id = %s", [item_id],
         "c.id DESC"),
        ("cases, supervisor, department_id", sup, f"/api/v1/cases?department_id={department}",
         "c.department_id = %s", [department], "c.id DESC"),
        ("supervision cases, no filter", sup, "/api/v1/cases/supervision/cases", "TRUE", [], f"{due}, c.id"),
        ("supervision cases, leader", lead, "/api/v1/cases/supervision/cases", "c.department_id = %s",
         [department], f"{due}, c.id"),
        ("supervision cases, light=red", sup, "/api/v1/cases/supervision/cases?light=red", red, [],
         f"{due}, c.id"),
        ("supervision cases, overdue=tolerance", sup, "/api/v1/cases/supervision/cases?overdue=tolerance",
         f"c.tolerance_due_on < '{iso}' AND c.tolerance_resolved_on IS NULL AND c.state NOT IN"
         " ('not_accepted','withdrawn','terminated','delivered')", [], f"{due}, c.id"),
    ]
    if connection.vendor == "sqlite":
        lists = [(a, b, c, w.replace("TRUE", "1"), p, o) for a, b, c, w, p, o in lists]
    for label, api, path, where, params, order in lists:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {where}", params)
            count = cursor.fetchone()[0]
        first = f"{path}{'&' if '?' in path else '?'}page_size={PAGE}"
        last, offset = last_page_path(api, path, where, params, order, count)
        first_raw = raw(keyset_sql(where, order), params)
        # The raw last page: keyset from the row before it, by a row comparison on the sort keys.
        with connection.cursor() as cursor:
            keys = order.replace(" DESC", "")
            cursor.execute(f"SELECT {keys} FROM cases_case c WHERE {where} ORDER BY {order}"
                           f" LIMIT 1 OFFSET {max(0, offset - 1)}", params)
            before = list(cursor.fetchone() or [0])
        comparison = "<" if "DESC" in order else ">"
        last_raw = raw(keyset_sql(f"({where}) AND ({keys}) {comparison} ({', '.join(['%s'] * len(before))})",
                                  order), [*params, *before])
        for page_label, page_path, page_raw, page_offset in (("first", first, first_raw, 0),
                                                              ("last", last, last_raw, offset)):
            app_ms = median_ms(lambda p=page_path, a=api: a.get(p), args.repeat)
            raw_ms = median_ms(page_raw, args.repeat)
            offset_ms = median_ms(offset_run(where, order, params, page_offset), args.repeat)
            statements, sql_ms = api.statements(page_path)
            print(f"{label + ', ' + page_label + ' page':<46}{count:>9}{app_ms:>9.1f}{raw_ms:>9.1f}{offset_ms:>11.1f}"
                  f"{statements:>7}{sql_ms:>8.1f}")

    # The old form: one aggregate over the running cases and every historical 容缺 promise, resolved or not.
    summary_old = raw(
        "SELECT department_id, count(*) FILTER (WHERE state IN ('submitted','accepted','in_review','suspended')),"
        f" count(*) FILTER (WHERE clock_due_on < '{iso}' OR (state = 'suspended' AND paused_light = 'red')),"
        f" count(*) FILTER (WHERE tolerance_due_on < '{iso}' AND tolerance_resolved_on IS NULL"
        " AND state NOT IN ('not_accepted','withdrawn','terminated','delivered'))"
        " FROM cases_case WHERE state IN ('submitted','accepted','in_review','suspended')"
        f" OR tolerance_due_on < '{iso}' GROUP BY department_id")
    # By hand, as the board now asks: the running cases from their covering index, the promises still owed.
    running_sql = raw(
        "SELECT department_id, count(*),"
        f" count(*) FILTER (WHERE clock_warn_on > '{iso}' OR (state = 'suspended' AND paused_light = 'green')),"
        f" count(*) FILTER (WHERE (clock_due_on >= '{iso}' AND clock_warn_on <= '{iso}')"
        " OR (state = 'suspended' AND paused_light = 'yellow')),"
        f" count(*) FILTER (WHERE clock_due_on < '{iso}' OR (state = 'suspended' AND paused_light = 'red')),"
        f" count(*) FILTER (WHERE state = 'submitted' AND acceptance_due_on < '{iso}')"
        " FROM cases_case WHERE state IN ('submitted','accepted','in_review','suspended') GROUP BY department_id")
    owed_sql = raw(
        "SELECT department_id, count(*) FROM cases_case WHERE tolerance_resolved_on IS NULL"
        " AND tolerance_due_on IS NOT NULL AND NOT (state IN ('not_accepted','withdrawn','terminated','delivered'))"
        f" AND tolerance_due_on < '{iso}' GROUP BY department_id")

    def summary_raw():
        return running_sql(), owed_sql()

    for label, api in (("supervision summary, supervisor", sup), ("supervision summary, leader", lead)):
        path = "/api/v1/cases/supervision"
        app_ms = median_ms(lambda p=path, a=api: a.get(p), args.repeat)
        raw_ms = median_ms(summary_raw, args.repeat)
        old_ms = median_ms(summary_old, args.repeat)
        statements, sql_ms = api.statements(path)
        print(f"{label:<46}{'':>9}{app_ms:>9.1f}{raw_ms:>9.1f}{old_ms:>11.1f}{statements:>7}{sql_ms:>8.1f}")

    postgres = connection.vendor == "postgresql"
    for word in ("营业执照", "户口", "公积金", "yyzz", "hk", "zhufang", "营业 执照"):
        path = f"/api/v1/items?q={word}&page_size={PAGE}"
        found = sup.get(path)["count"]
        app_ms = median_ms(lambda p=path: sup.get(p), args.repeat)
        first_word = word.split()[0]
        # By hand: the name (by its bigrams for a two-character word, on PostgreSQL) or the initials.
        name_match = ("catalog_bigrams(upper(i.name)) @> ARRAY[upper(%s)]" if postgres and len(first_word) == 2
                      else "upper(i.name) LIKE upper(%s)")
        pattern = first_word if postgres and len(first_word) == 2 else f"%{first_word}%"
        han = any("\u3400" <= ch <= "\u9fff" for ch in first_word)
        initials = ("catalog_bigrams(i.name_initials) @> ARRAY[%s]" if postgres and len(first_word) == 2
                    else "i.name_initials LIKE %s")
        where = f"({name_match})" if han else f"({name_match} OR {initials})"
        params = [pattern] if han else [pattern, pattern if postgres and len(first_word) == 2 else f"%{first_word}%"]
        raw_ms = median_ms(raw(
            "SELECT i.id, i.name FROM catalog_serviceitem i JOIN catalog_department d ON d.id = i.department_id"
            f" WHERE i.published_version_id IS NOT NULL AND {where}"
            " ORDER BY d.sort_order, d.code, i.implementation_code LIMIT 20", params), args.repeat)
        statements, sql_ms = sup.statements(path)
        print(f"{'search ' + repr(word) + ', count + first page':<46}{found:>9}{app_ms:>9.1f}{raw_ms:>9.1f}{'':>11}"
              f"{statements:>7}{sql_ms:>8.1f}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
