"""Application forms through the API (电子申请表): each item's and each package's form as JSON Schema (Draft 2020-12),
and the pre-check (智能预审) of answers against it — the same schema and rules every channel files with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from onewindow.core.auth import api_auth
from onewindow.forms import selectors, services
from onewindow.forms.models import Draft
from onewindow.forms.prefill import prefill
from onewindow.forms.spec import FormSpec, json_schema
from onewindow.forms.validation import problems_of

router = Router(tags=["电子申请表 forms"])

SCHEMA_NOTE = ("Annotations: `x-label` {zh, en}, `x-help`, `x-kind` (text, number, date, choice, multi_choice, "
               "address, id_number, credit_code, mobile, table, file), `x-unit`, `x-element` (the shared data "
               "element), `x-choices` (the code list with labels), `x-shown-when` {field, equals | in}, "
               "`x-material` (a file field's catalog material), `x-rules` (cross-field rules: lte, required_if, "
               "sum_lte, each with its message {zh, en}); formats `gb11643` (resident ID) and `gb32100` (credit code).")


class FormCheckIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict, description="字段标识 → 填写的值，结构见本事项申请表的 JSON Schema")


class FormFieldErrorOut(Schema):
    path: str = Field(description="出错的位置，例如 staff.0.id_number")
    code: str = Field(description="required, too_long, too_small, choice, invalid_identity_number, rule…")
    message_zh: str
    message_en: str


class FormCheckOut(Schema):
    valid: bool
    form_version: int = Field(description="所依据的申请表版本（事项版本号）")
    errors: list[FormFieldErrorOut]
    answers: dict[str, Any] = Field(description="整理后的内容：去除首尾空白、空值和不显示字段的值")


def _schema_id(request: HttpRequest) -> str:
    return request.build_absolute_uri()


@router.get("/items/{code}/form", response=dict[str, Any], operation_id="item_form",
            summary="事项电子申请表（JSON Schema）",
            description="The current form of an item (by 实施编码) as a JSON Schema, Draft 2020-12, with which a "
                        "front end renders and pre-validates the application; every channel validates with the "
                        "same schema and rules. 404 `not_found` when the item is unpublished or has no form. "
                        + SCHEMA_NOTE)
def item_form(request: HttpRequest, code: str):
    _form, spec = selectors.item_form(code)
    return json_schema(spec, schema_id=_schema_id(request))


@router.get("/themes/{code}/form", response=dict[str, Any], operation_id="theme_form",
            summary="一件事一表申请（JSON Schema）",
            description="A package's one form (一表申请): its items' current forms merged, every shared data element "
                        "asked once (its field keyed by the element's code); a field of one item whose key another "
                        "item uses too is keyed `<实施编码>.<key>`; `x-item` names the item a field came from. "
                        + SCHEMA_NOTE)
def theme_form(request: HttpRequest, code: str):
    package = selectors.theme_form(code)
    return json_schema(package.spec, schema_id=_schema_id(request))


@router.post("/items/{code}/form/check", response=FormCheckOut, operation_id="item_form_check",
             summary="智能预审：校验申请表内容（不保存）",
             description="Checks answers against the item's current form — its JSON Schema, then its cross-field "
                         "rules — and answers every problem field by field (path, code, message in Chinese and "
                         "English). Answers beyond the form's bounds — a table longer than its most rows (else 200), "
                         "an over-long text, over-deep or over-large answers — are refused at once, one error per "
                         "field, unchecked; at most 100 errors are listed, then one counting the rest "
                         "(`too_many_errors`). Writes nothing; anyone may call it.")
def item_form_check(request: HttpRequest, code: str, payload: FormCheckIn):
    form, spec = selectors.item_form(code)
    cleaned, problems = problems_of(spec, payload.answers)
    return {"valid": not problems, "form_version": spec.version, "errors": [p.as_dict() for p in problems],
            "answers": cleaned}


@router.post("/themes/{code}/form/check", response=FormCheckOut, operation_id="theme_form_check",
             summary="智能预审：校验一件事申请表内容（不保存）",
             description="The same pre-check on a package's one form. Writes nothing.")
def theme_form_check(request: HttpRequest, code: str, payload: FormCheckIn):
    package = selectors.theme_form(code)
    cleaned, problems = problems_of(package.spec, payload.answers)
    return {"valid": not problems, "form_version": package.spec.version,
            "errors": [p.as_dict() for p in problems], "answers": cleaned}


class FormDraftIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict, description="已填的内容（未校验，可不完整）")


class PrefillOut(Schema):
    value: Any
    origin: str = Field(description="来源：实名账号、办件 <编号>、证照 <编号>、一件事申请表")
    authoritative: bool = Field(description="来自权威记录：只读显示")


class FormDraftOut(Schema):
    answers: dict[str, Any] = Field(description="暂存的内容；没有草稿时为空")
    saved_at: dt.datetime | None
    prefill: dict[str, PrefillOut] = Field(description="字段标识 → 中心已掌握的值及其来源（减填写）")
    form_changed: bool = Field(description="草稿暂存后申请表已有新版本：请核对已填内容")


def _draft_out(user: Any, spec: FormSpec, draft: Draft | None) -> dict[str, Any]:
    known = prefill(spec, user)
    return {"answers": draft.answers if draft else {}, "saved_at": draft.saved_at if draft else None,
            "prefill": {k: {"value": p.value, "origin": p.origin, "authoritative": p.authoritative}
                        for k, p in known.items()},
            "form_changed": selectors.draft_form_changed(draft, spec)}


def _item_target(code: str) -> tuple[FormSpec, dict[str, Any]]:
    """An item's current form and the draft's owner key (`item=`)."""
    _form, spec = selectors.item_form(code)
    return spec, {"item": selectors.published_item(code)}


def _theme_target(code: str) -> tuple[FormSpec, dict[str, Any]]:
    """A package's one form and the draft's owner key (`theme=`)."""
    return selectors.theme_form(code).spec, {"theme": selectors.published_theme(code)}


def _draft_get(request: HttpRequest, target: tuple[FormSpec, dict[str, Any]]) -> dict[str, Any]:
    spec, owner = target
    return _draft_out(request.auth, spec, selectors.draft_of(request.auth, **owner))


def _draft_put(request: HttpRequest, target: tuple[FormSpec, dict[str, Any]], payload: FormDraftIn) -> dict[str, Any]:
    spec, owner = target
    return _draft_out(request.auth, spec, services.save_draft(by=request.auth, answers=payload.answers,
                                                                 form_version=spec.version, **owner))


DRAFT_GET = ("The caller's saved draft (暂存) of {what}, and what the center can fill in for them (减填写), each "
             "value with its source; an authoritative one is shown read-only. 401 without a signed-in caller; 404 "
             "`not_found` when {missing}.")
DRAFT_PUT = ("Keeps what was typed so far on {what} (unchecked, may be incomplete: the check is at submission), "
             "replacing the caller's previous draft of it; resumed with GET. 422 `answers`: invalid when the answers "
             "are not an object or are too large (200,000 characters).")


@router.get("/items/{code}/form/draft", response=FormDraftOut, auth=api_auth, operation_id="item_form_draft",
            summary="我的申请表草稿与预填内容",
            description=DRAFT_GET.format(what="an item's form", missing="the item is unpublished or has no form"))
def item_form_draft(request: HttpRequest, code: str):
    return _draft_get(request, _item_target(code))


@router.put("/items/{code}/form/draft", response=FormDraftOut, auth=api_auth, operation_id="item_form_draft_save",
            summary="暂存申请表", description=DRAFT_PUT.format(what="an item's form"))
def item_form_draft_save(request: HttpRequest, code: str, payload: FormDraftIn):
    return _draft_put(request, _item_target(code), payload)


@router.get("/themes/{code}/form/draft", response=FormDraftOut, auth=api_auth, operation_id="theme_form_draft",
            summary="我的一件事申请表草稿与预填内容",
            description=DRAFT_GET.format(what="a package's one form (一表申请, keyed as the theme's form)",
                                         missing="the theme is unpublished or none of its items has a form"))
def theme_form_draft(request: HttpRequest, code: str):
    return _draft_get(request, _theme_target(code))


@router.put("/themes/{code}/form/draft", response=FormDraftOut, auth=api_auth, operation_id="theme_form_draft_save",
            summary="暂存一件事申请表",
            description=DRAFT_PUT.format(what="a package's one form") + " Discarded once the package is applied for.")
def theme_form_draft_save(request: HttpRequest, code: str, payload: FormDraftIn):
    return _draft_put(request, _theme_target(code), payload)
