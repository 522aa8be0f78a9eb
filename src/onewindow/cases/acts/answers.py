"""The application form on a case (申请表内容): the answers checked against the form of the item version the case is
filed under — the same JSON Schema and rules on every channel — and the fields a correction notice names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from onewindow.cases.acts.base import Problem, raise_problems
from onewindow.cases.models import Case
from onewindow.catalog.models import ItemVersion
from onewindow.forms.models import FormVersion
from onewindow.forms.prefill import Prefilled, authoritative_changes, prefill, sources_used, with_authoritative
from onewindow.forms.selectors import form_of, spec_of
from onewindow.forms.spec import FieldError, FormSpec
from onewindow.forms.validation import FormInvalid, problems_of, validated_answers


def form_problems(version: ItemVersion, answers: Mapping[str, Any] | None) -> list[FieldError]:
    """Every problem of `answers` against the version's form (none without a form and without answers)."""
    form = form_of(version)
    if form is None:
        return [FieldError("", "no_form", "该事项没有电子申请表，不接受申请表内容",
                           "This item has no application form and takes no answers")] if answers else []
    return problems_of(spec_of(form), answers)[1]


def replaced_material(version: ItemVersion, answers: Mapping[str, Any] | None) -> int | None:
    """The material (its id) the version's form stands for when answers are filed with it — the paper 申请书 the
    applicant no longer hands in: the 申请表 PDF generated from the answers is filed as that material. None
    without a form, without answers, or when the form replaces no material."""
    if not answers:
        return None
    form = form_of(version)
    return form.replaces_id if form is not None else None


def raise_all(problems: Sequence[Problem], form_errors: Sequence[FieldError]) -> None:
    """One refusal naming every problem at once: the form's field by field (FormInvalid, with its zh/en
    messages) and the others beside them; nothing when there are none."""
    if form_errors:
        error = FormInvalid(list(form_errors))
        if problems:
            error.fields.update({p.field: p.code for p in problems})
            error.message = "；".join([error.message, *(p.message for p in problems)])
            error.args = (error.message,)
        raise error
    raise_problems(list(problems))


def filed_answers(version: ItemVersion, answers: Mapping[str, Any] | None) -> tuple[FormVersion | None, dict]:
    """The form the case is filed under and its answers as stored (cleaned), or FormInvalid (422)."""
    form = form_of(version)
    return form, validated_answers(spec_of(form) if form else None, answers)


def corrected_answers(case: Case, answers: Mapping[str, Any] | None, asked: Sequence[str]) -> dict[str, Any]:
    """补正: the case's answers with only the `asked` fields changed. `answers` may hold only the fields the notice
    names: they are laid over the case's current answers (a field left out keeps its answer) and the whole is
    checked against the form the case was filed under; a change to a field the notice did not name is refused
    (`answers.<key>`: not_asked)."""
    if answers is None:
        return dict(case.answers)
    form = case.form_version
    if form is None:
        return validated_answers(None, answers)
    spec = spec_of(form)
    cleaned, errors = problems_of(spec, {**case.answers, **answers} if isinstance(answers, Mapping) else answers)
    keys = set(cleaned) | set(case.answers)
    moved = sorted(k for k in keys if k not in asked and cleaned.get(k) != case.answers.get(k))
    labels = {f.key: f.label_zh for f in spec.fields}
    problems = [Problem(f"answers.{key}", "not_asked", "补正只能修改补正告知中列出的字段：“%(name)s”未列出",
                        {"name": labels.get(key, key)}) for key in moved]
    raise_all(problems, errors)
    return cleaned


def held_answers(version: ItemVersion, user: Any, answers: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The answers posted for `user`'s application with every authoritative value the center holds for them put
    in where missing (see `forms.prefill.with_authoritative`); as they are without a form, a user or answers."""
    form = form_of(version) if user is not None and answers else None
    if form is None or not isinstance(answers, Mapping):
        return answers
    spec = spec_of(form)
    return with_authoritative(spec, prefill(spec, user), answers)


def prefill_marks(version: ItemVersion, user: Any, answers: Mapping[str, Any], *,
                  known: Mapping[str, Any] | None = None) -> dict[str, str]:
    """减填写 on a citizen's own application: which answers are the values the center prefilled (key → source);
    an answer that changes an authoritative value is refused (`answers.<key>`: authoritative). `known` are the
    values a package's one form already asked (一表申请), marked as coming from it."""
    form = form_of(version)
    if form is None or not answers:
        return {}
    spec = spec_of(form)
    known_values = prefill(spec, user, known=known)
    raise_problems(authoritative_problems(spec, known_values, answers))
    return sources_used(known_values, answers)


def authoritative_problems(spec: FormSpec, known: Mapping[str, Prefilled], answers: Mapping[str, Any]) -> list[Problem]:
    """An answer that changes a value from an authoritative record, each named `answers.<key>` and, in the
    message, by the field's label (“联系人居民身份证号码”来自实名账号，不能修改)."""
    labels = {f.key: f.label_zh for f in spec.fields}
    return [Problem(f"answers.{key}", "authoritative", "“%(name)s”来自%(origin)s，不能修改",
                    {"name": labels.get(key, key), "origin": origin})
            for key, origin in authoritative_changes(known, answers).items()]


def checked_answers(spec: FormSpec, user: Any, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The answers to `spec` as stored (cleaned) — each authoritative value of `user`'s put in where missing — or
    one refusal naming every problem at once: the form's field by field and each change to an authoritative value
    of `user`'s (FormInvalid, 422)."""
    known = prefill(spec, user) if user is not None else {}
    if known and isinstance(answers, Mapping):
        answers = with_authoritative(spec, known, answers)
    cleaned, errors = problems_of(spec, answers)
    changed = authoritative_problems(spec, known, cleaned)
    raise_all(changed, errors)
    return cleaned
