"""The application form (电子申请表) on the case forms: the online application, the window intake, the kiosk and the
resubmission after a correction read the answers posted with `forms.pages.answers_from_post`, file them through
their service (`answers=`), and show a refusal field by field with what was typed kept (`forms.pages.form_view`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils.translation import get_language

from onewindow.core.errors import DomainError
from onewindow.forms.pages import FormView, answers_from_post, form_view, with_prefill
from onewindow.forms.prefill import Prefilled
from onewindow.forms.spec import FieldError, FormSpec
from onewindow.forms.validation import FormInvalid, problems_of


def page_language() -> str:
    """"en" on an English page, else "zh" (the form's labels follow the page)."""
    return "en" if (get_language() or "").startswith("en") else "zh"


class AnswersMixin:
    """A case form that carries an application form: `spec` (None when the item version has none), the keys a
    resubmission may change (`editable`, None for all), the values the center prefilled, and per material the id
    of this form's upload a file field points to (`upload_field`)."""

    spec: FormSpec | None = None
    editable: Collection[str] | None = None
    prefilled: Mapping[str, Prefilled] = {}
    start_answers: Mapping[str, Any] = {}  # an unbound form's answers: a draft, or the case's own
    upload_field = "file{}"  # the name of this form's upload of material {}
    answer_problems: list[FieldError] | None = None  # None until checked

    def setup_answers(self, spec: FormSpec | None, *, prefilled: Mapping[str, Prefilled] | None = None,
                      start: Mapping[str, Any] | None = None, editable: Collection[str] | None = None) -> None:
        self.spec = spec
        self.prefilled = prefilled or {}
        self.start_answers = start or {}
        self.editable = editable

    def uploaded_names(self) -> dict[int, str]:
        """Material id → the name of the file this form carries for it (new or kept), for the form's file fields."""
        data = getattr(self, "cleaned_data", None) or {}
        names = {}
        for material in getattr(self, "materials", ()):
            name = self.upload_field.format(material.pk)
            upload = data.get(name) or self.files.get(name)  # type: ignore[attr-defined]
            if upload:
                names[material.pk] = upload.name
        return names

    def posted_answers(self) -> dict[str, Any]:
        """The answers as posted (typed, not yet cleaned); {} without a form."""
        if self.spec is None or not self.is_bound:  # type: ignore[attr-defined]
            return {}
        return answers_from_post(self.spec, self.data, keys=self.editable,  # type: ignore[attr-defined]
                                 files=self.uploaded_names())

    def whole_answers(self) -> dict[str, Any]:
        """The posted answers; on a resubmission, the case's answers with the named fields as posted."""
        posted = self.posted_answers()
        if self.editable is None:
            return posted
        return {k: v for k, v in self.start_answers.items() if k not in self.editable} | posted

    def answers_to_file(self) -> dict[str, Any] | None:
        """What the service files (`answers=`): None without a form; FormInvalid naming every field at fault."""
        if self.spec is None:
            return None
        answers = self.whole_answers()
        self.answer_problems = problems_of(self.spec, answers)[1]
        if self.answer_problems:
            raise FormInvalid(self.answer_problems)
        return answers

    def check_answers(self) -> list[FieldError]:
        """智能预审: every problem of the posted answers, writing nothing."""
        if self.answer_problems is None:
            self.answer_problems = problems_of(self.spec, self.whole_answers())[1] if self.spec else []
        return self.answer_problems

    def add_service_error(self, error: DomainError) -> None:
        if isinstance(error, FormInvalid):
            self.answer_problems = list(error.problems)
            if all(key.startswith("answers") for key in error.fields):
                return  # shown on the form's fields and in the summary, one by one
        super().add_service_error(error)  # type: ignore[misc]

    def answers_view(self) -> FormView | None:
        """The form as the page renders it: what was posted (or the start: a draft, prefilled values, the case's
        answers) with each field's error."""
        if self.spec is None:
            return None
        if self.is_bound:  # type: ignore[attr-defined]
            answers = self.whole_answers()
            problems = self.check_answers()
        else:
            answers, problems = with_prefill(self.start_answers, self.prefilled), []
        fields = self.fields  # type: ignore[attr-defined]
        anchors = {m.pk: self[self.upload_field.format(m.pk)].auto_id  # type: ignore[index]
                   for m in getattr(self, "materials", ()) if self.upload_field.format(m.pk) in fields}
        return form_view(self.spec, answers, errors=problems, prefilled=self.prefilled, language=page_language(),
                         editable=self.editable, material_anchors=anchors)
