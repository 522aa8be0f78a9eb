"""Answers as a person reads them (申请表内容的显示): each field's label and its value in words — a choice by its
label, a number with its unit, an address joined, a table row by row. Used by the case page and the 申请表 PDF.
Shown to someone who may not see the applicant's identity whole (`masked`), an identity number and a mobile —
fields of those kinds and table cells of those kinds — are masked as everywhere else (`core.identity`).

Pure logic; no framework import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from onewindow.core.identity import mask_identity, mask_mobile
from onewindow.forms.spec import ADDRESS_PARTS, FieldSpec, FormSpec, Kind
from onewindow.forms.units import unit_text


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    value: str
    lines: tuple[str, ...] = ()  # a table's rows, one line each
    label_en: str = ""  # the label on an English page (the Chinese one when the form gives none)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choice(choice: Any, language: str) -> str:
    return (choice.en or choice.zh) if language == "en" else choice.zh


def value_text(spec: FieldSpec, value: Any, language: str = "zh", *, masked: bool = False) -> str:
    """One answer in words (a table's rows joined; see `rows` for them apart), in `language` ("zh" or "en": the
    choices' and columns' English, Chinese where none is given; the unit in English from `forms.units`);
    `masked`: identity numbers and mobiles masked (5001**********123X, 139****0000)."""
    if value is None or value == "" or value == []:
        return ""
    if masked and spec.kind in _MASKS:
        return _MASKS[spec.kind](str(value))
    if spec.kind == Kind.CHOICE:
        return next((_choice(c, language) for c in spec.choices if c.value == value), str(value))
    if spec.kind == Kind.MULTI_CHOICE and isinstance(value, list):
        labels = {c.value: _choice(c, language) for c in spec.choices}
        return (", " if language == "en" else "、").join(labels.get(v, str(v)) for v in value)
    if spec.kind == Kind.NUMBER:
        return f"{_number(value)} {unit_text(spec.unit, language)}".strip()
    if spec.kind == Kind.ADDRESS and isinstance(value, Mapping):
        return "".join(str(value.get(part, "")) for part in ADDRESS_PARTS)
    if spec.kind == Kind.TABLE and isinstance(value, list):
        return ("; " if language == "en" else "；").join(_row_text(spec.columns, row, language, masked)
                                                         for row in value if isinstance(row, Mapping))
    return str(value)


_MASKS = {Kind.ID_NUMBER: mask_identity, Kind.MOBILE: mask_mobile}


def _row_text(columns: Iterable[FieldSpec], row: Mapping[str, Any], language: str = "zh", masked: bool = False) -> str:
    if language == "en":
        return ", ".join(f"{c.label(language)}: {value_text(c, row[c.key], language, masked=masked)}"
                         for c in columns if c.key in row)
    return "，".join(f"{c.label_zh}：{value_text(c, row[c.key], masked=masked)}" for c in columns if c.key in row)


def rows(spec: FormSpec, answers: Mapping[str, Any], language: str = "zh", *, masked: bool = False
         ) -> list[AnswerRow]:
    """The answered fields in the form's order, each as label and words (a table also row by row), in `language`
    ("en": label_en and the choices' English, Chinese where none is given); `masked` as `value_text`."""
    out = []
    for field in spec.fields:
        if field.key not in answers:
            continue
        value = answers[field.key]
        lines: tuple[str, ...] = ()
        if field.kind == Kind.TABLE and isinstance(value, list):
            lines = tuple(f"{n}. {_row_text(field.columns, row, language, masked)}"
                          for n, row in enumerate(value, start=1) if isinstance(row, Mapping))
        out.append(AnswerRow(field.key, field.label(language), value_text(field, value, language, masked=masked),
                             lines, field.label("en")))
    return out
