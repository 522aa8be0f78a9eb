"""One entry of a catalog file as an unsaved row, its fields checked by the model; plain values read leniently."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop

from onewindow.catalog.importexport.problems import Problems

Row = TypeVar("Row", bound=models.Model)

# How a cell or a JSON text reads as a boolean (TRUE/FALSE, 1/0, 是/否, yes/no), for every section of the file.
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "是": True, "否": False, "yes": True, "no": False}


# Keys of the file that name a row (a code) or refer to one; matched only after key_text.
KEY_NAMES = frozenset(
    {
        "code",
        "implementation_code",
        "basic_code",
        "parent",
        "department",
        "supervising_department",
        "lead_department",
        "item_type",
        "item",
        "requires",
        "service_point",
        "theme",
    }
)
# Characters a copy from a web page or a word processor leaves in a code, invisible on the screen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# How far a number may be from a whole number and still be that number: a spreadsheet that computes 10 may
# store 9.999999999999998 (binary floating point), which is 10 to a person, never 9.
_EPSILON = 1e-9


def text(value: Any) -> str:
    """A cell or JSON value as trimmed text; None is ""."""
    return "" if value is None else str(value).strip()


def key_text(value: Any) -> str:
    """A code as it is matched (JSON and XLSX alike): Unicode NFKC (full-width letters, digits and spaces become
    ASCII), invisible characters removed, spaces at both ends trimmed; None is ""."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE).strip()


def normalise_keys(value: Any) -> Any:
    """A copy of a catalog file's data whose codes and references (KEY_NAMES, at any depth) went through key_text;
    anything else is left as it is for the checks to judge."""
    if isinstance(value, list):
        return [normalise_keys(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, entry in value.items():
        if key in KEY_NAMES and isinstance(entry, str):
            entry = key_text(entry)
        elif key in KEY_NAMES and isinstance(entry, list):
            entry = [key_text(v) if isinstance(v, str) else v for v in entry]
        else:
            entry = normalise_keys(entry)
        out[key] = entry
    return out


def whole_number(value: Any) -> int | None:
    """`value` as an integer if it is one: an int, a number within a tiny epsilon of one (9.999999999999998 is 10),
    or text of such a number (" 10", "１０", "10.0"); None for anything else (2.5, "abc", true)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = Decimal(unicodedata.normalize("NFKC", value).strip())
        except InvalidOperation:
            return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        value = float(value)
    if isinstance(value, float) and math.isfinite(value):
        nearest = round(value)
        if math.isclose(value, nearest, rel_tol=_EPSILON, abs_tol=_EPSILON):
            return int(nearest)
    return None


def decimal_number(value: float, places: int) -> Decimal | float:
    """A float read from a spreadsheet as the decimal it stands for when it is within a tiny epsilon of one with
    `places` decimals (0.30000000000000004 is 0.3); otherwise unchanged, for the field to judge."""
    if not math.isfinite(value):
        return value
    nearest = round(value, places)
    if math.isclose(value, nearest, rel_tol=_EPSILON, abs_tol=_EPSILON):
        return Decimal(str(nearest))
    return value


def split_list(value: str) -> list[str]:
    """`"online, nearby"` (a comma, Chinese or not, between names) as `["online", "nearby"]`."""
    return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]


def string_list(entry: dict, key: str, path: tuple, problems: Problems) -> list[str] | None:
    """A list of names, given as a list or as comma-separated text; None when the key is absent or null."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = split_list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(path, "应为字符串列表", key)
        return None
    return value


def build_row(
    model: type[Row],
    entry: Any,
    path: tuple,
    problems: Problems,
    *,
    keys: Iterable[str],
    special: Iterable[str] = (),
    initial: dict[str, Any] | None = None,
    check_unknown: bool = True,
) -> Row | None:
    """An unsaved row from one entry, its fields checked by the model (length, choices, numbers); None if not a dict.

    `special` keys are allowed in the entry but read by the caller; the row's `_absent` names the keys left out.
    """
    if not isinstance(entry, dict):
        problems.add(path, "应为对象 {…}")
        return None
    keys = list(keys)
    if check_unknown:
        for key in sorted(set(entry) - set(keys) - set(special)):
            problems.add(path, "未知字段", key)
    obj = model(**(initial or {}))
    # A key left out keeps an existing row's value, and takes the default on a new row.
    obj._absent = {obj._meta.get_field(k).attname for k in keys if k not in entry}
    reported: set[str] = set()  # keys already refused here, not checked again by the model
    for key in keys:
        if key not in entry:
            continue
        model_field = obj._meta.get_field(key)
        value, problem = _plain_value(model_field, entry[key])
        if problem:
            problems.add(path, problem, key)
            reported.add(key)
            continue
        setattr(obj, model_field.attname, value)
    skip = {f.name for f in obj._meta.concrete_fields if f.is_relation or f.name not in keys} | reported
    try:
        obj.clean_fields(exclude=list(skip))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            problems.add(path, "；".join(messages), key)
        return None
    return obj


def _plain_value(model_field: Any, value: Any) -> tuple[Any, str]:
    """A value as its field takes it, read leniently (numbers as text, TRUE/是, null text as ""), or the problem
    that refuses it: a non-integer in an integer column is never cut to an integer."""
    if isinstance(model_field, models.IntegerField) and value is not None and value != "":
        number = whole_number(value)
        if number is None:
            return value, gettext_noop("应为整数，不是“%(value)s”") % {"value": value}
        return number, ""
    if isinstance(model_field, models.DecimalField) and isinstance(value, float):
        return decimal_number(value, model_field.decimal_places), ""
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, str) and value.strip().lower() in BOOLEANS:
            return BOOLEANS[value.strip().lower()], ""
        if not isinstance(value, bool | int | str):
            return value, "应为 true 或 false"
    if isinstance(model_field, models.CharField | models.TextField) and value is None:
        return "", ""
    return value, ""
