"""Reads of the forms (申请表): an item version's form as a `FormSpec`, an item's current form, a package's merged
form (一表申请), the difference between two versions' forms, the fill figures of an item (减填写)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onewindow.catalog.models import CACHE_NAMESPACE, ItemVersion, ServiceItem, Theme, ThemeItem
from onewindow.core.cache import ProcessCache
from onewindow.core.errors import NotFound
from onewindow.forms.models import Draft, FormField, FormRule, FormVersion
from onewindow.forms.spec import KIND_LABELS, Choice, Condition, FieldSpec, FormSpec, RuleSpec, merge, spec_to_dict


def _condition(raw: Any) -> Condition | None:
    if not isinstance(raw, dict) or not raw.get("field"):
        return None
    among = raw.get("in")
    return Condition(field=str(raw["field"]), equals=raw.get("equals"),
                     among=tuple(among) if isinstance(among, list) else ())


def _choices(raw: Any) -> tuple[Choice, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(Choice(value=str(c.get("value", "")), zh=str(c.get("zh", c.get("value", ""))),
                        en=str(c.get("en", ""))) for c in raw if isinstance(c, dict))


def field_spec(row: FormField, columns: list[FormField] = ()) -> FieldSpec:  # type: ignore[assignment]
    """A stored field (and its columns) as a `FieldSpec`."""
    return FieldSpec(
        key=row.key, kind=row.kind, label_zh=row.label_zh, label_en=row.label_en, help_zh=row.help_zh,
        help_en=row.help_en, required=row.required, element=row.element.code if row.element is not None else "",
        unit=row.unit, choices=_choices(row.choices), min_length=row.min_length, max_length=row.max_length,
        min_value=Decimal(row.min_value) if row.min_value is not None else None,
        max_value=Decimal(row.max_value) if row.max_value is not None else None, whole_number=row.whole_number,
        pattern=row.pattern, shown_when=_condition(row.shown_when), material=row.material_id,
        material_name=row.material.name if row.material is not None else "",
        columns=tuple(field_spec(c) for c in columns),
    )


def rule_spec(row: FormRule) -> RuleSpec:
    return RuleSpec(kind=row.kind, a=row.field_a, b=row.field_b, column=row.column, value=row.value,
                    message_zh=row.message_zh, message_en=row.message_en)


def spec_of(form: FormVersion) -> FormSpec:
    """A stored form as a `FormSpec` (three queries whatever its size)."""
    rows = list(FormField.objects.filter(form=form).select_related("element", "material").order_by("order", "id"))
    return _spec(form, rows, list(FormRule.objects.filter(form=form).order_by("order", "id")))


def _spec(form: FormVersion, rows: list[FormField], rules: list[FormRule]) -> FormSpec:
    columns: dict[int, list[FormField]] = {}
    for row in rows:
        if row.table_id:
            columns.setdefault(row.table_id, []).append(row)
    version = form.item_version
    return FormSpec(
        code=version.item.implementation_code, title=form.title or f"{version.name}申请表", version=version.number,
        fields=tuple(field_spec(r, columns.get(r.pk, [])) for r in rows if r.table_id is None),
        rules=tuple(rule_spec(r) for r in rules),
    )


def forms_of_versions(version_ids: Iterable[int]) -> dict[int, tuple[FormVersion, FormSpec]]:
    """The forms of many item versions at once, in three queries (a catalog import or export): per item version id
    that has a form, the form and its `FormSpec`."""
    forms = {f.pk: f for f in FormVersion.objects.filter(item_version_id__in=list(version_ids))
             .select_related("item_version__item", "replaces")}
    rows: dict[int, list[FormField]] = {pk: [] for pk in forms}
    for row in (FormField.objects.filter(form_id__in=list(forms)).select_related("element", "material")
                .order_by("form_id", "order", "id")):
        rows[row.form_id].append(row)
    rules: dict[int, list[FormRule]] = {pk: [] for pk in forms}
    for rule in FormRule.objects.filter(form_id__in=list(forms)).order_by("form_id", "order", "id"):
        rules[rule.form_id].append(rule)
    return {form.item_version_id: (form, _spec(form, rows[pk], rules[pk])) for pk, form in forms.items()}


def form_of(version: ItemVersion) -> FormVersion | None:
    """The form of an item version, or None when it has none; kept in the process until the catalog or a form
    changes (`core.cache`, namespace `catalog`). Read-only."""
    return _kept.get(("form_of", version.pk), lambda: FormVersion.objects.select_related("item_version__item")
                     .filter(item_version=version).first())


_kept = ProcessCache(CACHE_NAMESPACE)


def spec_for_version(version: ItemVersion | None) -> FormSpec | None:
    form = form_of(version) if version is not None else None
    return spec_of(form) if form is not None else None


def published_item(code: str) -> ServiceItem:
    """A published item by its 实施编码; NotFound otherwise."""
    item = ServiceItem.objects.select_related("published_version").filter(implementation_code=code).first()
    if item is None or item.published_version is None:
        raise NotFound(f"事项“{code}”不存在或尚未发布")
    return item


def item_form(code: str) -> tuple[FormVersion, FormSpec]:
    """The current (published) form of an item; NotFound when the item or its form does not exist."""
    item = published_item(code)
    form = form_of(item.published_version) if item.published_version is not None else None
    if form is None:
        raise NotFound(f"事项“{item.name}”的现行版本没有电子申请表", fields={"code": "no_form"})
    return form, spec_of(form)


@dataclass(frozen=True)
class PackageForm:
    """一表申请: a theme's merged form and, per item (实施编码), its own form and the map of its keys."""

    spec: FormSpec
    parts: dict[str, tuple[FormVersion, FormSpec]]
    keys: dict[str, dict[str, str]]


def published_theme(code: str) -> Theme:
    """A published theme (一件事主题) by its code; NotFound otherwise."""
    theme = Theme.objects.filter(code=code, published=True).first()
    if theme is None:
        raise NotFound(f"一件事主题“{code}”不存在或未发布")
    return theme


def theme_form(code: str) -> PackageForm:
    """A published theme's one form: its items' current forms merged, every shared data element asked once. Its
    version is the sum of its parts' form versions (each the item version number its form belongs to): item
    versions only go up, so publishing a new form for any part gives the package form a higher version."""
    theme = published_theme(code)
    entries = ThemeItem.objects.filter(theme=theme).select_related("item__published_version").order_by("order", "id")
    parts: dict[str, tuple[FormVersion, FormSpec]] = {}
    for entry in entries:
        version = entry.item.published_version
        form = form_of(version) if version is not None else None
        if form is not None:
            parts[entry.item.implementation_code] = (form, spec_of(form))
    if not parts:
        raise NotFound(f"一件事“{theme.name}”的事项都没有电子申请表", fields={"code": "no_form"})
    summed = sum(s.version for _f, s in parts.values())
    spec, keys = merge(theme.code, f"{theme.name}申请表（一表申请）", summed, [s for _f, s in parts.values()])
    return PackageForm(spec=spec, parts=parts, keys=keys)


# -- versions compared -----------------------------------------------------------------------------------------
ATTRIBUTE_LABELS = {
    "key": "字段标识", "kind": "字段类型", "label_zh": "中文名称", "label_en": "英文名称", "required": "必填",
    "help_zh": "中文填写说明", "help_en": "英文填写说明", "element": "数据元", "unit": "单位", "pattern": "格式（正则）",
    "min_length": "最短长度", "max_length": "最长长度", "min_value": "最小值", "max_value": "最大值",
    "material": "对应材料", "choices": "选项", "shown_when": "显示条件", "columns": "表格列",
}  # the attributes of a field as an editor reads them (the diff box of the form editor)


@dataclass(frozen=True)
class AttributeChange:
    """One attribute of a field, before → after, in words an editor reads (“最大值”, “100”, “200”)."""

    name: str  # the attribute (max_value)
    label: str  # its Chinese name (最大值)
    before: str  # "（无）" when it was not set
    after: str

    def __str__(self) -> str:
        return f"{self.label} {self.before} → {self.after}"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions of a form."""

    key: str
    label: str
    change: str  # added / removed / changed
    details: tuple[str, ...] = ()  # the attributes that changed
    required_dropped: bool = False  # the earlier version required it and this one drops it: allowed but shown
    values: tuple[AttributeChange, ...] = ()  # the changed attributes' values before → after, as `details`


def _words(name: str, value: Any, labels: dict[str, str], choices: dict[str, dict[str, str]]) -> str:
    """An attribute's value in words: 是/否, the kind's name, choices by their Chinese, a condition as a sentence,
    a table's columns by their names; （无） when not set."""
    if value is None or value == "" or value == []:
        return "（无）"
    if name == "required":
        return "是" if value else "否"
    if name == "kind":
        return KIND_LABELS.get(value, str(value))
    if name == "choices":
        return f"{len(value)} 项：" + "、".join(str(c.get("zh") or c.get("value")) for c in value)
    if name == "columns":
        return "、".join(str(c.get("label_zh") or c.get("key")) for c in value)
    if name == "shown_when" and isinstance(value, dict):
        field = str(value.get("field", ""))
        names = choices.get(field, {})
        wanted = value["in"] if "in" in value else [value.get("equals")]
        said = "或".join(f"“{names.get(str(v), v)}”" for v in wanted)
        return f"“{labels.get(field, field)}”为{said}时显示"
    return str(value)


def _attribute_changes(old: dict[str, Any], new: dict[str, Any], names: list[str],
                       context: tuple[dict[str, str], dict[str, dict[str, str]]]) -> tuple[AttributeChange, ...]:
    out = []
    for name in names:
        if name == "columns":  # a table: its columns compared one by one, each change named by its column
            before = {c["key"]: c for c in old.get(name) or []}
            after = {c["key"]: c for c in new.get(name) or []}
            for key in [*after, *(k for k in before if k not in after)]:
                a, b = before.get(key), after.get(key)
                column = (b or a or {}).get("label_zh", key)
                if a is None or b is None:
                    out.append(AttributeChange(name, "表格列", "（无）" if a is None else f"“{column}”",
                                               "（删除）" if b is None else f"新增“{column}”"))
                    continue
                inner = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                out.extend(AttributeChange(c.name, f"表格列“{column}”的{c.label}", c.before, c.after)
                           for c in _attribute_changes(a, b, inner, context))
            continue
        out.append(AttributeChange(name, ATTRIBUTE_LABELS.get(name, name), _words(name, old.get(name), *context),
                                   _words(name, new.get(name), *context)))
    return tuple(out)


def _context(*specs: FormSpec | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The fields' Chinese names and their choices' Chinese, by key (the later spec wins), to word conditions."""
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for spec in specs:
        for field in spec.fields if spec else ():
            labels[field.key] = field.label_zh
            choices[field.key] = {c.value: c.zh for c in field.choices}
    return labels, choices


def diff(before: FormSpec | None, after: FormSpec | None) -> list[FieldChange]:
    """Fields added, removed or changed from `before` to `after` (either may be absent); a changed field carries
    each changed attribute's value before → after in words (`FieldChange.values`)."""
    old = {f.key: spec_to_dict(f) for f in (before.fields if before else ())}
    new = {f.key: spec_to_dict(f) for f in (after.fields if after else ())}
    context = _context(before, after)
    changes: list[FieldChange] = []
    for key, field in new.items():
        if key not in old:
            changes.append(FieldChange(key, field["label_zh"], "added"))
        elif old[key] != field:
            names = sorted(k for k in set(old[key]) | set(field) if old[key].get(k) != field.get(k))
            changes.append(FieldChange(key, field["label_zh"], "changed", tuple(names),
                                       values=_attribute_changes(old[key], field, names, context)))
    for key, field in old.items():
        if key not in new:
            changes.append(FieldChange(key, field["label_zh"], "removed", required_dropped=bool(field["required"])))
    return changes


def previous_published(version: ItemVersion) -> ItemVersion | None:
    """The item's latest published version before `version`."""
    return (ItemVersion.objects.filter(item_id=version.item_id, status=ItemVersion.Status.PUBLISHED,
                                       number__lt=version.number).order_by("-number").first())


def draft_of(user: Any, *, item: ServiceItem | None = None, theme: Theme | None = None) -> Draft | None:
    """The applicant's saved draft (暂存) for an item or a package, or None."""
    if not getattr(user, "pk", None):
        return None
    return Draft.objects.filter(user=user, item=item, theme=theme).first()


def draft_form_changed(draft: Draft | None, spec: FormSpec) -> bool:
    """Whether a draft was saved on another version of its form than `spec` (the form now in force): the applicant
    is asked to check what they typed. A draft of an item records its form's item version number, one of a package
    the sum of its parts' (`theme_form`); a draft that recorded none (0) is not flagged."""
    return bool(draft and draft.form_version and draft.form_version != spec.version)
