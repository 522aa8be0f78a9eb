"""Items and their versions (事项与版本, 动态调整): register an item, open a draft, edit it, publish it with a
reason, throw it away, choose the 三减 baseline. A published version is frozen; a change is a new version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db.models import Max
from django.utils import timezone

from onewindow.catalog import events
from onewindow.catalog.acts.common import full_clean, require_catalog_editor, snapshot
from onewindow.catalog.models import ItemVersion, Material, ServiceItem, Step
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.selectors import ELEMENT_FIELDS, MATERIAL_FIELDS, STEP_FIELDS
from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import composable, each

# A version's materials or steps: the two kinds of row that belong to a version and freeze with it.
Part = TypeVar("Part", Material, Step)

# The elements of the current version an item carries itself, for search and lists.
MIRRORED_FIELDS = ["name", "department", "name_pinyin", "name_initials", "name_initials_alt", "name_pinyin_alt"]


def _require_draft(version: ItemVersion) -> None:
    if version.status != ItemVersion.Status.DRAFT:
        raise Conflict("已发布的版本不可修改，请新建草稿", code=ErrorCode.VERSION_FROZEN)


def _apply_elements(version: ItemVersion, elements: dict[str, Any]) -> None:
    unknown = sorted(set(elements) - set(ELEMENT_FIELDS))
    if unknown:
        raise InvalidInput(f"未知的事项要素：{'、'.join(unknown)}", fields={name: "未知要素" for name in unknown})
    for name, value in elements.items():
        setattr(version, name, value)


def _write_parts(version: ItemVersion, model: type[Part], rows: Iterable[dict[str, Any]]) -> None:
    """Replace a draft's materials or steps by `rows`, in the given order."""
    model.objects.filter(version=version).delete()
    objs: list[Part] = []
    label = "materials" if model is Material else "steps"
    for index, row in enumerate(rows):
        obj = model(
            version=version, order=row.get("order", index + 1), **{k: v for k, v in row.items() if k != "order"}
        )
        full_clean(obj, exclude=["version"], prefix=f"{label}[{index}].")
        objs.append(obj)
    model.objects.bulk_create(objs)


def _parts_snapshot(version: ItemVersion) -> dict[str, list[dict[str, Any]]]:
    return {
        "materials": [snapshot(m, MATERIAL_FIELDS) for m in version.materials.all()],
        "steps": [snapshot(s, STEP_FIELDS) for s in version.steps.all()],
    }


def _copy_parts(model: type[Part], source: ItemVersion, draft: ItemVersion, names: list[str]) -> None:
    model.objects.bulk_create(
        model(version=draft, **{n: getattr(part, n) for n in names})
        for part in model.objects.filter(version=source).order_by("order", "id")
    )


def mirror_elements(item: ServiceItem, version: ItemVersion) -> None:
    """Copy a version's name, department and the name's pinyin (名称拼音) onto the item, for search and lists."""
    keys = pinyin_keys(version.name)
    item.name = version.name
    item.department_id = version.department_id
    item.name_pinyin = keys.full
    item.name_initials = keys.initials
    item.name_initials_alt = " ".join(keys.alternatives)
    item.name_pinyin_alt = " ".join(keys.full_alternatives)


def mirror_published(item: ServiceItem, version: ItemVersion) -> list[str]:
    """Make `version` the item's current one and mirror its elements; returns the changed field names."""
    mirror_elements(item, version)
    item.published_version = version
    return ["published_version", *MIRRORED_FIELDS]


@composable
def create_item(
    *,
    implementation_code: str,
    basic_code: str,
    by: Any,
    materials: Iterable[dict[str, Any]] = (),
    steps: Iterable[dict[str, Any]] = (),
    **elements: Any,
) -> ItemVersion:
    """Register a new item (新增事项) with its first draft, version 1; returns the draft."""
    require_catalog_editor(by)
    if ServiceItem.objects.filter(implementation_code=implementation_code).exists():
        raise Conflict(f"实施编码“{implementation_code}”已存在", fields={"implementation_code": "已存在"})
    version = ItemVersion(number=1, status=ItemVersion.Status.DRAFT)
    _apply_elements(version, elements)
    item = ServiceItem(
        implementation_code=implementation_code,
        basic_code=basic_code,
        name=elements.get("name", ""),
        department=elements.get("department"),
    )
    full_clean(item, exclude=["published_version", "baseline_version"])
    full_clean(version, exclude=["item"])
    item.save()
    version.item = item
    version.save()
    _write_parts(version, Material, materials)
    _write_parts(version, Step, steps)
    audit.record(
        "catalog.item.create",
        obj=item,
        by=by,
        after={"implementation_code": implementation_code, "version": 1, **snapshot(version, ELEMENT_FIELDS)},
    )
    return version


@composable
def start_draft(item: ServiceItem, *, by: Any) -> ItemVersion:
    """Open the one draft of an item (新建草稿): a copy of the published version with its materials and steps."""
    require_catalog_editor(by)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.versions.filter(status=ItemVersion.Status.DRAFT).exists():
        raise Conflict(f"事项“{item.name}”已有草稿，请先发布或编辑该草稿", code=ErrorCode.DRAFT_EXISTS)
    if item.published_version_id is None:
        raise Conflict(f"事项“{item.name}”尚无发布版本", code=ErrorCode.NOTHING_PUBLISHED)
    source = ItemVersion.objects.get(pk=item.published_version_id)
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ItemVersion(item=item, number=number, status=ItemVersion.Status.DRAFT)
    for name in ELEMENT_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.save()
    _copy_parts(Material, source, draft, ["order", *MATERIAL_FIELDS, "blank_form", "sample"])
    _copy_parts(Step, source, draft, ["order", *STEP_FIELDS])
    audit.record(
        "catalog.version.draft", obj=draft, by=by, after={"item": item.implementation_code, "from": source.number}
    )
    events.version_drafted.send(events.VersionDrafted(draft=draft, source=source, by=by))
    return draft


@composable
def update_draft(
    version: ItemVersion,
    *,
    by: Any,
    materials: Iterable[dict[str, Any]] | None = None,
    steps: Iterable[dict[str, Any]] | None = None,
    **elements: Any,
) -> ItemVersion:
    """Change a draft's elements (修改草稿); `materials` / `steps`, when given, replace the lists in order."""
    require_catalog_editor(by)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    before = {
        **snapshot(version, elements),
        **(_parts_snapshot(version) if materials is not None or steps is not None else {}),
    }
    _apply_elements(version, elements)
    full_clean(version, exclude=["item"])
    version.save()
    if materials is not None:
        _write_parts(version, Material, materials)
    if steps is not None:
        _write_parts(version, Step, steps)
    after = snapshot(version, elements)
    if materials is not None or steps is not None:
        after.update(_parts_snapshot(version))
    audit.record("catalog.version.update", obj=version, by=by, before=before, after=after)
    return version


@composable
def save_draft_parts(
    version: ItemVersion, *, by: Any, save: Sequence[Material | Step] = (), delete: Sequence[Material | Step] = ()
) -> None:
    """Save or delete single materials/steps of a draft (the admin's inline rows)."""
    require_catalog_editor(by)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    before = _parts_snapshot(version)
    for part in delete:
        if part.version_id != version.pk:
            raise InvalidInput("材料或环节不属于该草稿")
        part.delete()
    for part in save:
        part.version = version
        full_clean(part, exclude=["version"])
        part.save()
    audit.record("catalog.version.parts", obj=version, by=by, before=before, after=_parts_snapshot(version))


@composable
def publish_version(version: ItemVersion, *, by: Any, reason: str) -> ItemVersion:
    """Publish a draft (发布): it freezes and becomes the item's current version; the reason is required."""
    require_catalog_editor(by)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("发布须填写调整原因", fields={"reason": "必填"})
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_draft(version)
    full_clean(version, exclude=["item"])
    item = version.item
    previous = item.published_version_id
    if previous and ItemVersion.objects.filter(pk=previous, number__gt=version.number).exists():
        # An import published a newer version while this draft was open; publishing it would roll the item back.
        raise Conflict("该草稿早于现行版本，已过时；请删除草稿后重新新建", code=ErrorCode.DRAFT_OUTDATED)
    version.status = ItemVersion.Status.PUBLISHED
    version.change_reason = reason
    version.published_at = timezone.now()
    version.published_by = by if getattr(by, "pk", None) else None
    version.save()
    item.save(update_fields=mirror_published(item, version))
    audit.record(
        "catalog.version.publish",
        obj=version,
        by=by,
        before={"published_version": previous},
        after={"item": item.implementation_code, "number": version.number, "name": version.name},
        reason=reason,
    )
    return version


@composable
def discard_draft(version: ItemVersion, *, by: Any) -> None:
    """Throw a draft away (删除草稿); an item's first draft goes with its item if nothing was ever published."""
    require_catalog_editor(by)
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_draft(version)
    item = version.item
    before = {"item": item.implementation_code, "number": version.number}
    pk = str(version.pk)
    version.delete()
    if item.published_version_id is None and not item.versions.exists():
        item.delete()
    audit.record("catalog.version.discard", object_type="catalog.itemversion", object_id=pk, by=by, before=before)


# Several drafts thrown away together (批量删除草稿), all or none: `discard_drafts(versions, by=…)`.
discard_drafts = each(discard_draft)


@composable
def set_baseline_version(item: ServiceItem, version: ItemVersion | None, *, by: Any) -> ServiceItem:
    """Choose the 三减 baseline (基准版本); None means the first published version."""
    require_catalog_editor(by)
    if version is not None and (version.item_id != item.pk or version.status != ItemVersion.Status.PUBLISHED):
        raise InvalidInput("基准版本须为该事项已发布的版本", fields={"baseline_version": "须为已发布版本"})
    before = item.baseline_version_id
    item.baseline_version = version
    item.save(update_fields=["baseline_version"])
    audit.record(
        "catalog.item.baseline",
        obj=item,
        by=by,
        before={"baseline_version": before},
        after={"baseline_version": item.baseline_version_id},
    )
    return item
