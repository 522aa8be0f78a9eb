"""The HTTP API under /api/v1/: one NinjaAPI, each app adds its router; errors have one JSON shape."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from onewindow.core.error_pages import error_body
from onewindow.core.errors import DomainError

api = NinjaAPI(
    title="onewindow 一窗通办 API",
    version="1",
    description="行政服务中心：事项清单、办件、一件事、排队叫号。Errors: {\"error\": {code, message, fields}}.",
    urls_namespace="api",
)


def error_response(request: HttpRequest, status: int, code: str, message: str, fields=None) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def _field_name(loc: list) -> str:
    # Ninja locations look like ["query", "start"] or ["body", "payload", "name"].
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "payload", "form", "file", "header")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        fields.setdefault(_field_name(list(err.get("loc", []))), err.get("msg", "invalid"))
    names = "、".join(fields)
    return error_response(request, 422, "invalid", f"请求参数有误：{names}", fields)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(request, 401, "not_authenticated", "需要登录或有效的 API 令牌")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", str(exc) or "未找到")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


def _register_routers() -> None:
    from onewindow.bundles.api import router as packages_router
    from onewindow.cases.api import router as cases_router
    from onewindow.cases.api import track_router
    from onewindow.catalog.api import router as catalog_router
    from onewindow.hall.api import router as hall_router
    from onewindow.supervision.api import previous_router as previous_supervision_router
    from onewindow.supervision.api import router as supervision_router
    from onewindow.workdays.api import router as calendar_router

    api.add_router("/calendar", calendar_router)
    api.add_router("", catalog_router)
    api.add_router("/cases", cases_router)
    api.add_router("/track", track_router)
    api.add_router("", hall_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/packages/supervision", previous_supervision_router)  # the previous release's paths
    api.add_router("/packages", packages_router)


_register_routers()
