"""电子申请表 in the catalog file (docs/catalog-format.md): the data element dictionary (`data_elements`) and the
forms of the items' versions (`forms`) travel with the catalog's JSON/XLSX import and export, as two sections
registered with `catalog.importexport.sections` (the catalog, below the forms, does not import them).

Import is the catalog's, all or nothing: these sections are checked with every other before anything is written,
each problem named by JSON path (`forms[0].fields[3]：pattern：…`) or by sheet, row and column
(`form_fields 表第5行：pattern：…`), in Chinese and English. A form is checked as the designer checks it
(`acts.design.check_design_against`: its own design, its data elements, its file fields' materials), against the
dictionary as the import will leave it and the materials the file gives its item.

A form belongs to an item version and freezes with it, so an import never changes a published form: an item whose
form in the file differs from its published version's gets a new published version carrying the file's form, as
an item whose elements changed does (动态调整); an item the `forms` section leaves out keeps its form, which
follows it into a new version the import makes for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from onewindow.catalog.importexport import sections
from onewindow.catalog.importexport.problems import Problems
from onewindow.catalog.importexport.rows import BOOLEANS, key_text, text, whole_number
from onewindow.catalog.importexport.sections import Rows, Section, Sheet, Written
from onewindow.catalog.importexport.validation import ParsedCatalog
from onewindow.catalog.models import ServiceItem
from onewindow.forms.acts.design import check_design_against, write_published_forms
from onewindow.forms.models import DataElement, FormField, FormRule, FormVersion
from onewindow.forms.selectors import forms_of_versions
from onewindow.forms.spec import FormSpec, Kind, field_from_dict, rule_from_dict, rule_to_dict, spec_to_dict

ELEMENT_KEYS = ["code", "name_zh", "name_en", "standard", "kind", "source", "source_key", "authoritative"]
FORM_KEYS = ["item", "title", "replaces", "fields", "rules"]
# A field as `spec_to_dict` writes it: these keys always, the others only when they hold something.
FIELD_BASE_KEYS = ["key", "kind", "label_zh", "label_en", "required"]
FIELD_KEYS = [*FIELD_BASE_KEYS, "help_zh", "help_en", "element", "unit", "pattern", "min_length", "max_length",
              "min_value", "max_value", "whole_number", "material", "choices", "shown_when", "columns"]
RULE_KEYS = ["kind", "a", "b", "column", "value", "message_zh", "message_en"]
_TEXT_FIELD_KEYS = ["key", "kind", "label_zh", "label_en", "help_zh", "help_en", "element", "unit", "pattern",
                    "material"]
_JSON_CELLS = ("choices", "shown_when")

ELEMENT_SHEET = Sheet("data_elements", tuple(ELEMENT_KEYS),
                      text=frozenset({"name_zh", "name_en", "standard", "source", "source_key"}))
FORM_SHEET = Sheet("forms", ("item", "title", "replaces"), text=frozenset({"title", "replaces"}))
FIELD_SHEET = Sheet("form_fields", ("item", "table", *FIELD_KEYS[:-1]),
                    text=frozenset({"table", *_TEXT_FIELD_KEYS}),
                    null=frozenset({"min_length", "max_length", "min_value", "max_value", "whole_number",
                                    *_JSON_CELLS}))
RULE_SHEET = Sheet("form_rules", ("item", *RULE_KEYS), text=frozenset({"a", "b", "column", "message_zh", "message_en"}),
                   null=frozenset({"value"}))


# -- messages in Chinese and English ---------------------------------------------------------------------------
def _say(message: str, **params: Any) -> str:
    """A problem in Chinese, then its English (from the .po): `应为文字 / must be text`."""
    zh = message % params if params else message
    with translation.override("en"):
        en = gettext(message) % params if params else gettext(message)
    return f"{zh} / {en}" if en != zh else zh


def _both(message: Any) -> str:
    """A design problem (`spec.Problem`) with its English."""
    english = getattr(message, "en", "")
    return f"{message} / {english}" if english else str(message)


def _model_problems(row: models.Model, exclude: Iterable[str]) -> dict[str, str]:
    """The model's own checks of a row (lengths, choices, digits), each message in Chinese and English."""
    try:
        row.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        with translation.override("zh-hans"):
            zh = {k: "；".join(v) for k, v in exc.message_dict.items()}
        with translation.override("en"):
            en = {k: "; ".join(v) for k, v in exc.message_dict.items()}
        return {k: f"{zh[k]} / {en[k]}" for k in zh}
    return {}


def _column_problems(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, str]:
    """The model's checks of the named columns' values (lengths, digits), without building a row: a catalog of
    560 forms has some 8,000 fields. Each message in Chinese and English."""
    problems: dict[str, str] = {}
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as exc:
            with translation.override("zh-hans"):
                zh = "；".join(exc.messages)
            with translation.override("en"):
                en = "; ".join(exc.messages)
            problems[name] = f"{zh} / {en}"
    return problems


# -- plain values read leniently (a spreadsheet's numbers as text, TRUE/是) --------------------------------------
def _as_text(value: Any) -> tuple[Any, str]:
    if value is None:
        return "", ""
    if isinstance(value, str):
        return value.strip(), ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value), ""
    return value, _say(gettext_noop("应为文字"))


def _as_bool(value: Any) -> tuple[Any, str]:
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, str) and value.strip().lower() in BOOLEANS:
        return BOOLEANS[value.strip().lower()], ""
    if value in (0, 1) and isinstance(value, int):
        return bool(value), ""
    return value, _say(gettext_noop("应为 true 或 false"))


def _as_flag(value: Any) -> tuple[Any, str]:
    """An optional true/false (an empty cell is false)."""
    return (False, "") if value is None or value == "" else _as_bool(value)


def _as_count(value: Any) -> tuple[Any, str]:
    if value is None or value == "":
        return None, ""
    number = whole_number(value)
    if number is None or number < 0:
        return value, _say(gettext_noop("应为非负整数，不是“%(value)s”"), value=value)
    return number, ""


def _as_number(value: Any) -> tuple[Any, str]:
    if value is None or value == "":
        return None, ""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number, ""
    return value, _say(gettext_noop("应为数字，不是“%(value)s”"), value=value)


def _read(entry: dict, readers: Mapping[str, Callable[[Any], tuple[Any, str]]], path: tuple,
          problems: Problems) -> dict[str, Any]:
    """The entry's plain values that its readers take; each one refused is a problem, and left out."""
    out: dict[str, Any] = {}
    for key, reader in readers.items():
        if key not in entry:
            continue
        value, problem = reader(entry[key])
        if problem:
            problems.add(path, problem, key)
        else:
            out[key] = value
    return out


def _unknown(entry: dict, keys: Iterable[str], path: tuple, problems: Problems) -> None:
    for key in sorted(set(entry) - set(keys)):
        problems.add(path, _say(gettext_noop("未知字段")), key)


def _object(entry: Any, path: tuple, problems: Problems) -> bool:
    if isinstance(entry, dict):
        return True
    problems.add(path, _say(gettext_noop("应为对象 {…}")))
    return False


def _list(entry: dict, key: str, path: tuple, problems: Problems) -> list:
    value = entry.get(key, [])
    if isinstance(value, list):
        return value
    problems.add(path, _say(gettext_noop("应为列表 […]")), key)
    return []


def _duplicates(values: list[tuple[tuple, str]], message: str, problems: Problems) -> None:
    """Report each `(path, value)` whose value an earlier one has, naming where the earlier one is."""
    seen: dict[str, tuple] = {}
    for path, value in values:
        if value in seen:
            problems.add(path, _say(message, value=value, where=problems.where(seen[value])))
        elif value:
            seen[value] = path


# -- data_elements ---------------------------------------------------------------------------------------------
@dataclass
class ParsedElements:
    """The file's elements as the import leaves them, for the forms' checks (`after`), and the rows to write."""

    after: dict[str, DataElement] = field(default_factory=dict)
    new: list[DataElement] = field(default_factory=list)
    changed: list[DataElement] = field(default_factory=list)


_ELEMENT_READERS = {"code": _as_text, "name_zh": _as_text, "name_en": _as_text, "standard": _as_text,
                    "kind": _as_text, "source": _as_text, "source_key": _as_text, "authoritative": _as_bool}


def validate_elements(entries: list, problems: Problems, parsed: ParsedCatalog) -> ParsedElements:
    """The `data_elements` section: each entry a known element by `code` (a left-out key keeps the stored value)
    or a new one; codes unique; the kind of an element that fields already use never changes."""
    result = ParsedElements()
    read: list[tuple[tuple, dict]] = []
    for i, entry in enumerate(entries):
        path = ("data_elements", i)
        if not _object(entry, path, problems):
            continue
        _unknown(entry, ELEMENT_KEYS, path, problems)
        before = len(problems.messages)
        values = _read(entry, _ELEMENT_READERS, path, problems)
        if len(problems.messages) == before:
            read.append((path, values))
    _duplicates([(path, key_text(values.get("code"))) for path, values in read],
                gettext_noop("数据元编码“%(value)s”与 %(where)s 重复"), problems)
    stored = DataElement.objects.in_bulk([key_text(v.get("code")) for _, v in read], field_name="code")
    used = set(FormField.objects.filter(element__in=stored.values()).values_list("element__code", flat=True))
    for path, values in read:
        code = key_text(values.get("code"))
        current = stored.get(code)
        row = DataElement(**{f.attname: getattr(current, f.attname) for f in DataElement._meta.concrete_fields}) \
            if current is not None else DataElement()
        for key, value in values.items():
            setattr(row, key, key_text(value) if key == "code" else value)
        for key, message in _model_problems(row, exclude=["id"]).items():
            problems.add(path, message, key)
        if current is not None and row.kind != current.kind and code in used:
            problems.add(path, _say(gettext_noop("数据元“%(code)s”已被申请表字段使用，类型不能由“%(old)s”改为“%(new)s”"),
                                    code=code, old=current.kind, new=row.kind), "kind")
        if current is None:
            result.new.append(row)
        elif any(getattr(row, k) != getattr(current, k) for k in ELEMENT_KEYS):
            result.changed.append(row)
        result.after[code] = row
    return result


def write_elements(parsed: ParsedElements, written: Written) -> dict[str, int]:
    DataElement.objects.bulk_create(parsed.new)
    if parsed.changed:
        DataElement.objects.bulk_update(parsed.changed, [k for k in ELEMENT_KEYS if k != "code"])
    return {"data_elements_created": len(parsed.new), "data_elements_updated": len(parsed.changed)}


def export_elements() -> list[dict]:
    return [{key: getattr(e, key) for key in ELEMENT_KEYS} for e in DataElement.objects.order_by("code")]


def element_rows(entries: list) -> dict[str, list[list]]:
    return {ELEMENT_SHEET.name: [[e.get(k) for k in ELEMENT_KEYS] for e in entries]}


def elements_from_rows(tables: dict[str, Rows], problems: list[str]) -> tuple[list, dict[tuple, str]]:
    rows = tables[ELEMENT_SHEET.name]
    return ([entry for _, entry in rows],
            {("data_elements", i): _where(ELEMENT_SHEET.name, number) for i, (number, _) in enumerate(rows)})


# -- forms -----------------------------------------------------------------------------------------------------
@dataclass
class ParsedForm:
    """A checked form of the file: the item it belongs to (实施编码), its title and spec, and the same as the
    document an export writes (to compare with the published version's form)."""

    item: str
    title: str
    replaces: str  # the name of the item's material (the paper 申请书) the form stands for, or ""
    spec: FormSpec
    document: dict[str, Any]


_FIELD_READERS: dict[str, Callable[[Any], tuple[Any, str]]] = {
    **dict.fromkeys(_TEXT_FIELD_KEYS, _as_text), "required": _as_bool, "min_length": _as_count,
    "max_length": _as_count, "min_value": _as_number, "max_value": _as_number, "whole_number": _as_flag}
_RULE_READERS = {**dict.fromkeys(["kind", "a", "b", "column", "message_zh", "message_en"], _as_text)}
# The model's columns a field's or a rule's length and digits are checked by; kind, choices and conditions are the
# design check's.
_FIELD_CHECKED = ["key", "label_zh", "label_en", "help_zh", "help_en", "unit", "pattern", "min_length",
                  "max_length", "min_value", "max_value"]
_RULE_CHECKED = {"field_a": "a", "field_b": "b", "column": "column", "message_zh": "message_zh",
                 "message_en": "message_en"}


def _choices_problem(value: Any) -> str:
    if value is None:
        return ""
    good = isinstance(value, list) and all(
        isinstance(c, dict) and set(c) <= {"value", "zh", "en"} and isinstance(c.get("value"), str)
        and all(isinstance(c.get(k, ""), str) for k in ("zh", "en")) for c in value)
    return "" if good else _say(gettext_noop('应为代码表 [{"value": "…", "zh": "…", "en": "…"}]'))


def _condition_problem(value: Any) -> str:
    if value is None:
        return ""
    good = (isinstance(value, dict) and isinstance(value.get("field"), str) and value["field"]
            and (set(value) == {"field", "equals"} or set(value) == {"field", "in"} and isinstance(value["in"], list)))
    return "" if good else _say(gettext_noop('应为显示条件 {"field": "…", "equals": …} 或 {"field": "…", "in": […]}'))


def _field(entry: Any, path: tuple, problems: Problems, refused: set[tuple]) -> dict[str, Any] | None:
    """A field of the file as `field_from_dict` takes it, its plain values and shapes checked; None if it is not an
    object. A field with a refused value is added to `refused` and given without it, so that the form's design is
    still checked (a rule naming the field still finds it) and every problem is named at once."""
    if not _object(entry, path, problems):
        return None
    before = len(problems.messages)
    _unknown(entry, FIELD_KEYS, path, problems)
    values = _read(entry, _FIELD_READERS, path, problems)
    for key, check in (("choices", _choices_problem), ("shown_when", _condition_problem)):
        problem = check(entry.get(key))
        if problem:
            problems.add(path, problem, key)
        elif key in entry:
            values[key] = entry[key]
    raw_columns = entry.get("columns", [])
    if not isinstance(raw_columns, list):
        problems.add(path, _say(gettext_noop("应为列表 […]")), "columns")
        raw_columns = []
    columns = [_field(column, (*path, "columns", j), problems, refused) for j, column in enumerate(raw_columns)]
    values["columns"] = [c for c in columns if c is not None]
    for key, message in _column_problems(FormField, {k: v for k, v in values.items() if k in _FIELD_CHECKED}).items():
        problems.add(path, message, key)
    if len(problems.messages) != before:
        refused.add(path)
    return values


def _rule(entry: Any, path: tuple, problems: Problems, refused: set[tuple]) -> dict[str, Any] | None:
    """A rule of the file as `rule_from_dict` takes it (see `_field`)."""
    if not _object(entry, path, problems):
        return None
    before = len(problems.messages)
    _unknown(entry, RULE_KEYS, path, problems)
    values = _read(entry, _RULE_READERS, path, problems)
    columns = {column: values.get(key, "") for column, key in _RULE_CHECKED.items()}
    for column, message in _column_problems(FormRule, columns).items():
        problems.add(path, message, _RULE_CHECKED[column])
    if len(problems.messages) != before:
        refused.add(path)
    return {**values, "value": entry.get("value")}


def _design_path(form_path: tuple, where: str) -> tuple[tuple, str | None]:
    """`fields.3.columns.1.kind` of a design problem as the JSON path of the field and the key at fault."""
    parts: list[Any] = [int(p) if p.isdigit() else p for p in where.split(".")]
    if isinstance(parts[-1], int):
        return (*form_path, *parts), None
    return (*form_path, *parts[:-1]), str(parts[-1])


def _file_items(parsed: ParsedCatalog) -> dict[str, tuple[int, set[str]]]:
    """The file's items by 实施编码: their index in `items` and the names of the materials the file gives them."""
    out: dict[str, tuple[int, set[str]]] = {}
    for index, entry in enumerate(parsed.item_entries):
        if isinstance(entry, dict):
            materials = entry.get("materials")
            names = {text(m.get("name")) for m in materials if isinstance(m, dict)} if isinstance(materials, list) else set()
            out.setdefault(key_text(entry.get("implementation_code")), (index, names))
    return out


def validate_forms(entries: list, problems: Problems, parsed: ParsedCatalog) -> list[ParsedForm]:
    """The `forms` section: each form for an item of the file's `items`, at most one per item, its fields and rules
    of the right shapes and its design sound (check_design_against); and each form the file leaves out that would
    follow its item into a new version still finds its file fields' materials there."""
    items = _file_items(parsed)
    elements = parsed.extra["data_elements"].after if "data_elements" in parsed.extra else {}
    stored_elements = DataElement.objects.in_bulk(field_name="code")
    dictionary = {**stored_elements, **elements}
    out: list[ParsedForm] = []
    codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(entries):
        path = ("forms", i)
        if not _object(entry, path, problems):
            continue
        before = len(problems.messages)
        _unknown(entry, FORM_KEYS, path, problems)
        values = _read(entry, {"item": _as_text, "title": _as_text, "replaces": _as_text}, path, problems)
        code = key_text(values.get("item"))
        codes.append((path, code))
        if not code and "item" in values:
            problems.add(path, _say(gettext_noop("必填")), "item")
        elif code and code not in items:
            problems.add(path, _say(gettext_noop("事项“%(code)s”不在本文件的 items 中"), code=code), "item")
        if len(values.get("title", "")) > 200:
            problems.add(path, _say(gettext_noop("不能超过200个字")), "title")
        refused: set[tuple] = set()
        fields = [_field(f, (*path, "fields", j), problems, refused)
                  for j, f in enumerate(_list(entry, "fields", path, problems))]
        rules = [_rule(r, (*path, "rules", k), problems, refused)
                 for k, r in enumerate(_list(entry, "rules", path, problems))]
        if code not in items:
            continue  # without its item, its materials are unknown: the item is named first
        spec = FormSpec(code=code, title=values.get("title", ""), version=0,
                        fields=tuple(field_from_dict(f) for f in fields if f is not None),
                        rules=tuple(rule_from_dict(r) for r in rules if r is not None))
        materials = items[code][1]
        replaces = values.get("replaces", "")
        if replaces and replaces not in materials:
            problems.add(path, _say(gettext_noop("材料“%(material)s”不在本文件该事项的 materials 中"),
                                    material=replaces), "replaces")
        # The design check of the rest of the form: a value already refused is not named twice.
        for where, message in check_design_against(spec, dictionary, materials).items():
            at, key = _design_path(path, where)
            if at not in refused:
                problems.add(at, _both(message), key)
        _check_materials(spec, materials, path, problems)
        if len(problems.messages) != before:
            continue
        out.append(ParsedForm(item=code, title=spec.title, replaces=replaces, spec=spec,
                              document=_document(spec.title, replaces, spec)))
    _duplicates(codes, gettext_noop("事项“%(value)s”的申请表与 %(where)s 重复"), problems)
    _check_carried_forms(items, {p for _, p in codes}, problems)
    return out


def _check_materials(spec: FormSpec, materials: set[str], path: tuple, problems: Problems) -> None:
    """A material named by a field that is not a file field (the design check names those) or by a table's column
    must be one the file gives the item too: written by name, it would otherwise be lost."""
    for j, f in enumerate(spec.fields):
        named = [((*path, "fields", j), f)] if f.kind != Kind.FILE else []
        named += [((*path, "fields", j, "columns", k), c) for k, c in enumerate(f.columns)]
        for at, named_field in named:
            if named_field.material_name and named_field.material_name not in materials:
                problems.add(at, _say(gettext_noop("材料“%(material)s”不在本文件该事项的 materials 中"),
                                      material=named_field.material_name), "material")


def _document(title: str, replaces: str, spec: FormSpec) -> dict[str, Any]:
    return {"title": title, "replaces": replaces, "fields": [spec_to_dict(f) for f in spec.fields],
            "rules": [rule_to_dict(r) for r in spec.rules]}


def _check_carried_forms(items: dict[str, tuple[int, set[str]]], given: set[str], problems: Problems) -> None:
    """A published form the file leaves out follows its item into a new version: each of its file fields, and the
    paper form it stands for (`replaces`), must find its material (by name) among the materials the file gives
    the item."""
    left_out = [code for code in items if code not in given]
    published = {"form__item_version__item__implementation_code__in": left_out,
                 "form__item_version__item__published_version": F("form__item_version")}
    file_fields = list(FormField.objects.filter(kind=Kind.FILE, material__isnull=False, **published)
                       .values_list("form__item_version__item__implementation_code", "label_zh", "material__name"))
    file_fields += [(code, "", material) for code, material in FormVersion.objects.filter(
        replaces__isnull=False, item_version__item__implementation_code__in=left_out,
        item_version__item__published_version=F("item_version")).values_list(
        "item_version__item__implementation_code", "replaces__name")]
    for code, label, material in file_fields:
        index, names = items[code]
        if material not in names and not label:
            problems.add(("items", index), _say(gettext_noop(
                "现行申请表替代的材料“%(material)s”，本文件没有给该事项这份材料；请保留该材料，或在 forms 中给出该事项的申请表"),
                material=material), "materials")
        elif material not in names:
            problems.add(("items", index), _say(gettext_noop(
                "现行申请表的文件字段“%(label)s”对应材料“%(material)s”，本文件没有给该事项这份材料；"
                "请保留该材料，或在 forms 中给出该事项的申请表"), label=label, material=material), "materials")


def _published_documents(codes: Iterable[str]) -> dict[str, dict[str, Any] | None]:
    """Per item that exists with a published version: its form as a document, or None when it has no form."""
    published = dict(ServiceItem.objects.filter(implementation_code__in=list(codes), published_version__isnull=False)
                     .values_list("implementation_code", "published_version_id"))
    forms = forms_of_versions(published.values())
    out: dict[str, dict[str, Any] | None] = {}
    for code, version_id in published.items():
        found = forms.get(version_id)
        out[code] = _document(found[0].title, _replaces(found[0]), found[1]) if found is not None else None
    return out


def _replaces(form: FormVersion) -> str:
    return form.replaces.name if form.replaces is not None else ""


def changed_items(parsed: list[ParsedForm]) -> set[str]:
    """Items whose published version's form is not the file's (or which have none): a published form is frozen,
    so each gets a new published version carrying the file's form."""
    stored = _published_documents(p.item for p in parsed)
    return {p.item for p in parsed if p.item in stored and stored[p.item] != p.document}


def write_forms(parsed: list[ParsedForm], written: Written) -> dict[str, int]:
    """Each new version the import made gets its form: the file's, else the one its previous version had."""
    given = {p.item: p for p in parsed}
    carried = forms_of_versions(v.pk for code, v in written.replaced.items() if v is not None and code not in given)
    forms, count_carried = [], 0
    for code, previous in written.replaced.items():
        version = written.published[code]
        if code in given:
            forms.append((version, given[code].title, given[code].replaces, given[code].spec))
        elif previous is not None and previous.pk in carried:
            form, spec = carried[previous.pk]
            forms.append((version, form.title, _replaces(form), spec))
            count_carried += 1
    write_published_forms(forms)
    return {"forms_written": len(forms) - count_carried, "forms_carried": count_carried}


def export_forms() -> list[dict]:
    """The forms of the items' published versions, in the order the catalog exports its items."""
    items = list(ServiceItem.objects.filter(published_version__isnull=False)
                 .order_by("department__sort_order", "implementation_code")
                 .values_list("implementation_code", "published_version_id"))
    forms = forms_of_versions(v for _, v in items)
    return [{"item": code, **_document(forms[v][0].title, _replaces(forms[v][0]), forms[v][1])}
            for code, v in items if v in forms]


# -- forms as sheets -------------------------------------------------------------------------------------------
def _json_cell(value: Any) -> Any:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _value_cell(value: Any) -> Any:
    """A rule's value in a cell: a number or true/false as itself, a text as itself unless it reads as JSON, any
    other value (or such a text) as JSON text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def _from_json_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def form_rows(entries: list) -> dict[str, list[list]]:
    rows: dict[str, list[list]] = {FORM_SHEET.name: [], FIELD_SHEET.name: [], RULE_SHEET.name: []}
    columns = FIELD_SHEET.columns[2:]

    def cells(f: dict) -> list:
        return [_json_cell(f.get(k)) if k in _JSON_CELLS else f.get(k) for k in columns]

    for form in entries:
        rows[FORM_SHEET.name].append([form.get("item"), form.get("title"), form.get("replaces")])
        for f in form.get("fields", []):
            rows[FIELD_SHEET.name].append([form.get("item"), "", *cells(f)])
            rows[FIELD_SHEET.name] += [[form.get("item"), f.get("key"), *cells(c)] for c in f.get("columns", [])]
        rows[RULE_SHEET.name] += [[form.get("item"), *[_value_cell(r.get(k)) if k == "value" else r.get(k)
                                                       for k in RULE_KEYS]] for r in form.get("rules", [])]
    return rows


def _where(sheet: str, number: int) -> str:
    return f"{sheet} 表第{number}行"


def _field_entry(entry: dict) -> dict:
    """A field row as `spec_to_dict` writes the field: its JSON cells read, empty optional keys left out."""
    out = {}
    for key in FIELD_KEYS:
        if key not in entry:
            continue
        value = _from_json_cell(entry[key]) if key in _JSON_CELLS else entry[key]
        if key in FIELD_BASE_KEYS or value not in ("", None):
            out[key] = value
    out.setdefault("required", False)
    return out


def _place_columns(forms: list[dict], columns: list[tuple[int, dict, int, str]], locations: dict[tuple, str],
                   problems: list[str]) -> None:
    """Each column row `(row number, entry, form index, table key)` into its table field's `columns`, in order."""
    for number, entry, i, table in columns:
        where = _where(FIELD_SHEET.name, number)
        found = [j for j, f in enumerate(forms[i]["fields"]) if f.get("key") == table]
        if not found:
            problems.append(f"{where}：table：" + _say(gettext_noop("表格字段“%(table)s”不在该申请表中"), table=table))
            continue
        parent = forms[i]["fields"][found[0]]
        if parent.get("kind") != Kind.TABLE:
            problems.append(f"{where}：table：" + _say(gettext_noop("字段“%(table)s”不是表格，不能有列"), table=table))
            continue
        parent.setdefault("columns", [])
        locations[("forms", i, "fields", found[0], "columns", len(parent["columns"]))] = where
        parent["columns"].append(_field_entry(entry))


def forms_from_rows(tables: dict[str, Rows], problems: list[str]) -> tuple[list, dict[tuple, str]]:
    """The `forms` section from its three sheets: a field or rule row names its form's item in `item`; a table's
    column names its table field's key in `table` (the column's rows keep their order)."""
    forms: list[dict] = []
    locations: dict[tuple, str] = {}
    index: dict[str, int] = {}
    for number, entry in tables[FORM_SHEET.name]:
        locations[("forms", len(forms))] = _where(FORM_SHEET.name, number)
        index.setdefault(key_text(entry.get("item")), len(forms))
        forms.append({**entry, "fields": [], "rules": []})

    def owner(sheet: str, number: int, entry: dict) -> int | None:
        code = key_text(entry.pop("item", None))
        if code not in index:
            problems.append(f"{_where(sheet, number)}：item："
                            + _say(gettext_noop("申请表“%(code)s”不在 forms 表中"), code=code))
            return None
        return index[code]

    columns: list[tuple[int, dict, int, str]] = []
    for number, entry in tables[FIELD_SHEET.name]:
        i = owner(FIELD_SHEET.name, number, entry)
        if i is None:
            continue
        table = text(entry.pop("table", ""))
        if table:
            columns.append((number, entry, i, table))
            continue
        locations[("forms", i, "fields", len(forms[i]["fields"]))] = _where(FIELD_SHEET.name, number)
        forms[i]["fields"].append(_field_entry(entry))
    _place_columns(forms, columns, locations, problems)
    for number, entry in tables[RULE_SHEET.name]:
        i = owner(RULE_SHEET.name, number, entry)
        if i is None:
            continue
        rule = {k: entry[k] for k in RULE_KEYS if k in entry}
        if "value" in rule:
            rule["value"] = _from_json_cell(rule["value"])
        rule = {k: v for k, v in rule.items() if k not in ("column", "value") or v not in ("", None)}
        locations[("forms", i, "rules", len(forms[i]["rules"]))] = _where(RULE_SHEET.name, number)
        forms[i]["rules"].append(rule)
    return forms, locations


def register() -> None:
    """Give the catalog's import and export the two sections (from FormsConfig.ready)."""
    sections.register(Section(
        key="data_elements", validate=validate_elements, write=write_elements, export=export_elements,
        sheets=(ELEMENT_SHEET,), to_rows=element_rows, from_rows=elements_from_rows,
        labels={"data_elements_created": "数据元 新增", "data_elements_updated": "更新"}))
    sections.register(Section(
        key="forms", validate=validate_forms, write=write_forms, export=export_forms,
        sheets=(FORM_SHEET, FIELD_SHEET, RULE_SHEET), to_rows=form_rows, from_rows=forms_from_rows,
        changed_items=changed_items, labels={"forms_written": "申请表 写入", "forms_carried": "随新版本沿用"}))
