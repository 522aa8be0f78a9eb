"""The HTTP API under /api/v1/: one NinjaAPI, each app adds its router; errors have one JSON shape.

Every error answered here carries an `ErrorCode` member and a message naming the field or part at fault, in Chinese,
or in English when the request's Accept-Language asks for it (`core.language`).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from onewindow.core.error_pages import API_MESSAGES, api_code, error_body
from onewindow.core.errors import DomainError, ErrorCode
from onewindow.core.params import CheckedParser, ControlCharacter

api = NinjaAPI(
    title="onewindow 一窗通办 API",
    version="1",
    description="行政服务中心：事项清单、办件、一件事、排队叫号。Errors: {\"error\": {code, message, fields}}; "
                "`code` is one of a fixed list (`onewindow.core.errors.ErrorCode`), `fields` names the field or "
                "part at fault.",
    urls_namespace="api",
    parser=CheckedParser(),  # refuses control characters in every text of the request (core.params)
    # Swagger UI from the site's own static files ("ninja" in INSTALLED_APPS); no online validator badge, since
    # nothing may reach outside the deployment.
    docs=Swagger(settings={"validatorUrl": None}),
)

# Where Ninja says a value came from; the name the caller sent follows it.
_SOURCES = ("query", "path", "header", "cookie", "form", "file", "body")
# pydantic's error type → (the code in `fields`, what the message says); any other type is its own code, and
# the message says the value is malformed.
_PROBLEMS = {
    "missing": ("required", _("缺少 %(field)s")),
    "string_too_long": ("too_long", _("%(field)s 过长")),
    "too_long": ("too_long", _("%(field)s 条目过多")),
    "literal_error": ("choice", _("%(field)s 不是可选的值")),
    "enum": ("choice", _("%(field)s 不是可选的值")),
    "control_character": ("control_character", _("%(field)s 含有控制字符（如 NUL）")),
    "less_than_equal": ("less_than_equal", _("%(field)s 超出允许的范围")),
    "greater_than_equal": ("greater_than_equal", _("%(field)s 超出允许的范围")),
}
MALFORMED = _("%(field)s 格式不正确")


def error_response(request: HttpRequest, status: int, code: ErrorCode, message: str, fields=None) -> HttpResponse:
    response = api.create_response(request, error_body(code, message, fields, status=status), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="onewindow"'
    return response


def _field_name(loc: list) -> str:
    """The name the caller sent: ["query", "start"] → start; ["body", "payload", "applicant", "name"] →
    applicant.name (the body's parameter is the whole body); ["body", "payload"] → payload (a missing part)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, str] = {}
    problems: list[str] = []
    for err in exc.errors:
        name = _field_name(list(err.get("loc", [])))
        if name not in fields:
            kind = str(err.get("type", "invalid"))
            fields[name], problem = _PROBLEMS.get(kind, (kind, MALFORMED))
            problems.append(str(problem) % {"field": name})
    return error_response(request, 422, ErrorCode.INVALID,
                          _("请求参数有误：%(problems)s") % {"problems": gettext("；").join(problems)}, fields)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(request, 401, ErrorCode.NOT_AUTHENTICATED, _("需要登录或有效的 API 令牌"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, ErrorCode.NOT_FOUND, str(exc) or _("未找到"))


def _malformed_body(request: HttpRequest, cause: ValueError) -> HttpResponse:
    """A body (JSON) or a multipart part (`payload`) that is not JSON: name it and where it breaks."""
    name, label = "body", gettext("请求正文")
    if request.content_type == "multipart/form-data" and isinstance(cause, json.JSONDecodeError):
        # Ninja parsed each JSON part alone; the one that failed is the part whose text the decoder was given.
        failed = [key for key, value in request.POST.items() if value == cause.doc]
        if failed:
            name = failed[0]
            label = gettext("请求的 %(part)s 部分") % {"part": name}
    where = gettext("（第 %(line)s 行第 %(column)s 列）") % {"line": cause.lineno, "column": cause.colno} \
        if isinstance(cause, json.JSONDecodeError) else ""
    return error_response(request, 400, ErrorCode.MALFORMED_JSON,
                          gettext("%(what)s不是有效的 JSON%(where)s") % {"what": label, "where": where},
                          {name: "malformed_json"})


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # Ninja raises HttpError for a body it cannot parse (400, from the parser's ValueError); any other is answered
    # by its status alone, as its English text is not the API's language.
    if isinstance(exc.__cause__, ControlCharacter):  # a JSON body or part with a control character in a text
        return _validation_error(request, ValidationError(exc.__cause__.as_validation_errors()))
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return _malformed_body(request, exc.__cause__)
    return error_response(request, exc.status_code, api_code(exc.status_code),
                          API_MESSAGES.get(exc.status_code, API_MESSAGES[400]))


def _register_routers() -> None:
    from onewindow.bundles.api import router as packages_router
    from onewindow.cases.api import router as cases_router
    from onewindow.cases.api import track_router
    from onewindow.catalog.api import router as catalog_router
    from onewindow.forms.api import router as forms_router
    from onewindow.hall.api import router as hall_router
    from onewindow.licences.api import router as licences_router
    from onewindow.supervision.api import previous_router as previous_supervision_router
    from onewindow.supervision.api import router as supervision_router
    from onewindow.workdays.api import router as calendar_router

    api.add_router("/calendar", calendar_router)
    api.add_router("", catalog_router)
    api.add_router("", forms_router)
    api.add_router("/cases", cases_router)
    api.add_router("/track", track_router)
    api.add_router("", hall_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/packages/supervision", previous_supervision_router)  # the previous release's paths
    api.add_router("/packages", packages_router)
    api.add_router("/licences", licences_router)


_register_routers()
