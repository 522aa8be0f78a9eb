"""The one check every channel runs on a form's answers (申请表校验, 智能预审): cleaned, validated against the
form's JSON Schema, then its cross-field rules; a refusal names every field at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.forms.spec import FieldError, FormSpec, bounds_problems, capped, check, clean_answers


class FormInvalid(InvalidInput):
    """The answers fail their form: `problems` lists each field's error (path, code, zh and en message)."""

    code = ErrorCode.FORM_INVALID

    def __init__(self, problems: list[FieldError], *, prefix: str = "answers") -> None:
        self.problems = problems
        where = f"{prefix}." if prefix else ""
        super().__init__("申请表填写有误：" + "；".join(p.message_zh for p in problems),
                         fields={f"{where}{p.path}".rstrip("."): p.code for p in problems})


def problems_of(spec: FormSpec, answers: Any) -> tuple[dict[str, Any], list[FieldError]]:
    """The cleaned answers and every problem with them (none when they may be filed), at most
    `spec.MAX_ERRORS` of them listed. Answers beyond the form's bounds (`spec.bounds_problems`: a table longer than
    its most rows, an over-long text, over-deep or over-large answers) are refused at once, unchecked, with no
    cleaned answers."""
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        return {}, [FieldError("", "type", "申请表内容应为对象", "The answers must be an object")]
    too_large = bounds_problems(spec, answers)
    if too_large:
        return {}, capped(too_large)
    cleaned = clean_answers(spec.fields, answers)
    return cleaned, capped(check(spec, cleaned))


def validated_answers(spec: FormSpec | None, answers: Any, *, prefix: str = "answers") -> dict[str, Any]:
    """The answers as they are stored, or FormInvalid (422) naming every field at fault. Without a form, any
    answer is refused: an item version with no form takes none."""
    if spec is None:
        if answers:
            raise InvalidInput("该事项没有电子申请表，不接受申请表内容", fields={prefix: "no_form"})
        return {}
    cleaned, problems = problems_of(spec, answers)
    if problems:
        raise FormInvalid(problems, prefix=prefix)
    return cleaned
