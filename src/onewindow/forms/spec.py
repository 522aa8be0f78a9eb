"""The form specification (申请表规格) as plain data, its JSON Schema (Draft 2020-12) and the check of answers.

A `FormSpec` is what an item version's form (or a package's merged form) says: its fields in order, each of a
kind with its label (zh + en), limits, the condition under which it is shown and the data element it means; and
its cross-field rules. `json_schema(spec)` publishes it; `check(spec, answers)` validates answers with the
`jsonschema` library against that same schema, then runs the declarative rules, and returns every problem field
by field (path, code, message in Chinese and English).

Pure logic; no framework import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from onewindow.core.identity import canonical_number, clean_text, is_valid_credit_code, is_valid_identity_number
from onewindow.forms.units import unit_text


class Kind(StrEnum):
    """字段类型."""

    TEXT = "text"  # 文本
    NUMBER = "number"  # 数字（带单位）
    DATE = "date"  # 日期 YYYY-MM-DD
    CHOICE = "choice"  # 单选（代码表）
    MULTI_CHOICE = "multi_choice"  # 多选（代码表）
    ADDRESS = "address"  # 地址：省、市、区县、街道、社区、详细地址
    ID_NUMBER = "id_number"  # 居民身份证号码 GB 11643
    CREDIT_CODE = "credit_code"  # 统一社会信用代码 GB 32100
    MOBILE = "mobile"  # 手机号码
    TABLE = "table"  # 重复表格（列为字段）
    FILE = "file"  # 文件（对应事项材料）


KIND_LABELS = {
    Kind.TEXT: "文本", Kind.NUMBER: "数字", Kind.DATE: "日期", Kind.CHOICE: "单选", Kind.MULTI_CHOICE: "多选",
    Kind.ADDRESS: "地址", Kind.ID_NUMBER: "身份证号码", Kind.CREDIT_CODE: "统一社会信用代码", Kind.MOBILE: "手机号码",
    Kind.TABLE: "表格", Kind.FILE: "文件",
}


class RuleKind(StrEnum):
    """跨字段规则."""

    LTE = "lte"  # a ≤ b (numbers or dates)
    REQUIRED_IF = "required_if"  # if a (equals `value`, or is answered when no value) then b is required
    SUM_LTE = "sum_lte"  # the sum of column `column` of table a ≤ field b


RULE_LABELS = {RuleKind.LTE: "a ≤ b", RuleKind.REQUIRED_IF: "若 a 则 b 必填", RuleKind.SUM_LTE: "表格 a 某列之和 ≤ b"}

# The parts of an address, in order (省、市、区县、街道、社区、详细地址); the first four are required of a required one.
ADDRESS_PARTS = ("province", "city", "district", "street", "community", "detail")
ADDRESS_REQUIRED = ("province", "city", "district", "street")
ADDRESS_LABELS = {"province": ("省", "Province"), "city": ("市", "City"), "district": ("区县", "District"),
                  "street": ("街道", "Street"), "community": ("社区", "Community"), "detail": ("详细地址", "Detail")}
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,47}")
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
ID_PATTERN = r"^[0-9]{17}[0-9X]$"
CREDIT_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


@dataclass(frozen=True)
class Choice:
    """One entry of a field's code list (代码表): the stored value and its labels."""

    value: str
    zh: str
    en: str = ""


@dataclass(frozen=True)
class Condition:
    """`shown_when`: the field is shown (and may be required) only when `field` equals `equals`, or is one of
    `among`. For a multiple choice, when one of its chosen values is."""

    field: str
    equals: Any = None
    among: tuple[Any, ...] = ()

    def holds(self, answers: Mapping[str, Any]) -> bool:
        value = answers.get(self.field)
        wanted = self.among or (self.equals,)
        if isinstance(value, list):
            return any(v in wanted for v in value)
        return value in wanted

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "in": list(self.among)} if self.among else {"field": self.field,
                                                                                "equals": self.equals}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form; a table's `columns` are fields too."""

    key: str
    kind: str
    label_zh: str
    label_en: str = ""
    help_zh: str = ""
    help_en: str = ""
    required: bool = False
    element: str = ""  # the shared data element (共享数据元) code this field means
    unit: str = ""
    choices: tuple[Choice, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    whole_number: bool = False  # a number field that counts (人数、座位数、房间数): JSON Schema `integer`
    pattern: str = ""
    shown_when: Condition | None = None
    material: int | None = None  # the catalog material (申请材料) a file field stands for
    material_name: str = ""
    columns: tuple[FieldSpec, ...] = ()
    source: str = ""  # in a package's form: the item (实施编码) the field came from; "" for a shared element

    def label(self, language: str = "zh") -> str:
        return (self.label_en or self.label_zh) if language == "en" else self.label_zh


@dataclass(frozen=True)
class RuleSpec:
    """A declarative cross-field rule and the message a person sees when it fails."""

    kind: str
    a: str
    b: str
    message_zh: str
    message_en: str = ""
    column: str = ""
    value: Any = None


@dataclass(frozen=True)
class FormSpec:
    """A whole form: what it is for (an item's 实施编码 or a theme's code), its version, its fields and rules."""

    code: str
    title: str
    version: int
    fields: tuple[FieldSpec, ...]
    rules: tuple[RuleSpec, ...] = ()

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class FieldError:
    """One problem with the answers: where (`staff.0.id_number`), a stable code, the message in zh and en."""

    path: str
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}


# -- the schema ------------------------------------------------------------------------------------------------
def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _annotations(spec: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec.label_zh, "x-label": {"zh": spec.label_zh, "en": spec.label_en or spec.label_zh},
                           "x-kind": spec.kind}
    if spec.help_zh or spec.help_en:
        out["description"] = spec.help_zh
        out["x-help"] = {"zh": spec.help_zh, "en": spec.help_en or spec.help_zh}
    if spec.element:
        out["x-element"] = spec.element
    if spec.unit:
        out["x-unit"] = spec.unit
    if spec.shown_when:
        out["x-shown-when"] = spec.shown_when.as_dict()
    if spec.source:
        out["x-item"] = spec.source
    return out


def _limits(spec: FieldSpec, schema: dict[str, Any]) -> dict[str, Any]:
    pairs = {"minLength": spec.min_length, "maxLength": spec.max_length}
    if spec.kind == Kind.NUMBER:
        pairs = {"minimum": _number(spec.min_value), "maximum": _number(spec.max_value)}
    if spec.kind in (Kind.TABLE, Kind.MULTI_CHOICE):
        pairs = {"minItems": spec.min_length, "maxItems": spec.max_length}
    schema.update({k: v for k, v in pairs.items() if v is not None})
    if spec.pattern and spec.kind == Kind.TEXT:
        schema["pattern"] = spec.pattern
    return schema


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one field's value, with its labels, unit and element as annotations."""
    kind = spec.kind
    values = [c.value for c in spec.choices]
    choices = [{"value": c.value, "zh": c.zh, "en": c.en or c.zh} for c in spec.choices]
    if kind == Kind.NUMBER:
        schema: dict[str, Any] = {"type": "integer" if spec.whole_number else "number"}
    elif kind == Kind.DATE:
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    elif kind == Kind.CHOICE:
        schema = {"type": "string", "enum": values, "x-choices": choices}
    elif kind == Kind.MULTI_CHOICE:
        schema = {"type": "array", "items": {"enum": values}, "uniqueItems": True, "x-choices": choices}
    elif kind == Kind.ADDRESS:
        schema = {"type": "object", "additionalProperties": False,
                  "properties": {p: {"type": "string", "minLength": 1, "maxLength": 100, "title": ADDRESS_LABELS[p][0]}
                                 for p in ADDRESS_PARTS},
                  "required": list(ADDRESS_REQUIRED)}
    elif kind == Kind.ID_NUMBER:
        schema = {"type": "string", "pattern": ID_PATTERN, "format": "gb11643"}
    elif kind == Kind.CREDIT_CODE:
        schema = {"type": "string", "pattern": CREDIT_PATTERN, "format": "gb32100"}
    elif kind == Kind.MOBILE:
        schema = {"type": "string", "pattern": MOBILE_PATTERN}
    elif kind == Kind.TABLE:
        row = _object_schema(spec.columns, rules=())
        schema = {"type": "array", "items": row}
    elif kind == Kind.FILE:
        schema = {"type": "string", "minLength": 1, "maxLength": 255, "x-material": spec.material,
                  "x-material-name": spec.material_name}
    else:
        schema = {"type": "string", "minLength": 1}
    if spec.required and kind in (Kind.TABLE, Kind.MULTI_CHOICE) and spec.min_length is None:
        schema["minItems"] = 1
    return _annotations(spec) | _limits(spec, schema)


def _condition_schema(condition: Condition, target: FieldSpec | None) -> dict[str, Any]:
    wanted = list(condition.among) if condition.among else [condition.equals]
    if target is not None and target.kind == Kind.MULTI_CHOICE:
        value: dict[str, Any] = {"contains": {"enum": wanted}}
    else:
        value = {"enum": wanted}
    return {"properties": {condition.field: value}, "required": [condition.field]}


def _object_schema(fields: Iterable[FieldSpec], rules: Iterable[RuleSpec]) -> dict[str, Any]:
    fields = list(fields)
    by_key = {f.key: f for f in fields}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.key: field_schema(f) for f in fields},
        "required": [f.key for f in fields if f.required and f.shown_when is None],
        "additionalProperties": False,
    }
    conditional = [
        {"if": _condition_schema(f.shown_when, by_key.get(f.shown_when.field)), "then": {"required": [f.key]}}
        for f in fields if f.required and f.shown_when is not None
    ]
    conditional += [{"if": {"required": [r.a]} if r.value is None else
                     {"properties": {r.a: {"const": r.value}}, "required": [r.a]},
                     "then": {"required": [r.b]}}
                    for r in rules if r.kind == RuleKind.REQUIRED_IF]
    if conditional:
        schema["allOf"] = conditional
    return schema


def json_schema(spec: FormSpec, *, schema_id: str = "") -> dict[str, Any]:
    """The form as a JSON Schema (Draft 2020-12): a front end renders and pre-validates with it; the center
    validates every submission with it. Labels, help, units, elements, conditions and the cross-field rules are
    annotations (`x-…`); a required field shown only under a condition is required through `if`/`then`."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": spec.title,
        "x-form": {"code": spec.code, "version": spec.version},
        **_object_schema(spec.fields, spec.rules),
        "x-rules": [
            {"kind": r.kind, "a": r.a, "b": r.b, **({"column": r.column} if r.column else {}),
             **({"value": r.value} if r.value is not None else {}),
             "message": {"zh": r.message_zh, "en": r.message_en or r.message_zh}}
            for r in spec.rules
        ],
    }
    if schema_id:
        schema["$id"] = schema_id
    return schema


FORMATS = FormatChecker()


@FORMATS.checks("gb11643")
def _identity_number(value: object) -> bool:
    return not isinstance(value, str) or is_valid_identity_number(value)


@FORMATS.checks("gb32100")
def _credit_code(value: object) -> bool:
    return not isinstance(value, str) or is_valid_credit_code(value)


@FORMATS.checks("date")
def _date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# -- cleaning and checking ----------------------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _clean_value(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value)
        if spec.kind in (Kind.ID_NUMBER, Kind.CREDIT_CODE, Kind.MOBILE):
            value = canonical_number(value)
        elif spec.kind == Kind.NUMBER:
            value = _typed_number(value)
    elif spec.kind == Kind.ADDRESS and isinstance(value, dict):
        value = {k: clean_text(v) for k, v in value.items()}
        value = {k: v for k, v in value.items() if not _empty(v)}
    elif spec.kind == Kind.TABLE and isinstance(value, list):
        value = [clean_answers(spec.columns, row) if isinstance(row, dict) else row for row in value]
        value = [row for row in value if not _empty(row)]
    return value


def answered(spec: FieldSpec, value: Any) -> bool:
    """Whether `value` answers the field once cleaned (not absent, empty, or only spaces and invisible characters)."""
    return not _empty(_clean_value(spec, value))


NUMBER_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def _typed_number(text: str) -> Any:
    """A number typed on a page ("120", "１２.５", "1,200") as a number; any other text stays text for the schema to
    refuse as not a number."""
    plain = canonical_number(text).replace(",", "")
    if not NUMBER_TEXT.fullmatch(plain):
        return text
    number = Decimal(plain)
    return int(number) if number == number.to_integral_value() else float(number)


def clean_answers(fields: Iterable[FieldSpec], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as they are checked and stored: texts stripped of spaces and invisible characters at their ends
    (a text of only zero-width characters is not an answer), numbers in canonical form (a number typed as text
    on a page becomes a number), empty values and the answers of fields hidden by their condition left out;
    unknown keys are kept (the schema refuses them)."""
    fields = list(fields)
    by_key = {f.key: f for f in fields}
    cleaned = {}
    for key, value in answers.items():
        spec = by_key.get(key)
        value = _clean_value(spec, value) if spec else value
        if not _empty(value):
            cleaned[key] = value
    for spec in fields:
        if spec.shown_when is not None and spec.key in cleaned and not spec.shown_when.holds(cleaned):
            del cleaned[spec.key]
    return cleaned


# -- the bounds, checked before anything else ------------------------------------------------------------------
# Anyone may ask for the pre-check (智能预审), so answers far larger than any form can hold are refused at once,
# before they are cleaned or validated: a table longer than its most rows (the schema's maxItems, else
# MAX_TABLE_ROWS), a text longer than its most characters (else MAX_TEXT_CHARS), answers nested deeper than
# MAX_DEPTH or holding more than MAX_VALUES values in all. At most MAX_ERRORS problems are listed.
MAX_TABLE_ROWS = 200
MAX_TEXT_CHARS = 2000
MAX_DEPTH = 6
MAX_VALUES = 20_000
MAX_ERRORS = 100


def too_large(answers: Any) -> bool:
    """More than MAX_VALUES values or nested deeper than MAX_DEPTH (counted without recursion, stopping early)."""
    stack: list[tuple[Any, int]] = [(answers, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES or depth > MAX_DEPTH:
            return True
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _first(errors: Iterator[FieldError]) -> list[FieldError]:
    return [e for e in [next(errors, None)] if e is not None]


def _over_long(spec: FieldSpec, where: str, value: Any) -> Iterator[FieldError]:
    """The first part of `value` longer than `spec` allows (one error for the field)."""
    zh, en = spec.label_zh, spec.label("en")
    if isinstance(value, str):
        limit = min(spec.max_length or MAX_TEXT_CHARS, MAX_TEXT_CHARS) if spec.kind == Kind.TEXT else MAX_TEXT_CHARS
        if len(value) > limit:
            yield FieldError(where, "too_long", f"{zh}不能超过{limit}个字", f"{en} may have at most {limit} characters")
    elif isinstance(value, list):
        limit = spec.max_length or (len(spec.choices) if spec.kind == Kind.MULTI_CHOICE else MAX_TABLE_ROWS)
        if len(value) > limit:
            yield FieldError(where, "too_long", f"{zh}不能超过{limit}项", f"{en} may have at most {limit} rows")
            return
        for column in spec.columns:
            found = (e for i, row in enumerate(value) if isinstance(row, Mapping)
                     for e in _over_long(column, f"{where}.{i}.{column.key}", row.get(column.key)))
            yield from _first(found)
    elif isinstance(value, Mapping):
        parts = (e for part, text in value.items() if isinstance(text, str)
                 for e in _over_long(replace(spec, kind=Kind.ADDRESS), f"{where}.{part}", text))
        yield from _first(parts)


TOO_LARGE = FieldError("", "too_large", "申请表内容过多或层次过深，未予校验",
                       "The answers are too large or too deeply nested to be checked")


def bounds_problems(spec: FormSpec, answers: Mapping[str, Any]) -> list[FieldError]:
    """What makes `answers` too large to check at all, one error per field (empty when within bounds): refused
    before cleaning and validation, so that no request, signed in or not, makes the check work for long."""
    if len(answers) > len(spec.fields) + MAX_ERRORS:
        return [TOO_LARGE]
    by_field = [e for key, value in answers.items() if (found := spec.field(key)) is not None
                for e in _over_long(found, key, value)]
    return by_field or ([TOO_LARGE] if too_large(answers) else [])


def capped(problems: list[FieldError]) -> list[FieldError]:
    """The first MAX_ERRORS problems and, when there are more, one saying how many are not listed."""
    if len(problems) <= MAX_ERRORS:
        return problems
    more = len(problems) - MAX_ERRORS
    return [*problems[:MAX_ERRORS], FieldError("", "too_many_errors", f"另有{more}处错误未列出，请先改正以上各项",
                                               f"{more} more errors are not listed: correct the ones above first")]


def validator(spec: FormSpec) -> Draft202012Validator:
    return Draft202012Validator(json_schema(spec), format_checker=FORMATS)


def check(spec: FormSpec, answers: Mapping[str, Any]) -> list[FieldError]:
    """Every problem with `answers` (already cleaned), field by field: the schema's, then the rules'."""
    if not isinstance(answers, Mapping):
        return [FieldError("", "type", "申请表内容应为对象", "The answers must be an object")]
    schema_errors = sorted(validator(spec).iter_errors(answers), key=lambda e: list(e.absolute_path))
    problems = [p for error in schema_errors for p in _explain(spec, error)]
    seen = {p.path for p in problems}
    problems += [p for p in _rule_problems(spec, answers) if p.path not in seen]
    unique: dict[tuple[str, str], FieldError] = {}
    for problem in problems:
        unique.setdefault((problem.path, problem.code), problem)
    return list(unique.values())


def _path(parts: Iterable[Any]) -> str:
    return ".".join(str(p) for p in parts)


def field_at(spec: FormSpec, path: list[Any]) -> FieldSpec | None:
    """The field a path points at (`staff.0.name` → the table's column `name`); None for an unknown key."""
    fields: Iterable[FieldSpec] = spec.fields
    found: FieldSpec | None = None
    for part in path:
        if isinstance(part, int):
            continue
        found = next((f for f in fields if f.key == part), None)
        if found is None:
            return None
        fields = found.columns
    return found


def _labels(spec: FormSpec, path: list[Any]) -> tuple[str, str]:
    found = field_at(spec, path)
    if found is None:
        text = _path(path) or "申请表"
        return text, text
    if path and path[-1] in ADDRESS_LABELS and found.kind == Kind.ADDRESS:
        zh, en = ADDRESS_LABELS[path[-1]]
        return f"{found.label_zh}（{zh}）", f"{found.label('en')} ({en})"
    return found.label_zh, found.label("en")


def _explain(spec: FormSpec, error: SchemaError) -> Iterator[FieldError]:
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "required":
        for name in _missing(error):
            zh, en = _labels(spec, [*path, name])
            yield FieldError(_path([*path, name]), "required", f"请填写{zh}", f"{en} is required")
        return
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {}))) if isinstance(
            error.instance, dict) else []
        for name in extra:
            yield FieldError(_path([*path, name]), "unknown", f"申请表没有“{name}”这一项",
                             f"The form has no field “{name}”")
        return
    if kind in ("if", "allOf", "then"):
        return  # explained by the nested `required` error it carries
    yield _one(spec, path, error)


def _missing(error: SchemaError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in instance]


def _one(spec: FormSpec, path: list[Any], error: SchemaError) -> FieldError:
    zh, en = _labels(spec, path)
    found = field_at(spec, path)
    unit = found.unit if found else ""
    kind, limit = error.validator, error.validator_value
    where = _path(path)
    if kind == "type":
        wanted = {"number": ("数字", "a number"), "integer": ("整数", "a whole number"), "string": ("文字", "text"), "array": ("列表", "a list"),
                  "object": ("一组内容", "an object")}.get(str(limit), (str(limit), str(limit)))
        return FieldError(where, "type", f"{zh}应为{wanted[0]}", f"{en} must be {wanted[1]}")
    if kind in ("minLength", "minItems"):
        if limit <= 1:
            return FieldError(where, "required", f"请填写{zh}", f"{en} is required")
        return FieldError(where, "too_short", f"{zh}至少应有{limit}项" if kind == "minItems" else
                          f"{zh}不能少于{limit}个字", f"{en} needs at least {limit}"
                          f"{' rows' if kind == 'minItems' else ' characters'}")
    if kind in ("maxLength", "maxItems"):
        return FieldError(where, "too_long", f"{zh}不能超过{limit}{'项' if kind == 'maxItems' else '个字'}",
                          f"{en} may have at most {limit}{' rows' if kind == 'maxItems' else ' characters'}")
    if kind == "minimum":
        return FieldError(where, "too_small", f"{zh}不能小于{limit}{unit}",
                          f"{en} must be at least {limit} {unit_text(unit, 'en')}".rstrip())
    if kind == "maximum":
        return FieldError(where, "too_large", f"{zh}不能大于{limit}{unit}",
                          f"{en} must be at most {limit} {unit_text(unit, 'en')}".rstrip())
    if kind == "enum":
        return FieldError(where, "choice", f"{zh}不是可选的值", f"{en} is not one of the choices")
    if kind == "uniqueItems":
        return FieldError(where, "repeated", f"{zh}有重复的选项", f"{en} repeats a choice")
    if kind in ("pattern", "format"):
        return _format_error(found, where, zh, en)
    return FieldError(where, "invalid", f"{zh}填写有误", f"{en} is not valid")


def _format_error(found: FieldSpec | None, where: str, zh: str, en: str) -> FieldError:
    kind = found.kind if found else ""
    if kind == Kind.ID_NUMBER:
        return FieldError(where, "invalid_identity_number", f"{zh}不是有效的居民身份证号码（18位，校验码须正确）",
                          f"{en} is not a valid resident identity number (18 characters with a correct check digit)")
    if kind == Kind.CREDIT_CODE:
        return FieldError(where, "invalid_credit_code", f"{zh}不是有效的统一社会信用代码（18位，校验码须正确）",
                          f"{en} is not a valid unified social credit code (18 characters, correct check character)")
    if kind == Kind.MOBILE:
        return FieldError(where, "invalid_mobile", f"{zh}应为11位手机号码", f"{en} must be an 11-digit mobile number")
    if kind == Kind.DATE:
        return FieldError(where, "invalid_date", f"{zh}应为有效日期（YYYY-MM-DD）", f"{en} must be a date (YYYY-MM-DD)")
    if found is not None and (found.help_zh or found.help_en):  # the help is where an editor describes the format
        help_zh = found.help_zh or found.help_en
        return FieldError(where, "pattern", f"{zh}格式不正确：{help_zh}",
                          f"{en} is not in the expected format: {found.help_en or help_zh}")
    return FieldError(where, "pattern", f"{zh}格式不正确", f"{en} is not in the expected format")


# -- the declarative rules ------------------------------------------------------------------------------------
def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _rule_problems(spec: FormSpec, answers: Mapping[str, Any]) -> Iterator[FieldError]:
    for rule in spec.rules:
        failed_at = _failed_at(rule, answers)
        if failed_at:
            yield FieldError(failed_at, "rule", rule.message_zh, rule.message_en or rule.message_zh)


def _failed_at(rule: RuleSpec, answers: Mapping[str, Any]) -> str:
    """The path the rule blames when it fails, else ""."""
    if rule.kind == RuleKind.LTE:
        a, b = _comparable(answers.get(rule.a)), _comparable(answers.get(rule.b))
        numbers = isinstance(a, int | float) and isinstance(b, int | float)
        if a is None or b is None or not numbers and type(a) is not type(b):
            return ""
        return rule.a if a > b else ""
    if rule.kind == RuleKind.REQUIRED_IF:
        when = rule.a in answers if rule.value is None else answers.get(rule.a) == rule.value
        return rule.b if when and rule.b not in answers else ""
    if rule.kind == RuleKind.SUM_LTE:
        rows = answers.get(rule.a)
        limit = _comparable(answers.get(rule.b))
        if not isinstance(rows, list) or not isinstance(limit, int | float):
            return ""
        total = sum(row.get(rule.column, 0) for row in rows if isinstance(row, dict)
                    and isinstance(row.get(rule.column, 0), int | float))
        return rule.a if total > limit else ""
    return ""


def renamed(spec: FieldSpec, names: Mapping[str, str], source: str) -> FieldSpec:
    """The field under its key in a merged form (`names` maps the item's keys), its condition following it."""
    condition = spec.shown_when
    if condition is not None:
        condition = replace(condition, field=names.get(condition.field, condition.field))
    return replace(spec, key=names.get(spec.key, spec.key), shown_when=condition,
                   source="" if spec.element else source)


def merge(code: str, title: str, version: int, forms: Iterable[FormSpec]) -> tuple[FormSpec, dict[str, dict[str, str]]]:
    """一表申请: one form from several items' forms, each shared data element asked once (the first item's field
    stands for all); a field of its own whose key another item uses too is asked as `<实施编码>.<key>`.
    Returns the merged form and, per item, its keys → the merged form's keys (to split the answers back)."""
    forms = list(forms)
    counts: dict[str, int] = {}
    for form in forms:
        for f in form.fields:
            if not f.element:
                counts[f.key] = counts.get(f.key, 0) + 1
    merged: list[FieldSpec] = []
    rules: list[RuleSpec] = []
    seen: set[str] = set()
    maps: dict[str, dict[str, str]] = {}
    for form in forms:
        names = {f.key: f.key if f.element or counts.get(f.key, 0) <= 1 else f"{form.code}.{f.key}"
                 for f in form.fields}
        maps[form.code] = names
        for f in form.fields:
            moved = renamed(f, names, form.code)
            if moved.key in seen:
                if f.required and not any(m.required for m in merged if m.key == moved.key):
                    merged = [replace(m, required=True) if m.key == moved.key else m for m in merged]
                continue
            seen.add(moved.key)
            merged.append(moved)
        rules += [replace(r, a=names.get(r.a, r.a), b=names.get(r.b, r.b)) for r in form.rules]
    return FormSpec(code=code, title=title, version=version, fields=tuple(merged), rules=tuple(rules)), maps


def split(answers: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """One item's answers out of a merged form's (the inverse of `merge`'s key map)."""
    return {key: answers[merged] for key, merged in names.items() if merged in answers}


def spec_to_dict(spec: FieldSpec) -> dict[str, Any]:
    """A field as plain JSON-ready data (the catalog's export, the diff, snapshots)."""
    out: dict[str, Any] = {"key": spec.key, "kind": spec.kind, "label_zh": spec.label_zh, "label_en": spec.label_en,
                           "required": spec.required}
    optional = {"help_zh": spec.help_zh, "help_en": spec.help_en, "element": spec.element, "unit": spec.unit,
                "pattern": spec.pattern, "min_length": spec.min_length, "max_length": spec.max_length,
                "min_value": _number(spec.min_value), "max_value": _number(spec.max_value),
                "whole_number": spec.whole_number or None, "material": spec.material_name or None}
    out.update({k: v for k, v in optional.items() if v not in (None, "")})
    if spec.choices:
        out["choices"] = [{"value": c.value, "zh": c.zh, "en": c.en} for c in spec.choices]
    if spec.shown_when:
        out["shown_when"] = spec.shown_when.as_dict()
    if spec.columns:
        out["columns"] = [spec_to_dict(c) for c in spec.columns]
    return out


# -- the design checked ---------------------------------------------------------------------------------------
class Problem(str):
    """A problem of a form's design: the Chinese message (what the str is, as pages and the API show it) with its
    English in `.en` (a catalog import names every problem in both)."""

    en: str

    def __new__(cls, zh: str, en: str = "") -> Problem:
        made = super().__new__(cls, zh)
        made.en = en
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # copied and pickled with its English
        return (Problem, (str(self), self.en))


def problem(zh: str, en: str) -> Problem:
    return Problem(zh, en)


def _field_problems(spec: FieldSpec, where: str, *, in_table: bool) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not KEY_PATTERN.fullmatch(spec.key):
        problems[f"{where}.key"] = problem(
            "字段标识应以小写字母开头，只含小写字母、数字和下划线（不超过48个字符）",
            "the key must start with a lowercase letter and hold only lowercase letters, digits and underscores "
            "(48 characters at most)")
    if spec.kind not in Kind.__members__.values():
        problems[f"{where}.kind"] = problem(f"未知的字段类型“{spec.kind}”", f"unknown field kind “{spec.kind}”")
    if not spec.label_zh.strip():
        problems[f"{where}.label_zh"] = problem("请填写字段名称", "the field needs a name")
    if spec.kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
        values = [c.value for c in spec.choices]
        if not values or any(not v for v in values) or len(set(values)) != len(values):
            problems[f"{where}.choices"] = problem(
                "单选、多选字段须有代码表，每个选项的值不为空且不重复",
                "a choice field needs a code list whose values are neither empty nor repeated")
    problems.update(_column_problems(spec, where, in_table=in_table))
    if spec.pattern:
        try:
            re.compile(spec.pattern)
        except re.error:
            problems[f"{where}.pattern"] = problem("格式不是有效的正则表达式", "the pattern is not a valid regular expression")
    if spec.whole_number and spec.kind != Kind.NUMBER:
        problems[f"{where}.whole_number"] = problem("只有数字字段才能限定为整数", "only a number field can be whole numbers")
    if spec.min_value is not None and spec.max_value is not None and spec.min_value > spec.max_value:
        problems[f"{where}.min_value"] = problem("最小值大于最大值", "the minimum is greater than the maximum")
    if spec.min_length is not None and spec.max_length is not None and spec.min_length > spec.max_length:
        problems[f"{where}.min_length"] = problem("最少大于最多", "the least is greater than the most")
    return problems


def _column_problems(spec: FieldSpec, where: str, *, in_table: bool) -> dict[str, str]:
    problems: dict[str, str] = {}
    if spec.kind != Kind.TABLE:
        return {f"{where}.columns": problem("只有表格字段才有列", "only a table field has columns")} if spec.columns else {}
    if in_table:
        problems[f"{where}.kind"] = problem("表格的列不能再是表格", "a table's column cannot be a table")
    elif not spec.columns:
        problems[f"{where}.columns"] = problem("表格至少要有一列", "a table needs at least one column")
    for index, column in enumerate(spec.columns):
        problems.update(_field_problems(column, f"{where}.columns.{index}", in_table=True))
    if len({c.key for c in spec.columns}) != len(spec.columns):
        problems[f"{where}.columns"] = problem("表格的列标识不能重复", "a table's column keys must not repeat")
    return problems


def _condition_problem(spec: FieldSpec, earlier: dict[str, FieldSpec]) -> str:
    condition = spec.shown_when
    if condition is None:
        return ""
    target = earlier.get(condition.field)
    if target is None:
        return problem(f"显示条件引用的字段“{condition.field}”不在本字段之前",
                       f"the condition's field “{condition.field}” is not before this field")
    wanted = condition.among or (condition.equals,)
    values = {c.value for c in target.choices}
    if values and any(w not in values for w in wanted):
        return problem(f"显示条件的值不在“{target.label_zh}”的代码表中",
                       f"the condition's value is not in the code list of “{target.label_en or target.label_zh}”")
    return ""


def _rule_problem(rule: RuleSpec, fields: dict[str, FieldSpec]) -> str:
    if rule.kind not in RuleKind.__members__.values():
        return problem(f"未知的规则“{rule.kind}”", f"unknown rule “{rule.kind}”")
    missing = [name for name in (rule.a, rule.b) if name not in fields]
    if missing:
        return problem(f"规则引用的字段“{'、'.join(missing)}”不存在",
                       f"the rule names field(s) “{', '.join(missing)}” that do not exist")
    if not rule.message_zh.strip():
        return problem("规则须有提示", "the rule needs a message")
    a, b = fields[rule.a], fields[rule.b]
    if rule.kind == RuleKind.LTE and not {a.kind, b.kind} <= {Kind.NUMBER} and not {a.kind, b.kind} <= {Kind.DATE}:
        return problem("“a ≤ b”须比较两个数字或两个日期", "“a ≤ b” compares two numbers or two dates")
    if rule.kind == RuleKind.SUM_LTE:
        column = next((c for c in a.columns if c.key == rule.column), None)
        if a.kind != Kind.TABLE or column is None or column.kind != Kind.NUMBER or b.kind != Kind.NUMBER:
            return problem("求和规则的 a 须为表格、列须为其数字列、b 须为数字",
                           "a sum rule needs a table as a, one of its number columns, and a number as b")
    return ""


def design_problems(spec: FormSpec) -> dict[str, str]:
    """Everything wrong with a form's design at once (`fields.3.choices` → what is wrong); empty when sound."""
    problems: dict[str, str] = {}
    earlier: dict[str, FieldSpec] = {}
    for index, field_ in enumerate(spec.fields):
        where = f"fields.{index}"
        problems.update(_field_problems(field_, where, in_table=False))
        if field_.key in earlier:
            problems[f"{where}.key"] = problem(f"字段标识“{field_.key}”重复", f"the key “{field_.key}” is repeated")
        wrong = _condition_problem(field_, earlier)
        if wrong:
            problems[f"{where}.shown_when"] = wrong
        earlier[field_.key] = field_
    for index, rule in enumerate(spec.rules):
        wrong = _rule_problem(rule, earlier)
        if wrong:
            problems[f"rules.{index}"] = wrong
    return problems


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def field_from_dict(raw: Mapping[str, Any]) -> FieldSpec:
    """A field from plain data (`spec_to_dict`'s shape: an import, the API); unknown keys are ignored and values
    of the wrong type read as absent, so that `design_problems` names what is missing."""
    shown = raw.get("shown_when")
    condition = None
    if isinstance(shown, Mapping) and shown.get("field"):
        among = shown.get("in")
        condition = Condition(field=str(shown["field"]), equals=shown.get("equals"),
                              among=tuple(among) if isinstance(among, list) else ())
    choices = raw.get("choices") if isinstance(raw.get("choices"), list) else []
    columns = raw.get("columns") if isinstance(raw.get("columns"), list) else []
    return FieldSpec(
        key=str(raw.get("key") or ""), kind=str(raw.get("kind") or Kind.TEXT), label_zh=str(raw.get("label_zh") or ""),
        label_en=str(raw.get("label_en") or ""), help_zh=str(raw.get("help_zh") or ""),
        help_en=str(raw.get("help_en") or ""), required=bool(raw.get("required")),
        element=str(raw.get("element") or ""), unit=str(raw.get("unit") or ""),
        choices=tuple(Choice(value=str(c.get("value", "")), zh=str(c.get("zh") or c.get("value", "")),
                             en=str(c.get("en") or "")) for c in choices if isinstance(c, Mapping)),
        min_length=_int(raw.get("min_length")), max_length=_int(raw.get("max_length")),
        min_value=_decimal(raw.get("min_value")), max_value=_decimal(raw.get("max_value")),
        whole_number=raw.get("whole_number") is True, pattern=str(raw.get("pattern") or ""), shown_when=condition, material_name=str(raw.get("material") or ""),
        columns=tuple(field_from_dict(c) for c in columns if isinstance(c, Mapping)),
    )


def rule_from_dict(raw: Mapping[str, Any]) -> RuleSpec:
    return RuleSpec(kind=str(raw.get("kind") or ""), a=str(raw.get("a") or ""), b=str(raw.get("b") or ""),
                    column=str(raw.get("column") or ""), value=raw.get("value"),
                    message_zh=str(raw.get("message_zh") or ""), message_en=str(raw.get("message_en") or ""))


def rule_to_dict(rule: RuleSpec) -> dict[str, Any]:
    out = {"kind": rule.kind, "a": rule.a, "b": rule.b, "message_zh": rule.message_zh, "message_en": rule.message_en}
    if rule.column:
        out["column"] = rule.column
    if rule.value is not None:
        out["value"] = rule.value
    return out
