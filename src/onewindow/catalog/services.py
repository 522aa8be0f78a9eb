"""Catalog writes: items and their versions (动态调整), reference data, themes. One transaction each, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from onewindow.catalog import acts
from onewindow.catalog.acts import require_catalog_editor
from onewindow.catalog.dag import find_cycle
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.catalog.search import pinyin_keys
from onewindow.catalog.selectors import ELEMENT_FIELDS, MATERIAL_FIELDS, STEP_FIELDS
from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import service

_PART_COPY_FIELDS = {
    Material: ["order", *MATERIAL_FIELDS, "blank_form", "sample"],
    Step: ["order", *STEP_FIELDS],
}


def _invalid(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """A Django ValidationError as one InvalidInput naming every field."""
    if hasattr(exc, "error_dict"):
        fields = {f"{prefix}{k}": "；".join(v) for k, v in exc.message_dict.items()}
    else:
        fields = {prefix.rstrip(".") or "version": "；".join(exc.messages)}
    return InvalidInput("；".join(f"{k}：{v}" for k, v in fields.items()), fields=fields)


def _snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, f"{name}_id" if obj._meta.get_field(name).is_relation else name) for name in names}


def _full_clean(obj: models.Model, *, exclude: Sequence[str] = (), prefix: str = "") -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc, prefix) from None


def _require_draft(version: ItemVersion) -> None:
    if version.status != ItemVersion.Status.DRAFT:
        raise Conflict("已发布的版本不可修改，请新建草稿", code=ErrorCode.VERSION_FROZEN)


def _apply_elements(version: ItemVersion, elements: dict[str, Any]) -> None:
    unknown = sorted(set(elements) - set(ELEMENT_FIELDS))
    if unknown:
        raise InvalidInput(f"未知的事项要素：{'、'.join(unknown)}", fields={name: "未知要素" for name in unknown})
    for name, value in elements.items():
        setattr(version, name, value)


def _write_parts(version: ItemVersion, model: type[Material] | type[Step], rows: Iterable[dict[str, Any]]) -> None:
    """Replace a draft's materials or steps by `rows`, in the given order."""
    model.objects.filter(version=version).delete()
    objs = []
    label = "materials" if model is Material else "steps"
    for index, row in enumerate(rows):
        obj = model(
            version=version, order=row.get("order", index + 1), **{k: v for k, v in row.items() if k != "order"}
        )
        _full_clean(obj, exclude=["version"], prefix=f"{label}[{index}].")
        objs.append(obj)
    model.objects.bulk_create(objs)


def _parts_snapshot(version: ItemVersion) -> dict[str, list[dict[str, Any]]]:
    return {
        "materials": [_snapshot(m, MATERIAL_FIELDS) for m in version.materials.all()],
        "steps": [_snapshot(s, STEP_FIELDS) for s in version.steps.all()],
    }


@transaction.atomic
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
    _full_clean(item, exclude=["published_version", "baseline_version"])
    _full_clean(version, exclude=["item"])
    item.save()
    version.item = item
    version.save()
    _write_parts(version, Material, materials)
    _write_parts(version, Step, steps)
    audit.record(
        "catalog.item.create",
        obj=item,
        by=by,
        after={"implementation_code": implementation_code, "version": 1, **_snapshot(version, ELEMENT_FIELDS)},
    )
    return version


@transaction.atomic
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
    for model, names in _PART_COPY_FIELDS.items():
        model.objects.bulk_create(
            model(version=draft, **{n: getattr(part, n) for n in names})
            for part in model.objects.filter(version=source).order_by("order", "id")
        )
    audit.record(
        "catalog.version.draft", obj=draft, by=by, after={"item": item.implementation_code, "from": source.number}
    )
    return draft


@transaction.atomic
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
        **_snapshot(version, elements),
        **(_parts_snapshot(version) if materials is not None or steps is not None else {}),
    }
    _apply_elements(version, elements)
    _full_clean(version, exclude=["item"])
    version.save()
    if materials is not None:
        _write_parts(version, Material, materials)
    if steps is not None:
        _write_parts(version, Step, steps)
    after = _snapshot(version, elements)
    if materials is not None or steps is not None:
        after.update(_parts_snapshot(version))
    audit.record("catalog.version.update", obj=version, by=by, before=before, after=after)
    return version


@transaction.atomic
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
        _full_clean(part, exclude=["version"])
        part.save()
    audit.record("catalog.version.parts", obj=version, by=by, before=before, after=_parts_snapshot(version))


MIRRORED_FIELDS = ["name", "department", "name_pinyin", "name_initials", "name_initials_alt"]


def mirror_elements(item: ServiceItem, version: ItemVersion) -> None:
    """Copy a version's name, department and the name's pinyin (名称拼音) onto the item, for search and lists."""
    keys = pinyin_keys(version.name)
    item.name = version.name
    item.department_id = version.department_id
    item.name_pinyin = keys.full
    item.name_initials = keys.initials
    item.name_initials_alt = " ".join(keys.alternatives)


def mirror_published(item: ServiceItem, version: ItemVersion) -> list[str]:
    """Make `version` the item's current one and mirror its elements; returns the changed field names."""
    mirror_elements(item, version)
    item.published_version = version
    return ["published_version", *MIRRORED_FIELDS]


@transaction.atomic
def publish_version(version: ItemVersion, *, by: Any, reason: str) -> ItemVersion:
    """Publish a draft (发布): it freezes and becomes the item's current version; the reason is required."""
    require_catalog_editor(by)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("发布须填写调整原因", fields={"reason": "必填"})
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_draft(version)
    _full_clean(version, exclude=["item"])
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


@transaction.atomic
def discard_draft(version: ItemVersion, *, by: Any) -> None:
    """Throw a draft away (删除草稿); an item's first draft goes with its item if nothing was ever published."""
    require_catalog_editor(by)
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_draft(version)
    item = version.item
    snapshot = {"item": item.implementation_code, "number": version.number}
    pk = str(version.pk)
    version.delete()
    if item.published_version_id is None and not item.versions.exists():
        item.delete()
    audit.record("catalog.version.discard", object_type="catalog.itemversion", object_id=pk, by=by, before=snapshot)


@transaction.atomic
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


# -- reference data: service points, halls, departments, item types, themes ----------------------


REFERENCE_MODELS = (ServicePoint, Hall, Department, ItemType, Theme)


def _plain(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@transaction.atomic
def save_reference(obj: ServicePoint | Hall | Department | ItemType | Theme, *, by: Any) -> models.Model:
    """Create or change a service point, hall, department, item type or theme (基础数据维护)."""
    require_catalog_editor(by)
    if not isinstance(obj, REFERENCE_MODELS):
        raise InvalidInput(f"{obj._meta.verbose_name}不通过此功能维护")
    before = _plain(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
    if isinstance(obj, Theme):
        obj.name_initials = pinyin_keys(obj.name).initials[:100]
    _full_clean(obj)
    obj.save()
    action = "update" if before else "create"
    audit.record(f"catalog.{obj._meta.model_name}.{action}", obj=obj, by=by, before=before, after=_plain(obj))
    return obj


def _deleted_with(obj: models.Model) -> dict[str, Any]:
    """What goes with a deleted row (CASCADE), so the audit shows it too: a service point's halls, a theme's items."""
    if isinstance(obj, ServicePoint):
        return {"halls": [_plain(hall) for hall in obj.halls.all()]}
    if isinstance(obj, Theme):
        return {"items": list(obj.theme_items.values_list("item__implementation_code", flat=True))}
    return {}


@transaction.atomic
def delete_reference(obj: ServicePoint | Hall | Department | ItemType | Theme, *, by: Any) -> None:
    """Delete a reference row; rows still in use are protected (PROTECT) and raise Conflict."""
    require_catalog_editor(by)
    if not isinstance(obj, REFERENCE_MODELS):
        raise InvalidInput(f"{obj._meta.verbose_name}不通过此功能删除")
    before, label, pk = {**_plain(obj), **_deleted_with(obj)}, obj._meta.label_lower, str(obj.pk)
    try:
        with transaction.atomic():
            obj.delete()
    except models.ProtectedError:
        raise Conflict(f"“{obj}”仍在使用，不能删除", code=ErrorCode.IN_USE) from None
    audit.record(f"catalog.{obj._meta.model_name}.delete", object_type=label, object_id=pk, by=by, before=before)


def replace_theme_items(theme: Theme, entries: Sequence[tuple[int, Sequence[int]]]) -> None:
    """Make `entries` (item id, prerequisite item ids), in order, the theme's items, in place: an item that stays
    keeps its entry, which the packages applied for (一件事办件) refer to; only items left out are removed.

    A building block of set_theme_items and the catalog import: no permission check, no audit.
    """
    rows = {entry.item_id: entry for entry in ThemeItem.objects.filter(theme=theme)}
    wanted = [item_id for item_id, _ in entries]
    dropped = [entry.pk for item_id, entry in rows.items() if item_id not in wanted]
    try:
        with transaction.atomic():
            ThemeItem.objects.filter(pk__in=dropped).delete()
    except models.ProtectedError:
        raise Conflict(
            f"主题“{theme.name}”中要移出的事项已有一件事办件，不能移出", code=ErrorCode.IN_USE, fields={"items": "已有办件"}
        ) from None
    moved, new = [], []
    for order, item_id in enumerate(wanted, start=1):
        entry = rows.get(item_id)
        if entry is None:
            new.append(ThemeItem(theme=theme, item_id=item_id, order=order))
        elif entry.order != order:
            entry.order = order
            moved.append(entry)
    ThemeItem.objects.bulk_update(moved, ["order"])
    ThemeItem.objects.bulk_create(new)
    by_item = {**rows, **{entry.item_id: entry for entry in new}}
    through = ThemeItem.requires.through
    through.objects.filter(from_themeitem__theme=theme).delete()
    through.objects.bulk_create(
        through(from_themeitem_id=by_item[item_id].pk, to_themeitem_id=by_item[required].pk)
        for item_id, requires in entries
        for required in requires
    )


@transaction.atomic
def set_theme_items(theme: Theme, entries: Sequence[tuple[ServiceItem, Sequence[ServiceItem]]], *, by: Any) -> Theme:
    """Replace a theme's items (一件事事项) with `(item, prerequisites)` pairs, in order."""
    require_catalog_editor(by)
    items_in_theme = {item.pk for item, _ in entries}
    if len(items_in_theme) != len(entries):
        raise InvalidInput("同一事项在主题中出现了两次", fields={"items": "重复"})
    for item, requires in entries:
        outside = [r.name for r in requires if r.pk not in items_in_theme]
        if outside:
            raise InvalidInput(f"前置事项须在同一主题中：{'、'.join(outside)}", fields={"requires": "不在主题中"})
        if any(r.pk == item.pk for r in requires):
            raise InvalidInput(f"事项“{item.name}”不能以自身为前置事项", fields={"requires": "自身"})
    cycle = find_cycle((r.name, item.name) for item, requires in entries for r in requires)
    if cycle:
        raise InvalidInput("前置事项存在循环：" + " → ".join(cycle), fields={"requires": "存在循环"})
    before = list(theme.theme_items.values_list("item__implementation_code", flat=True))
    replace_theme_items(theme, [(item.pk, [r.pk for r in requires]) for item, requires in entries])
    audit.record(
        "catalog.theme.items",
        obj=theme,
        by=by,
        before={"items": before},
        after={"items": [item.implementation_code for item, _ in entries]},
    )
    return theme


assign_department = service(acts.assign_department)
