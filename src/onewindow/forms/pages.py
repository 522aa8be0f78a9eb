"""An application form on a page (申请表的页面呈现): a `FormSpec` turned into what the partial `forms/_form.html`
renders — per field its label and help in the page's language, its value, its choices, its errors, where a
prefilled value came from — and a posted form turned back into answers.

Names posted: `answers.<key>` (a multiple choice repeats it), `answers.<key>.<part>` for an address's parts,
`answers.<key>.<row>.<column>` for a table's cells. `answers_from_post` reads only the names the spec defines; any
other name, a row index that is not a small number, rows beyond `MAX_ROWS` and wholly empty rows are ignored. Values stay as typed
(numbers as text): `forms.validation.problems_of` cleans and checks them like any channel's.

A field is shown in one of three modes: editable; `readonly` (an authoritative prefilled value, 权威来源: a
read-only input that still posts, with its source); `fixed` (a resubmission's field the correction notice does not
name: shown as words, not posted — the case's answer stands).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from onewindow.forms.display import value_text
from onewindow.forms.prefill import Prefilled
from onewindow.forms.spec import ADDRESS_LABELS, ADDRESS_PARTS, FieldError, FieldSpec, FormSpec, Kind
from onewindow.forms.units import origin_text, unit_text

PREFIX = "answers"
MAX_ROWS = 100  # a table row posted at an index beyond this is ignored (the schema's maxItems names a real limit)
BLANK_ROWS = 2  # empty rows a table offers beyond its answers, for a browser without script
EDIT, READONLY, FIXED = "edit", "readonly", "fixed"
# one partial per kind; a multiple choice shares the single choice's (its inputs are checkboxes, not radios)
TEMPLATES = {kind: f"forms/fields/{kind}.html" for kind in Kind} | {Kind.MULTI_CHOICE: "forms/fields/choice.html"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def input_name(*parts: Any) -> str:
    """The posted name of a field, an address part or a table cell: `answers.staff.0.name`."""
    return ".".join([PREFIX, *(str(p) for p in parts)])


def input_id(*parts: Any) -> str:
    """The element id of the same (`answers-staff-0-name`): a fragment an error summary links to."""
    return "-".join([PREFIX, *(_UNSAFE.sub("-", str(p)) for p in parts)])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if not isinstance(value, dict | list) else ""


@dataclass
class ChoiceView:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class PartView:
    """One input of a compound field: an address part or a table cell."""

    name: str
    id: str
    label: str
    value: str
    required: bool
    kind: str = Kind.TEXT
    errors: list[str] = field(default_factory=list)
    choices: list[ChoiceView] = field(default_factory=list)
    unit: str = ""


@dataclass
class RowView:
    index: int
    cells: list[PartView]


@dataclass
class FieldView:
    """One field as the partial renders it."""

    key: str
    kind: str
    name: str
    id: str
    label: str
    help: str
    required: bool
    mode: str = EDIT
    value: str = ""
    words: str = ""  # the answer in words (a fixed field, a read-only choice)
    choices: list[ChoiceView] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    columns: list[PartView] = field(default_factory=list)  # a table's header, and its new row's template
    errors: list[str] = field(default_factory=list)
    origin: str = ""  # where a prefilled value came from (来自：实名账号)
    limits: str = ""  # the limits in words: 1 至 100000 平方米, 不超过 100 个字
    unit: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)  # min, max, maxlength, inputmode, pattern
    shown_when: str = ""  # JSON {"field": <posted name>, "values": [...]} for form.js
    material: int | None = None
    material_name: str = ""
    material_anchor: str = ""  # the id of the page's upload of that material
    hidden_values: list[tuple[str, str]] = field(default_factory=list)  # a read-only choice's values, posted

    @property
    def template(self) -> str:
        return TEMPLATES.get(self.kind, TEMPLATES[Kind.TEXT])  # type: ignore[call-overload]

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}-help" if self.help else "", f"{self.id}-limits" if self.limits else "",
               f"{self.id}-origin" if self.origin else "",
               f"{self.id}-error" if self.errors else ""]
        return " ".join(i for i in ids if i)

    @property
    def next_row(self) -> int:
        return max((r.index for r in self.rows), default=-1) + 1


@dataclass(frozen=True)
class SummaryLine:
    """One line of the error summary: the element it links to, the field's label and the message."""

    anchor: str
    label: str
    message: str


@dataclass
class FormView:
    """A form ready to render: its fields, the errors not tied to a field, and the summary of all of them."""

    spec: FormSpec
    title: str
    fields: list[FieldView]
    errors: list[str]
    summary: list[SummaryLine]
    language: str

    @property
    def has_errors(self) -> bool:
        return bool(self.summary or self.errors)


def _message(error: FieldError, language: str) -> str:
    return error.message_en if language == "en" and error.message_en else error.message_zh


def _help(spec: FieldSpec, language: str) -> str:
    return (spec.help_en or spec.help_zh) if language == "en" else spec.help_zh


def _choice_label(choice: Any, language: str) -> str:
    return (choice.en or choice.zh) if language == "en" else choice.zh


def _owner(spec: FormSpec, path: str) -> FieldSpec | None:
    """The top-level field an error path belongs to (the longest key that prefixes it: a package's keys hold
    dots)."""
    found = None
    for f in spec.fields:
        if (path == f.key or path.startswith(f"{f.key}.")) and (found is None or len(f.key) > len(found.key)):
            found = f
    return found


def _attrs(spec: FieldSpec) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if spec.kind == Kind.NUMBER:
        attrs["inputmode"] = "decimal"
    elif spec.kind in (Kind.TEXT, Kind.ID_NUMBER, Kind.CREDIT_CODE, Kind.MOBILE) and spec.max_length:
        attrs["maxlength"] = spec.max_length
    if spec.kind == Kind.MOBILE:
        attrs.update(inputmode="tel", autocomplete="tel")
    if spec.kind in (Kind.ID_NUMBER, Kind.CREDIT_CODE):
        attrs.update(maxlength=18, spellcheck="false", autocapitalize="characters", autocomplete="off")
    return attrs


def _limits(spec: FieldSpec, language: str) -> str:
    """The field's limits in words, in the page's language."""
    en = language == "en"
    low, high = spec.min_value, spec.max_value
    if spec.kind == Kind.NUMBER and (low is not None or high is not None):
        a, b = _text(float(low)) if low is not None else "", _text(float(high)) if high is not None else ""
        if low is not None and high is not None:
            text = f"From {a} to {b}" if en else f"填写范围：{a} 至 {b}"
        elif low is not None:
            text = f"At least {a}" if en else f"不小于 {a}"
        else:
            text = f"At most {b}" if en else f"不大于 {b}"
        return f"{text} {unit_text(spec.unit, language)}".rstrip()
    if spec.kind == Kind.TEXT and spec.max_length:
        return f"At most {spec.max_length} characters" if en else f"不超过 {spec.max_length} 个字"
    if spec.kind in (Kind.TABLE, Kind.MULTI_CHOICE) and spec.max_length:
        what = ("rows", "行") if spec.kind == Kind.TABLE else ("choices", "项")
        return f"At most {spec.max_length} {what[0]}" if en else f"最多 {spec.max_length} {what[1]}"
    return ""


def _cell(table: FieldSpec, column: FieldSpec, row: int | str, value: Any, language: str,
          errors: Mapping[str, list[str]]) -> PartView:
    path = f"{table.key}.{row}.{column.key}"
    cell = PartView(name=input_name(table.key, row, column.key), id=input_id(table.key, row, column.key),
                    label=column.label(language), value=_text(value), required=column.required, kind=column.kind,
                    errors=errors.get(path, []), unit=unit_text(column.unit, language))
    if column.kind == Kind.CHOICE:
        cell.choices = [ChoiceView(c.value, _choice_label(c, language), c.value == value, "") for c in column.choices]
    return cell


def _shown_when(spec: FieldSpec) -> str:
    if spec.shown_when is None:
        return ""
    condition = spec.shown_when
    values = list(condition.among) if condition.among else [condition.equals]
    return json.dumps({"field": input_name(condition.field), "values": [_text(v) for v in values]},
                      ensure_ascii=False)


def _field_view(spec: FieldSpec, value: Any, *, language: str, mode: str, errors: Mapping[str, list[str]],
                prefilled: Prefilled | None, blank_rows: int) -> FieldView:
    view = FieldView(
        key=spec.key, kind=spec.kind, name=input_name(spec.key), id=input_id(spec.key), label=spec.label(language),
        help=_help(spec, language), required=spec.required, mode=mode, value=_text(value),
        errors=list(errors.get(spec.key, [])), origin=origin_text(prefilled.origin, language) if prefilled else "",
        unit=unit_text(spec.unit, language),
        attrs=_attrs(spec), shown_when=_shown_when(spec), limits=_limits(spec, language), material=spec.material, material_name=spec.material_name,
    )
    view.words = value_text(spec, value, language) if value not in (None, "", [], {}) else ""
    if spec.kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
        chosen = value if isinstance(value, list) else [value]
        view.choices = [ChoiceView(c.value, _choice_label(c, language), c.value in chosen, f"{view.id}-{n}")
                        for n, c in enumerate(spec.choices)]
        if mode == READONLY:
            view.hidden_values = [(view.name, c.value) for c in view.choices if c.checked]
            view.words = "、".join(c.label for c in view.choices if c.checked)
    elif spec.kind == Kind.ADDRESS:
        parts = value if isinstance(value, Mapping) else {}
        view.parts = [PartView(name=input_name(spec.key, p), id=input_id(spec.key, p),
                               label=ADDRESS_LABELS[p][1 if language == "en" else 0], value=_text(parts.get(p)),
                               required=spec.required and p in ("province", "city", "district", "street"),
                               errors=errors.get(f"{spec.key}.{p}", []))
                      for p in ADDRESS_PARTS]
    elif spec.kind == Kind.TABLE:
        rows = [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []
        limit = spec.max_length or MAX_ROWS
        blanks = 0 if mode == FIXED else max(0, min(blank_rows, limit - len(rows)))
        if not rows and mode != FIXED:
            blanks = max(blanks, 1)
        view.rows = [RowView(n, [_cell(spec, c, n, row.get(c.key), language, errors) for c in spec.columns])
                     for n, row in enumerate([*rows, *({} for _ in range(blanks))])]
        view.columns = [_cell(spec, c, "__row__", None, language, {}) for c in spec.columns]
        view.attrs["data-max-rows"] = limit
    return view


def form_view(spec: FormSpec, answers: Mapping[str, Any] | None = None, *, errors: Iterable[FieldError] = (),
              prefilled: Mapping[str, Prefilled] | None = None, language: str = "zh",
              editable: Collection[str] | None = None, blank_rows: int = BLANK_ROWS,
              material_anchors: Mapping[int, str] | None = None) -> FormView:
    """What the partial renders for `spec`: each field with its current answer (`answers`: as posted or stored),
    its errors (`errors`: `FieldError`s, e.g. from `problems_of`), its prefilled source; an authoritative prefilled
    value is read-only and always the record's. `editable`: when given, only those keys may change (补正), the
    others are fixed. `language` "en" shows label_en / help_en (Chinese when missing). `material_anchors`: per
    catalog material, the id of the page's upload a file field points to (the form asks no second upload)."""
    answers = answers or {}
    prefilled = prefilled or {}
    by_field: dict[str, list[str]] = {}
    loose: list[str] = []
    summary: list[SummaryLine] = []
    for error in errors:
        owner = _owner(spec, error.path)
        message = _message(error, language)
        if owner is None:
            loose.append(message)
            continue
        if editable is not None and owner.key not in editable:
            # a field the person may not change: told above the form, not on an input they cannot reach
            loose.append(f"{_summary_label(owner, error.path, language)}{': ' if language == 'en' else '：'}{message}")
            continue
        by_field.setdefault(error.path, []).append(message)
        summary.append(SummaryLine(_anchor(owner, error.path), _summary_label(owner, error.path, language), message))
    fields = []
    for spec_field in spec.fields:
        known = prefilled.get(spec_field.key)
        mode = EDIT
        value = answers.get(spec_field.key)
        if editable is not None and spec_field.key not in editable:
            mode = FIXED
        elif known is not None and known.authoritative:
            mode, value = READONLY, known.value
        view = _field_view(spec_field, value, language=language, mode=mode, errors=by_field, prefilled=known,
                           blank_rows=blank_rows)
        if view.material is not None:
            view.material_anchor = (material_anchors or {}).get(view.material, "")
        fields.append(view)
    return FormView(spec=spec, title=spec.title, fields=fields, errors=loose, summary=summary, language=language)


def _anchor(owner: FieldSpec, path: str) -> str:
    rest = path[len(owner.key) + 1:] if path != owner.key else ""
    if owner.kind == Kind.ADDRESS:
        return input_id(owner.key, rest if rest in ADDRESS_PARTS else "province")
    if owner.kind == Kind.TABLE and rest:
        return input_id(owner.key, *rest.split(".")[:2]) if rest.count(".") >= 1 else input_id(owner.key, rest)
    if owner.kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
        return input_id(owner.key)  # the group (focused on its first choice by core/forms.js)
    return input_id(owner.key)


def _summary_label(owner: FieldSpec, path: str, language: str) -> str:
    rest = path[len(owner.key) + 1:] if path != owner.key else ""
    parts = rest.split(".") if rest else []
    if owner.kind == Kind.ADDRESS and parts and parts[0] in ADDRESS_LABELS:
        part = ADDRESS_LABELS[parts[0]][1 if language == "en" else 0]
        return f"{owner.label(language)} ({part})" if language == "en" else f"{owner.label(language)}（{part}）"
    if owner.kind == Kind.TABLE and len(parts) == 2 and parts[0].isdigit():
        column = next((c for c in owner.columns if c.key == parts[1]), None)
        name = column.label(language) if column else parts[1]
        row = int(parts[0]) + 1
        return f"{owner.label(language)}, row {row}, {name}" if language == "en" else \
            f"{owner.label(language)}第{row}行{name}"
    return owner.label(language)


def with_prefill(answers: Mapping[str, Any], prefilled: Mapping[str, Prefilled]) -> dict[str, Any]:
    """A form to start from: what the center already holds, under what the applicant typed (a draft)."""
    return {**{key: p.value for key, p in prefilled.items()}, **answers}


# -- the post read back ----------------------------------------------------------------------------------------
def _row_index(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 4 and int(text) < MAX_ROWS else None


def _table(spec: FieldSpec, data: Any) -> list[dict[str, Any]]:
    prefix = input_name(spec.key) + "."
    columns = {c.key: c for c in spec.columns}
    rows: dict[int, dict[str, Any]] = {}
    for name in data:
        if not isinstance(name, str) or not name.startswith(prefix):
            continue
        index, _dot, column = name[len(prefix):].partition(".")
        number = _row_index(index)
        if number is None or column not in columns:
            continue
        value = data.get(name)
        if columns[column].kind == Kind.MULTI_CHOICE and hasattr(data, "getlist"):
            value = data.getlist(name)
        rows.setdefault(number, {})[column] = value
    # a row left wholly empty is no answer: dropped, so that a page shown again offers its fixed number of empty
    # rows after the filled ones instead of piling the posted empty rows up
    return [rows[n] for n in sorted(rows) if any(not _blank(v) for v in rows[n].values())]


def _blank(value: Any) -> bool:
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def answers_from_post(spec: FormSpec, data: Any, *, keys: Collection[str] | None = None,
                      files: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The answers a posted page sent (`data`: a QueryDict, or a plain mapping), as typed: only the spec's names
    are read, only `keys` when given (a resubmission's named fields); a file field takes the name of the file
    uploaded for its material (`files`: material id → file name) — the page's own material upload. Unknown names,
    non-numeric or too large row indices are ignored; nothing here raises."""
    answers: dict[str, Any] = {}
    for spec_field in spec.fields:
        if keys is not None and spec_field.key not in keys:
            continue
        name = input_name(spec_field.key)
        if spec_field.kind == Kind.MULTI_CHOICE:
            value: Any = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            if isinstance(value, str):
                value = [value]
        elif spec_field.kind == Kind.ADDRESS:
            value = {p: data.get(input_name(spec_field.key, p)) for p in ADDRESS_PARTS
                     if data.get(input_name(spec_field.key, p))}
        elif spec_field.kind == Kind.TABLE:
            value = _table(spec_field, data)
        elif spec_field.kind == Kind.FILE:
            value = (files or {}).get(spec_field.material) if spec_field.material is not None else None
        else:
            value = data.get(name)
        if isinstance(value, list):
            value = [v for v in value if not isinstance(v, str) or v.strip()] if spec_field.kind != Kind.TABLE \
                else value
        if value not in (None, "", [], {}):
            answers[spec_field.key] = value
    return answers


def covered_materials(spec: FormSpec | None) -> set[int]:
    """The catalog materials whose file a field of the form stands for (a file field tied to a material)."""
    if spec is None:
        return set()
    return {f.material for f in spec.fields if f.kind == Kind.FILE and f.material is not None}
