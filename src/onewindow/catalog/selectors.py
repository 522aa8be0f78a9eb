"""Catalog reads: published items and their guide, departments, themes, version diffs and 三减 figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from onewindow.catalog import dag
from onewindow.catalog.models import (
    CACHE_NAMESPACE,
    Department,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    StaffAssignment,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.catalog.search import keyword_filter
from onewindow.core.cache import ProcessCache
from onewindow.core.errors import NotFound

# The version's own bookkeeping; everything else on ItemVersion is a published element (GB/T 39046 表4).
VERSION_META_FIELDS = {"id", "item", "number", "status", "change_reason", "published_at", "published_by", "created_at"}
ELEMENT_FIELDS: list[str] = [f.name for f in ItemVersion._meta.concrete_fields if f.name not in VERSION_META_FIELDS]
MODE_FIELDS = {
    "immediate": "mode_immediate",
    "online": "mode_online",
    "nearby": "mode_nearby",
    "one_visit": "mode_one_visit",
}
DELIVERY_FIELDS = {"pickup": "delivery_pickup", "post": "delivery_post", "electronic": "delivery_electronic"}
MATERIAL_FIELDS = ["name", "form", "copies", "requirement", "source", "issuer", "notes"]
STEP_FIELDS = ["name", "role", "days", "description"]
CHUNK = 2000


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- lists and pages ----------------------------------------------------------------------------


def published_items(
    *,
    q: str = "",
    department: str | None = None,
    item_type: str | None = None,
    level: str | None = None,
    mode: str | None = None,
    theme: str | None = None,
) -> QuerySet[ServiceItem]:
    """Items with a published version, filtered; one query per page however many rows (事项清单)."""
    items = ServiceItem.objects.filter(published_version__isnull=False).select_related(
        "department", "published_version", "published_version__item_type"
    )
    if q:
        items = items.filter(keyword_filter(q))
    if department:
        items = items.filter(department__code=department)
    if item_type:
        items = items.filter(
            Q(published_version__item_type__code=item_type) | Q(published_version__item_type__name=item_type)
        )
    if level:
        items = items.filter(published_version__level=level)
    if mode:
        items = items.filter(**{f"published_version__{MODE_FIELDS[mode]}": True})
    if theme:
        items = items.filter(
            theme_entries__theme__code=theme,
            theme_entries__theme__published=True,
            theme_entries__retired_at__isnull=True,
        )
    return items.order_by("department__sort_order", "department__code", "implementation_code")


def get_published_item(implementation_code: str) -> ServiceItem:
    """One item with its published version, materials and steps (办事指南); NotFound if none is published.

    The version's `material_list` and `step_list` come from the prefetch: three queries in all."""
    item = (
        ServiceItem.objects.select_related(
            "department",
            "published_version",
            "published_version__item_type",
            "published_version__department",
            "published_version__supervising_department",
        )
        .prefetch_related("published_version__materials", "published_version__steps")
        .filter(implementation_code=implementation_code, published_version__isnull=False)
        .first()
    )
    if item is None:
        raise NotFound(f"事项“{implementation_code}”不存在或尚未发布", fields={"implementation_code": "未发布"})
    return item


def departments_with_counts() -> QuerySet[Department]:
    """Every department with the number of its published items."""
    return Department.objects.annotate(
        item_count=Count("items", filter=Q(items__published_version__isnull=False), distinct=True)
    ).order_by("sort_order", "code")


def get_department(code: str) -> Department:
    department = departments_with_counts().filter(code=code).first()
    if department is None:
        raise NotFound(f"部门“{code}”不存在", fields={"code": "不存在"})
    return department


def item_types() -> QuerySet[ItemType]:
    return ItemType.objects.order_by("code")


def service_points() -> QuerySet[ServicePoint]:
    return ServicePoint.objects.select_related("parent").prefetch_related("halls").order_by("sort_order", "code")


def published_themes() -> QuerySet[Theme]:
    """Published 一件事 themes with their lead department and item count."""
    return (
        Theme.objects.filter(published=True)
        .select_related("lead_department")
        .annotate(item_count=Count("theme_items", filter=Q(theme_items__retired_at__isnull=True), distinct=True))
        .order_by("code")
    )


def theme_time_figures(theme: Theme) -> dict:
    """Serial sum and critical path (working days) of a theme fetched by `get_published_theme`."""
    entries = list(theme.theme_items.all())
    durations = {
        e.item.implementation_code: e.item.published_version.promised_days if e.item.published_version else 0
        for e in entries
    }
    edges = [(r.item.implementation_code, e.item.implementation_code) for e in entries for r in e.requires.all()]
    days, path = dag.critical_path(durations, edges)
    return {"serial_days": dag.serial_sum(durations), "critical_path_days": days, "critical_path": list(path)}


def get_published_theme(code: str) -> Theme:
    """A theme with its items in order and each item's prerequisites (前置事项)."""
    entries = ThemeItem.objects.select_related("item", "item__department", "item__published_version").prefetch_related(
        Prefetch("requires", queryset=ThemeItem.objects.select_related("item"))
    )
    theme = (
        published_themes()
        .filter(code=code)
        .prefetch_related(Prefetch("theme_items", queryset=entries.order_by("order", "id")))
        .first()
    )
    if theme is None:
        raise NotFound(f"一件事主题“{code}”不存在或未发布", fields={"code": "不存在"})
    return theme


def draft_of(item: ServiceItem) -> ItemVersion | None:
    """The item's one draft (草稿), if any."""
    return item.versions.filter(status=ItemVersion.Status.DRAFT).first()


# -- version diff (动态调整) ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class PartChange:
    name: str
    changes: list[FieldChange]


@dataclass
class PartsDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[PartChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    """What changed from version `a` to version `b` (版本对比)."""

    a_number: int
    b_number: int
    elements: list[FieldChange]
    materials: PartsDiff
    steps: PartsDiff

    @property
    def empty(self) -> bool:
        return not self.elements and self.materials.empty and self.steps.empty


def _display(model, name: str, value: Any) -> str:
    """A value as the admin shows it: choice labels, 是/否, names of related rows."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _changes(model, names: Iterable[str], a, b) -> list[FieldChange]:
    out = []
    for name in names:
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            label = str(model._meta.get_field(name).verbose_name)
            out.append(FieldChange(name, label, _display(model, name, before), _display(model, name, after)))
    return out


def _keyed(parts: Iterable) -> dict[tuple[str, int], Any]:
    """Parts keyed by (name, occurrence) so two materials with one name still pair up."""
    seen: dict[str, int] = {}
    keyed = {}
    for part in parts:
        seen[part.name] = seen.get(part.name, 0) + 1
        keyed[(part.name, seen[part.name])] = part
    return keyed


def _parts_diff(model, names: list[str], old: Iterable, new: Iterable) -> PartsDiff:
    old_keyed, new_keyed = _keyed(old), _keyed(new)
    diff = PartsDiff()
    for key, part in new_keyed.items():
        if key not in old_keyed:
            diff.added.append(part.name)
        else:
            changes = _changes(model, [n for n in names if n != "name"], old_keyed[key], part)
            if changes:
                diff.changed.append(PartChange(part.name, changes))
    diff.removed = [part.name for key, part in old_keyed.items() if key not in new_keyed]
    return diff


def diff_versions(a: ItemVersion, b: ItemVersion) -> VersionDiff:
    """Changed elements and added/removed/changed materials and steps from `a` to `b`."""
    versions = {
        v.pk: v
        for v in ItemVersion.objects.filter(pk__in=[a.pk, b.pk])
        .select_related("item_type", "department", "supervising_department")
        .prefetch_related("materials", "steps")
    }
    a, b = versions[a.pk], versions[b.pk]
    return VersionDiff(
        a_number=a.number,
        b_number=b.number,
        elements=_changes(ItemVersion, ELEMENT_FIELDS, a, b),
        materials=_parts_diff(Material, MATERIAL_FIELDS, a.materials.all(), b.materials.all()),
        steps=_parts_diff(Step, STEP_FIELDS, a.steps.all(), b.steps.all()),
    )


# -- 三减 figures (减材料、减环节、减时限) --------------------------------------------------------


@dataclass(frozen=True)
class ItemReduction:
    """One item's cuts against its baseline version (三减)."""

    item_id: int
    department_id: int
    baseline_number: int
    current_number: int
    baseline_materials: int
    current_materials: int
    baseline_steps: int
    current_steps: int
    baseline_days: int
    current_days: int
    statutory_days: int

    @property
    def materials_cut(self) -> int:
        return self.baseline_materials - self.current_materials

    @property
    def steps_cut(self) -> int:
        return self.baseline_steps - self.current_steps

    @property
    def days_cut(self) -> int:
        return self.baseline_days - self.current_days


@dataclass(frozen=True)
class ReductionSummary:
    """三减 totals for a group of items (a department, the whole center)."""

    items: int
    materials_cut: int
    steps_cut: int
    days_cut: int
    promised_days_total: int
    statutory_days_total: int

    @property
    def average_promised_days(self) -> Decimal | None:
        """平均承诺时限 in working days, two decimals."""
        if not self.items:
            return None
        return (Decimal(self.promised_days_total) / self.items).quantize(Decimal("0.01"))

    @property
    def compression_rate(self) -> Decimal | None:
        """时限压缩率 = 1 − Σ承诺时限 / Σ法定时限, as a fraction with four decimals."""
        if not self.statutory_days_total:
            return None
        return (1 - Decimal(self.promised_days_total) / self.statutory_days_total).quantize(Decimal("0.0001"))

    @property
    def compression_percent(self) -> Decimal | None:
        """The compression rate in percent, two decimals (54.00 for 54 %)."""
        rate = self.compression_rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.01"))


def _count_subquery(model: type[Material] | type[Step]) -> Coalesce:
    counted = (
        model.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(n=Count("id")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class _VersionFigures(NamedTuple):
    """What 三减 compares of one version: its number, promised and statutory days, how many materials and steps."""

    number: int
    promised_days: int
    statutory_days: int
    materials: int
    steps: int


def _version_figures(version_ids: Iterable[int]) -> dict[int, _VersionFigures]:
    figures: dict[int, _VersionFigures] = {}
    for chunk in _chunks(sorted(version_ids)):
        for v in (
            ItemVersion.objects.filter(pk__in=chunk)
            .annotate(n_materials=_count_subquery(Material), n_steps=_count_subquery(Step))
            .values("pk", "number", "promised_days", "statutory_days", "n_materials", "n_steps")
        ):
            figures[v["pk"]] = _VersionFigures(
                v["number"], v["promised_days"], v["statutory_days"], v["n_materials"], v["n_steps"]
            )
    return figures


def item_reductions(items: QuerySet[ServiceItem] | None = None) -> list[ItemReduction]:
    """三减 per published item: materials, steps and promised days cut against the baseline version."""
    items = ServiceItem.objects.all() if items is None else items
    first_published = (
        ItemVersion.objects.filter(item=OuterRef("pk"), status=ItemVersion.Status.PUBLISHED)
        .order_by("number")
        .values("pk")[:1]
    )
    rows = list(
        items.filter(published_version__isnull=False)
        .annotate(first_published_id=Subquery(first_published))
        .values("pk", "department_id", "published_version_id", "baseline_version_id", "first_published_id")
    )
    figures = _version_figures(
        {r["published_version_id"] for r in rows} | {r["baseline_version_id"] or r["first_published_id"] for r in rows}
    )
    out = []
    for r in rows:
        base = figures[r["baseline_version_id"] or r["first_published_id"]]
        cur = figures[r["published_version_id"]]
        out.append(
            ItemReduction(
                item_id=r["pk"],
                department_id=r["department_id"],
                baseline_number=base.number,
                current_number=cur.number,
                baseline_materials=base.materials,
                current_materials=cur.materials,
                baseline_steps=base.steps,
                current_steps=cur.steps,
                baseline_days=base.promised_days,
                current_days=cur.promised_days,
                statutory_days=cur.statutory_days,
            )
        )
    return out


def summarize(reductions: Iterable[ItemReduction]) -> ReductionSummary:
    rows = list(reductions)
    return ReductionSummary(
        items=len(rows),
        materials_cut=sum(r.materials_cut for r in rows),
        steps_cut=sum(r.steps_cut for r in rows),
        days_cut=sum(r.days_cut for r in rows),
        promised_days_total=sum(r.current_days for r in rows),
        statutory_days_total=sum(r.statutory_days for r in rows),
    )


def item_reduction(item: ServiceItem) -> ItemReduction | None:
    """三减 of one item, or None if it has no published version."""
    found = item_reductions(ServiceItem.objects.filter(pk=item.pk))
    return found[0] if found else None


def department_reductions() -> list[tuple[Department, ReductionSummary]]:
    """三减 per department, in department order; departments without published items show zeros."""
    by_department: dict[int, list[ItemReduction]] = {}
    for r in item_reductions():
        by_department.setdefault(r.department_id, []).append(r)
    return [(d, summarize(by_department.get(d.pk, []))) for d in Department.objects.order_by("sort_order", "code")]


def department_id_of(user: Any) -> int | None:
    """The id of the department `user` works for (人员所属部门), or None: a comprehensive window clerk, a
    supervisor, an administrator, a citizen, or nobody signed in. Kept in the process (`core.cache`, namespace
    `catalog`: every change of an assignment drops it), so usually no query."""
    if user is None or not getattr(user, "pk", None):
        return None
    return _kept.get(("department_of", user.pk), lambda: _assigned_department_id(user))


def _assigned_department_id(user: Any) -> int | None:
    try:
        return user.assignment.department_id
    except ObjectDoesNotExist:
        return None


# Rows every intake reads and that change a few times a day, kept per process (see `core.cache`).
_kept = ProcessCache(CACHE_NAMESPACE)


def kept_item(*, pk: int | None = None, implementation_code: str | None = None) -> ServiceItem | None:
    """The item with this id or implementation code (None when there is none), with its version in force
    (`published_version`), that version's department and materials (`published_version.materials.all()` asks
    nothing), as an application reads it — kept in the process until the catalog changes (`core.cache`).
    Read-only: the same objects serve every request of the process."""
    if pk is not None:
        key: tuple[str, Any] = ("item", pk)
        lookup: dict[str, Any] = {"pk": pk}
    else:
        key, lookup = ("item_code", implementation_code), {"implementation_code": implementation_code}

    def load() -> ServiceItem | None:
        return (ServiceItem.objects.select_related("published_version__department", "published_version__item")
                .prefetch_related("published_version__materials").filter(**lookup).first())

    return _kept.get(key, load)


def kept_version(version_id: int) -> ItemVersion | None:
    """An item version with its item and department, kept in the process until the catalog changes. Read-only."""
    return _kept.get(("version", version_id), lambda: ItemVersion.objects.select_related("item", "department")
                     .filter(pk=version_id).first())


def kept_department(department_id: int) -> Department | None:
    """A department, kept in the process until the catalog changes. Read-only."""
    return _kept.get(("department", department_id), lambda: Department.objects.filter(pk=department_id).first())


def kept_service_point(point_id: int) -> ServicePoint | None:
    """A service point, kept in the process until the catalog changes. Read-only."""
    return _kept.get(("service_point", point_id), lambda: ServicePoint.objects.filter(pk=point_id).first())


def kept_materials(version_id: int) -> list[Material]:
    """The materials of an item version in their order (what `version.materials.all()` answers), kept in the
    process until the catalog changes. Read-only."""
    return _kept.get(("materials", version_id),
                     lambda: list(Material.objects.filter(version_id=version_id)))


def department_code_of(user: Any) -> str:
    """The code of the department `user` works for, "" when none (see `department_id_of`)."""
    if department_id_of(user) is None:
        return ""
    return user.assignment.department.code


def staff_of(department_id: int) -> QuerySet[StaffAssignment]:
    """The assignments of a department's people, with their accounts."""
    return StaffAssignment.objects.filter(department_id=department_id).select_related("user")
