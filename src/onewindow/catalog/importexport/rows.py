"""One entry of a catalog file as an unsaved row, its fields checked by the model; plain values read leniently."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from onewindow.catalog.importexport.problems import Problems

Row = TypeVar("Row", bound=models.Model)

_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "是": True, "否": False, "yes": True, "no": False}


def text(value: Any) -> str:
    """A cell or JSON value as trimmed text; None is ""."""
    return "" if value is None else str(value).strip()


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
    for key in keys:
        if key not in entry:
            continue
        value = entry[key]
        model_field = obj._meta.get_field(key)
        if (
            isinstance(model_field, models.BooleanField)
            and isinstance(value, str)
            and value.strip().lower() in _BOOLEANS
        ):
            value = _BOOLEANS[value.strip().lower()]
        elif isinstance(model_field, models.CharField | models.TextField) and value is None:
            value = ""
        elif isinstance(model_field, models.BooleanField) and not isinstance(value, bool | int | str):
            problems.add(path, "应为 true 或 false", key)
            continue
        setattr(obj, model_field.attname, value)
    skip = {f.name for f in obj._meta.concrete_fields if f.is_relation or f.name not in keys}
    try:
        obj.clean_fields(exclude=list(skip))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            problems.add(path, "；".join(messages), key)
        return None
    return obj
