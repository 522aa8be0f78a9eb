"""Writing a validated catalog file (导入事项清单) in one transaction, with bulk statements so a district of
560 items loads in a few seconds; each changed item gets a new published version (动态调整).

`write_catalog` is the composable act (inside a caller's transaction: the demo seeds its district with it);
`import_catalog` is the same as the public service, the outermost transaction (the command line, files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from onewindow.catalog.acts import MIRRORED_FIELDS, mirror_elements, replace_theme_items, require_catalog_editor
from onewindow.catalog.importexport.format import DEPARTMENT_KEYS, HALL_KEYS, THEME_KEYS
from onewindow.catalog.importexport.problems import CatalogFileInvalid, Problems
from onewindow.catalog.importexport.sections import Written, registered
from onewindow.catalog.importexport.validation import ParsedCatalog, validate
from onewindow.catalog.importexport.validation.items import ParsedItem
from onewindow.catalog.importexport.validation.themes import ParsedTheme
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemVersion,
    Level,
    Material,
    ServiceItem,
    ServicePoint,
    Step,
    Theme,
)
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.selectors import ELEMENT_FIELDS, MATERIAL_FIELDS, STEP_FIELDS
from onewindow.core import audit
from onewindow.core.kit import composable, service

DEFAULT_NEW_REASON = "首次发布"
DEFAULT_UPDATE_REASON = "导入更新"
# Parents before children: a street center's parent row exists before the street center is written.
_LEVEL_ORDER = [Level.DISTRICT, Level.STREET, Level.COMMUNITY]
_POINT_FIELDS = ["code", "name", "level", "address", "hours", "phone", "sort_order", "parent"]
_BATCH = 500


@dataclass
class ImportReport:
    """What an import created and changed (导入结果)."""

    departments_created: int = 0
    departments_updated: int = 0
    service_points_created: int = 0
    service_points_updated: int = 0
    halls_created: int = 0
    halls_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    themes_created: int = 0
    themes_updated: int = 0
    new_versions: list[str] = field(default_factory=list, repr=False)
    # The counts of the registered sections (sections.py), e.g. {"forms_written": 3}.
    extra: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        text = (
            f"部门 新增{self.departments_created} 更新{self.departments_updated}；"
            f"服务场所 新增{self.service_points_created} 更新{self.service_points_updated}；"
            f"大厅 新增{self.halls_created} 更新{self.halls_updated}；"
            f"事项 新增{self.items_created} 新版本{self.items_updated} 未变{self.items_unchanged}；"
            f"主题 新增{self.themes_created} 更新{self.themes_updated}"
        )
        labels = {name: label for section in registered() for name, label in section.labels.items()}
        return text + "".join(f"；{labels.get(name, name)}{count}" for name, count in self.extra.items())

    def counts(self) -> dict[str, int]:
        own = {k: v for k, v in asdict(self).items() if k not in ("new_versions", "extra")}
        return {**own, **self.extra}


@composable
def write_catalog(
    data: dict, *, by: Any = None, locations: dict[tuple, str] | None = None, known_problems: Iterable[str] = ()
) -> ImportReport:
    """Import a catalog dict (导入事项清单): everything or nothing; CatalogFileInvalid lists every problem.

    `locations` name where each JSON path was read (a sheet row); `known_problems` were found while reading it.
    """
    require_catalog_editor(by)
    problems = Problems(locations, known_problems)
    parsed = validate(data, problems)
    if problems.messages:
        raise CatalogFileInvalid(problems.messages)
    report = ImportReport()
    try:
        # A savepoint: a row the checks could not foresee (a unique clash with a row written meanwhile) becomes
        # CatalogFileInvalid with nothing of the file written, and the caller's transaction stays usable.
        with transaction.atomic():
            _write(parsed, by, report)
            audit.record(
                "catalog.import",
                object_type="catalog.catalog",
                object_id="import",
                by=by,
                after={**report.counts(), "new_versions": report.new_versions},
                reason="导入事项清单",
            )
    except IntegrityError as exc:
        raise CatalogFileInvalid([f"与数据库中已有数据冲突：{exc}"]) from None
    return report


import_catalog = service(write_catalog)


def _write(parsed: ParsedCatalog, by: Any, report: ImportReport) -> None:
    _default_order(parsed.departments)
    _default_order([p.point for p in parsed.service_points])
    for p in parsed.service_points:
        _default_order(p.halls)
    _, report.departments_created, report.departments_updated = _upsert(Department, parsed.departments, DEPARTMENT_KEYS)
    department_ids = dict(Department.objects.values_list("code", "pk"))
    _write_service_points(parsed, report)
    sections = registered()
    # Items a section changes (their form…) get a new version although their own elements are unchanged.
    changed = set().union(*(s.changed_items(parsed.extra[s.key]) for s in sections))
    written = Written(by=by)
    _write_items(parsed.items, department_ids, by, report, changed=changed, written=written)
    _write_themes(parsed.themes, department_ids, report)
    for section in sections:
        report.extra.update(section.write(parsed.extra[section.key], written))


# -- rows matched by code --------------------------------------------------------------------------


def _fields_of(model: type[models.Model], keys: Iterable[str]) -> list[str]:
    return [model._meta.get_field(k).attname for k in keys]


def _upsert(
    model: type[models.Model], incoming: list[Any], keys: list[str], *, match: str = "code"
) -> tuple[dict[str, Any], int, int]:
    """Create missing rows and update changed ones by `match`; returns the rows by code and the two counts."""
    attnames = _fields_of(model, keys)
    codes = [getattr(obj, match) for obj in incoming]
    existing = {}
    for start in range(0, len(codes), _BATCH):
        existing.update(
            {getattr(o, match): o for o in model.objects.filter(**{f"{match}__in": codes[start : start + _BATCH]})}
        )
    new, changed = [], []
    for obj in incoming:
        current = existing.get(getattr(obj, match))
        if current is None:
            new.append(obj)
            continue
        differs = False
        absent = getattr(obj, "_absent", set())
        for name in attnames:
            if name not in absent and getattr(current, name) != getattr(obj, name):
                setattr(current, name, getattr(obj, name))
                differs = True
        if differs:
            changed.append(current)
    model.objects.bulk_create(new, batch_size=_BATCH)
    if changed:
        model.objects.bulk_update(changed, attnames, batch_size=_BATCH)
    rows = {**existing, **{getattr(o, match): o for o in new}}
    return rows, len(new), len(changed)


def _default_order(rows: list[Any]) -> None:
    """Rows without `sort_order` take their position in the file (only new rows use it)."""
    for index, row in enumerate(rows, start=1):
        if "sort_order" in row._absent:
            row.sort_order = index


# -- service points and halls ------------------------------------------------------------------------


def _write_service_points(parsed: ParsedCatalog, report: ImportReport) -> None:
    point_ids = dict(ServicePoint.objects.values_list("code", "pk"))
    for level in _LEVEL_ORDER:
        batch = [p for p in parsed.service_points if p.point.level == level]
        for p in batch:
            p.point.parent_id = point_ids[p.parent] if p.parent else None
        rows, created, updated = _upsert(ServicePoint, [p.point for p in batch], _POINT_FIELDS)
        report.service_points_created += created
        report.service_points_updated += updated
        point_ids.update({code: row.pk for code, row in rows.items()})
    halls = []
    for p in parsed.service_points:
        for hall in p.halls:
            hall.service_point_id = point_ids[p.point.code]
            halls.append(hall)
    _, report.halls_created, report.halls_updated = _upsert(Hall, halls, [*HALL_KEYS, "service_point"])


# -- items and their versions ------------------------------------------------------------------------


@dataclass
class _Current:
    """What the database holds for the file's items: the items, their published versions, parts and numbers."""

    items: dict[str, ServiceItem] = field(default_factory=dict)
    versions: dict[int, ItemVersion] = field(default_factory=dict)
    materials: dict[int, list[Material]] = field(default_factory=dict)
    steps: dict[int, list[Step]] = field(default_factory=dict)
    max_numbers: dict[int, int] = field(default_factory=dict)

    def signature(self, version: ItemVersion) -> tuple:
        return _version_signature(version, self.materials.get(version.pk, []), self.steps.get(version.pk, []))


def _current_state(codes: list[str]) -> _Current:
    current = _Current()
    for start in range(0, len(codes), _BATCH):
        current.items.update(
            {
                i.implementation_code: i
                for i in ServiceItem.objects.filter(implementation_code__in=codes[start : start + _BATCH])
            }
        )
    published_ids = [i.published_version_id for i in current.items.values() if i.published_version_id]
    for start in range(0, len(published_ids), _BATCH):
        chunk = published_ids[start : start + _BATCH]
        current.versions.update({v.pk: v for v in ItemVersion.objects.filter(pk__in=chunk)})
        for m in Material.objects.filter(version_id__in=chunk).order_by("version_id", "order", "id"):
            current.materials.setdefault(m.version_id, []).append(m)
        for s in Step.objects.filter(version_id__in=chunk).order_by("version_id", "order", "id"):
            current.steps.setdefault(s.version_id, []).append(s)
    existing_ids = [i.pk for i in current.items.values()]
    for start in range(0, len(existing_ids), _BATCH):
        current.max_numbers.update(
            ItemVersion.objects.filter(item_id__in=existing_ids[start : start + _BATCH])
            .values("item_id")
            .annotate(n=Max("number"))
            .values_list("item_id", "n")
        )
    return current


def _version_signature(version: ItemVersion, materials: Iterable[Material], steps: Iterable[Step]) -> tuple:
    element_attnames = _fields_of(ItemVersion, ELEMENT_FIELDS)
    return (
        tuple(getattr(version, name) for name in element_attnames),
        tuple(tuple(getattr(m, n) for n in MATERIAL_FIELDS) for m in materials),
        tuple(tuple(getattr(s, n) for n in STEP_FIELDS) for s in steps),
    )


def _write_items(
    parsed_items: list[ParsedItem],
    departments: dict[str, int],
    by: Any,
    report: ImportReport,
    *,
    changed: set[str],
    written: Written,
) -> None:
    """Write new items and new versions of changed ones; `changed` items get a new version whatever their elements;
    `written` learns each item's published version (and, for a new version, the one it replaced)."""
    current = _current_state([p.item.implementation_code for p in parsed_items])
    new_items, revised, basic_code_changed = [], [], []
    to_publish: list[tuple[ServiceItem, ParsedItem]] = []
    for p in parsed_items:
        version = p.version
        version.department_id = departments[p.department]
        version.supervising_department_id = departments[p.supervising_department] if p.supervising_department else None
        version.item_type_id = p.item_type
        item = current.items.get(p.item.implementation_code)
        if item is None:
            item = p.item
            mirror_elements(item, version)
            new_items.append(item)
            version.number = 1
            version.change_reason = version.change_reason or DEFAULT_NEW_REASON
            to_publish.append((item, p))
            written.replaced[item.implementation_code] = None
            report.items_created += 1
            continue
        if item.basic_code != p.item.basic_code:
            item.basic_code = p.item.basic_code
            basic_code_changed.append(item)
        published = current.versions.get(item.published_version_id)
        same = published is not None and current.signature(published) == _version_signature(
            version, p.materials, p.steps
        )
        if published is not None and same and item.implementation_code not in changed:
            written.published[item.implementation_code] = published
            report.items_unchanged += 1
            continue
        written.replaced[item.implementation_code] = published
        if published is not None:
            # Attachments are not in the file: a material keeps its blank form and sample by name.
            files = {m.name: (m.blank_form, m.sample) for m in current.materials.get(published.pk, [])}
            for m in p.materials:
                if m.name in files:
                    m.blank_form, m.sample = files[m.name]
        version.number = current.max_numbers.get(item.pk, 0) + 1
        version.change_reason = version.change_reason or DEFAULT_UPDATE_REASON
        mirror_elements(item, version)
        revised.append(item)
        to_publish.append((item, p))
        report.items_updated += 1

    ServiceItem.objects.bulk_create(new_items, batch_size=_BATCH)
    _publish(to_publish, by)
    if revised:
        ServiceItem.objects.bulk_update(revised, MIRRORED_FIELDS, batch_size=_BATCH)
    _point_items_at_newest([item.pk for item, _ in to_publish])
    for item, p in to_publish:
        item.published_version = p.version
        written.published[item.implementation_code] = p.version
        report.new_versions.append(f"{item.implementation_code} v{p.version.number}")
    if basic_code_changed:
        ServiceItem.objects.bulk_update(basic_code_changed, ["basic_code"], batch_size=_BATCH)


def _publish(to_publish: list[tuple[ServiceItem, ParsedItem]], by: Any) -> None:
    """Write each new version as published (发布), with its materials and steps."""
    now = timezone.now()
    publisher = by if getattr(by, "pk", None) else None
    versions = []
    for item, p in to_publish:
        p.version.item_id = item.pk
        p.version.status = ItemVersion.Status.PUBLISHED
        p.version.published_at = now
        p.version.published_by = publisher
        versions.append(p.version)
    # bulk_create skips ItemVersion.save(), whose freeze check would refuse a row born published.
    ItemVersion.objects.bulk_create(versions, batch_size=_BATCH)
    materials, steps = [], []
    for _, p in to_publish:
        for m in p.materials:
            m.version_id = p.version.pk
            materials.append(m)
        for s in p.steps:
            s.version_id = p.version.pk
            steps.append(s)
    Material.objects.bulk_create(materials, batch_size=_BATCH)
    Step.objects.bulk_create(steps, batch_size=_BATCH)


def _point_items_at_newest(item_ids: list[int]) -> None:
    """Each item's newest published version is the one just written: one UPDATE per batch, not one per item."""
    newest = (
        ItemVersion.objects.filter(item=OuterRef("pk"), status=ItemVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    for start in range(0, len(item_ids), _BATCH):
        ServiceItem.objects.filter(pk__in=item_ids[start : start + _BATCH]).update(published_version=Subquery(newest))


# -- themes ------------------------------------------------------------------------------------------


def _write_themes(parsed_themes: list[ParsedTheme], department_ids: dict[str, int], report: ImportReport) -> None:
    """Themes by code; a theme in the file has its items and prerequisites replaced by the file's (in place)."""
    themes = []
    for p in parsed_themes:
        p.theme.lead_department_id = department_ids[p.lead_department]
        p.theme.name_initials = pinyin_keys(p.theme.name).initials[:100]
        themes.append(p.theme)
    theme_rows, report.themes_created, report.themes_updated = _upsert(
        Theme, themes, [k for k in THEME_KEYS if k != "lead_department"] + ["lead_department", "name_initials"]
    )
    item_codes = {code for p in parsed_themes for code, _ in p.entries}
    item_ids = dict(
        ServiceItem.objects.filter(implementation_code__in=item_codes).values_list("implementation_code", "pk")
    )
    for p in parsed_themes:
        entries = [(item_ids[code], [item_ids[r] for r in requires]) for code, requires in p.entries]
        replace_theme_items(theme_rows[p.theme.code], entries)
