"""Designing forms (申请表设计): the data element dictionary, a draft item version's form written whole (an import,
the demo, the API) or row by row (the admin's inlines), the form following its item into a new draft. Only the
center's catalog editors design forms; a published version's form is frozen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from onewindow.catalog.acts.common import full_clean, plain_row, require_catalog_editor
from onewindow.catalog.models import ItemVersion, Material
from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput
from onewindow.core.kit import composable
from onewindow.forms.models import DataElement, FormField, FormRule, FormVersion
from onewindow.forms.selectors import spec_of
from onewindow.forms.spec import (
    FieldSpec,
    FormSpec,
    Kind,
    design_problems,
    field_from_dict,
    problem,
    rule_from_dict,
    rule_to_dict,
    spec_to_dict,
)


def _require_draft(version: ItemVersion) -> None:
    if version.status != ItemVersion.Status.DRAFT:
        raise Conflict("已发布的事项版本，其申请表不可修改，请新建草稿", code=ErrorCode.VERSION_FROZEN)


def _snapshot(form: FormVersion) -> dict[str, Any]:
    spec = spec_of(form)
    return {"title": form.title, "replaces": form.replaces.name if form.replaces is not None else "",
            "fields": [spec_to_dict(f) for f in spec.fields], "rules": [rule_to_dict(r) for r in spec.rules]}


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise InvalidInput("申请表设计有误：" + "；".join(f"{k}：{v}" for k, v in problems.items()), fields=problems)


def _element_problems(fields: Sequence[FieldSpec], elements: Mapping[str, DataElement], prefix: str = "fields"
                      ) -> dict[str, str]:
    problems: dict[str, str] = {}
    for index, field in enumerate(fields):
        where = f"{prefix}.{index}"
        if not field.element:
            problems.update(_element_problems(field.columns, elements, f"{where}.columns"))
            continue
        element = elements.get(field.element)
        if element is None:
            problems[f"{where}.element"] = problem(f"数据元“{field.element}”不在数据元字典中",
                                                   f"data element “{field.element}” is not in the dictionary")
        elif field.key != element.code or field.kind != element.kind:
            problems[f"{where}.element"] = problem(
                f"映射数据元“{element.name_zh}”的字段，标识应为“{element.code}”，类型应为“{element.get_kind_display()}”",
                f"a field meaning data element “{element.name_en or element.name_zh}” must have the key "
                f"“{element.code}” and the kind “{element.kind}”")
    return problems


def element_codes(spec: FormSpec) -> set[str]:
    """The data elements (codes) a form's fields and table columns mean."""
    return ({f.element for f in spec.fields if f.element}
            | {c.element for f in spec.fields for c in f.columns if c.element})


def check_design(version: ItemVersion, spec: FormSpec) -> dict[str, str]:
    """Every problem of a form designed for `version`: the form's own (`spec.design_problems`), its data elements
    (known, key and kind as the dictionary says) and its file fields' materials (of this version)."""
    elements = DataElement.objects.in_bulk(element_codes(spec), field_name="code")
    materials = {m.name for m in Material.objects.filter(version=version)}
    return check_design_against(spec, elements, materials)


def check_design_against(spec: FormSpec, elements: Mapping[str, DataElement], materials: set[str]) -> dict[str, str]:
    """`check_design` against the given data elements (by code) and material names — a catalog import checks a
    form against the dictionary and the materials its file will write, before anything is."""
    problems = design_problems(spec)
    problems.update(_element_problems(spec.fields, elements))
    for index, field in enumerate(spec.fields):
        if field.kind == Kind.FILE and field.material_name not in materials:
            problems[f"fields.{index}.material"] = problem(
                "文件字段须对应本事项版本的一份申请材料", "a file field must stand for one of this item version's materials")
    return problems


def field_row(form: FormVersion, spec: FieldSpec, order: int, *, table: FormField | None,
              elements: Mapping[str, DataElement], materials: Mapping[str, Material]) -> FormField:
    """A field as an unsaved row of `form` (its columns are rows of their own, with this one as their table)."""
    return FormField(
        form=form, table=table, order=order, key=spec.key, kind=spec.kind, label_zh=spec.label_zh,
        label_en=spec.label_en, help_zh=spec.help_zh, help_en=spec.help_en, required=spec.required,
        element=elements.get(spec.element), unit=spec.unit,
        choices=[{"value": c.value, "zh": c.zh, "en": c.en} for c in spec.choices],
        min_length=spec.min_length, max_length=spec.max_length, min_value=spec.min_value, max_value=spec.max_value,
        whole_number=spec.whole_number, pattern=spec.pattern, shown_when=spec.shown_when.as_dict() if spec.shown_when else None,
        material=materials.get(spec.material_name),
    )


def _write_field(form: FormVersion, spec: FieldSpec, order: int, *, table: FormField | None,
                 elements: Mapping[str, DataElement], materials: Mapping[str, Material]) -> FormField:
    row = field_row(form, spec, order, table=table, elements=elements, materials=materials)
    full_clean(row, exclude=["form", "table", "element", "material"], prefix=f"fields.{order - 1}.")
    row.save()
    for index, column in enumerate(spec.columns, start=1):
        _write_field(form, column, index, table=row, elements=elements, materials=materials)
    return row


def write_form(form: FormVersion, spec: FormSpec) -> None:
    """Replace a draft form's fields and rules by `spec` (already checked)."""
    FormRule.objects.filter(form=form).delete()
    FormField.objects.filter(form=form).delete()
    elements = DataElement.objects.in_bulk(element_codes(spec), field_name="code")
    materials = {m.name: m for m in Material.objects.filter(version_id=form.item_version_id)}
    for index, field in enumerate(spec.fields, start=1):
        _write_field(form, field, index, table=None, elements=elements, materials=materials)
    FormRule.objects.bulk_create(rule_rows(form, spec))


def rule_rows(form: FormVersion, spec: FormSpec) -> list[FormRule]:
    """The form's cross-field rules as unsaved rows, in order."""
    return [FormRule(form=form, order=index, kind=r.kind, field_a=r.a, field_b=r.b, column=r.column, value=r.value,
                     message_zh=r.message_zh, message_en=r.message_en)
            for index, r in enumerate(spec.rules, start=1)]


def write_published_forms(forms: Sequence[tuple[ItemVersion, str, str, FormSpec]]) -> int:
    """Forms born with their published item versions (a catalog import writes the version and its form together):
    `(version, title, replaces, spec)` — `replaces` the name of the version's material the form stands for, or "" —
    each already checked, written in bulk statements: the freeze check of a row's save() would refuse a form part
    of a published version. Returns how many forms were written."""
    if not forms:
        return 0
    materials: dict[int, dict[str, Material]] = {}
    for m in Material.objects.filter(version_id__in=[version.pk for version, _, _, _ in forms]):
        materials.setdefault(m.version_id, {})[m.name] = m
    rows = [FormVersion(item_version=version, title=title, replaces=materials.get(version.pk, {}).get(replaces))
            for version, title, replaces, _ in forms]
    FormVersion.objects.bulk_create(rows)
    codes = set().union(*(element_codes(spec) for _, _, _, spec in forms))
    elements = DataElement.objects.in_bulk(codes, field_name="code")
    tables: list[tuple[FormVersion, FormField, FieldSpec, dict[str, Material]]] = []
    fields: list[FormField] = []
    for form, (version, _, _, spec) in zip(rows, forms, strict=True):
        own = materials.get(version.pk, {})
        for index, field in enumerate(spec.fields, start=1):
            fields.append(field_row(form, field, index, table=None, elements=elements, materials=own))
            if field.columns:
                tables.append((form, fields[-1], field, own))
    FormField.objects.bulk_create(fields)
    FormField.objects.bulk_create(
        field_row(form, column, index, table=table, elements=elements, materials=own)
        for form, table, field, own in tables for index, column in enumerate(field.columns, start=1))
    FormRule.objects.bulk_create(rule for form, (_, _, _, spec) in zip(rows, forms, strict=True)
                                 for rule in rule_rows(form, spec))
    return len(rows)


@composable
def save_form(version: ItemVersion, *, by: Any, fields: Iterable[Mapping[str, Any]],
              rules: Iterable[Mapping[str, Any]] = (), title: str = "", replaces: str = "") -> FormVersion:
    """Design a draft item version's form whole (设计申请表): `fields` and `rules` in `spec_to_dict` /
    `rule_to_dict` shape replace what it had; `replaces` names the version's material (the paper 申请书) the form
    stands for, which an applicant who fills the form no longer uploads. Every problem is named at once (422),
    nothing written then."""
    require_catalog_editor(by)
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_draft(version)
    spec = FormSpec(code=version.item.implementation_code, title=title, version=version.number,
                    fields=tuple(field_from_dict(f) for f in fields), rules=tuple(rule_from_dict(r) for r in rules))
    problems = check_design(version, spec)
    replaced = Material.objects.filter(version=version, name=replaces).first() if replaces else None
    if replaces and replaced is None:
        problems["replaces"] = "替代的材料须为本事项版本的一份申请材料"
    _raise(problems)
    form, created = FormVersion.objects.get_or_create(item_version=version, defaults={"title": title})
    before = None if created else _snapshot(form)
    if form.title != title or form.replaces_id != getattr(replaced, "pk", None):
        form.title = title
        form.replaces = replaced
        form.save(update_fields=["title", "replaces"])
    write_form(form, spec)
    audit.record("forms.form.save", obj=form, by=by, before=before, after=_snapshot(form))
    return form


@composable
def save_form_parts(form: FormVersion, *, by: Any, save: Sequence[FormField | FormRule] = (),
                    delete: Sequence[FormField | FormRule] = ()) -> FormVersion:
    """Save or delete single fields and rules of a draft's form (the admin's inline rows); the form as a whole
    must still hold together afterwards, else nothing is written (422 naming every problem)."""
    require_catalog_editor(by)
    form = FormVersion.objects.select_for_update().select_related("item_version__item").get(pk=form.pk)
    _require_draft(form.item_version)
    before = _snapshot(form)
    for row in delete:
        if row.form_id != form.pk:
            raise InvalidInput("字段或规则不属于该申请表")
        row.delete()
    for row in save:
        row.form = form
        full_clean(row, exclude=["form", "table"])
        row.save()
    _raise(check_design(form.item_version, spec_of(form)))
    audit.record("forms.form.save", obj=form, by=by, before=before, after=_snapshot(form))
    return form


@composable
def open_form(version: ItemVersion, *, by: Any, title: str = "") -> FormVersion:
    """The draft item version's form, opened empty when it has none (新建申请表)."""
    require_catalog_editor(by)
    _require_draft(version)
    form, created = FormVersion.objects.get_or_create(item_version=version, defaults={"title": title})
    if created:
        audit.record("forms.form.open", obj=form, by=by, after={"item_version": version.pk, "title": title})
    return form


@composable
def copy_form(source: ItemVersion, draft: ItemVersion, *, by: Any) -> FormVersion | None:
    """The published version's form copied into its new draft (the form follows its item, 动态调整)."""
    form = FormVersion.objects.filter(item_version=source).first()
    if form is None or FormVersion.objects.filter(item_version=draft).exists():
        return None
    # the draft's materials are copies: the one the form stands for is found again by its name
    replaces = Material.objects.filter(version=draft, name=form.replaces.name).first() if form.replaces else None
    copy = FormVersion.objects.create(item_version=draft, title=form.title, replaces=replaces)
    write_form(copy, spec_of(form))
    audit.record("forms.form.copy", obj=copy, by=by, after={"from": form.pk, "item_version": draft.pk})
    return copy


# -- the data element dictionary -------------------------------------------------------------------------------
@composable
def save_element(element: DataElement, *, by: Any) -> DataElement:
    """Add or change a shared data element (共享数据元). Its code and kind are what its fields take: neither
    changes once a field uses it."""
    require_catalog_editor(by)
    full_clean(element, exclude=["id"] if element.pk is None else [])
    before = None
    if element.pk:
        stored = DataElement.objects.select_for_update().get(pk=element.pk)
        before = plain_row(stored)
        used = FormField.objects.filter(element=stored).exists()
        if used and (stored.code != element.code or stored.kind != element.kind):
            raise Conflict("已有申请表字段映射该数据元，编码和类型不能修改", code=ErrorCode.IN_USE,
                           fields={"code": "in_use"})
    element.save()
    audit.record("forms.element.save", obj=element, by=by, before=before, after=plain_row(element))
    return element


@composable
def delete_element(element: DataElement, *, by: Any) -> None:
    """Remove a data element no field uses."""
    require_catalog_editor(by)
    if FormField.objects.filter(element=element).exists():
        raise Conflict(f"数据元“{element.name_zh}”仍被申请表字段使用，不能删除", code=ErrorCode.IN_USE)
    before = plain_row(element)
    pk = str(element.pk)
    element.delete()
    audit.record("forms.element.delete", object_type="forms.dataelement", object_id=pk, by=by, before=before)
