"""The page edge: every error a page can end in is answered here, styled, in the visitor's language.

The rule, the same in every app (a domain error's status is its meaning, never chosen per view):

- **302 to sign in** — a stranger on a page for signed-in people (`NotAuthenticated`, the `core.pages`
  decorators). They come back to the page after signing in.
- **403** — the person may not use the page or the act at all, whichever object it is about: the wrong kind of
  account or role (a citizen on the workbench, a window clerk on a supervision board, a clerk extending a time
  limit). The page says so and offers to sign in with another account. (`PermissionDenied`) A form posted
  from a stale or foreign page (CSRF) is 403 too, but its page says to go back, reload and post again.
- **404** — the page or a particular object does not exist *or* is outside the person's scope (another
  department's case, someone else's package): the two are indistinguishable, so a 404 never hints that the
  object exists. (`NotFound`)
- **405** — a method the address does not take (a GET on an action URL); the `Allow` header is kept. An unknown
  action is a 404 whatever the method (`core.pages.action_address`).
- **409 / 422** — a posted form that a service refused is re-rendered with the message by its view; only an
  error no view caught reaches this edge, and gets the styled page with its own status.
- **400 / 500** — an unreadable request; an error of the software (rendered without the database and
  without context processors, which may be what broke).

Each page says what to do next and links to it, its main button first: advice to go back is given only with a
link back (the page the visitor came from), else from the home page or, for a 405, the page holding the form.
The page keeps the header of its section (`<app>/base.html` of the address's app, the site's layout otherwise).

Under `/api/v1/` nothing here renders HTML: the same statuses are answered with the API's JSON error shape.
A domain error's message is shown translated when the message catalog has it; in English, a Chinese message
without a translation gives way to the status's own explanation.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

from onewindow.core.errors import DomainError, ErrorCode, NotAuthenticated

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
TEMPLATE = "core/error.html"
SITE_LAYOUT = "core/base.html"
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Cause:
    """What an error page says: what happened, and what to do next. `back_advice`, when given, is the advice
    once the page the visitor came from is known, and its link comes first; `advice` holds without it."""

    title: Promise
    explanation: Promise
    advice: Promise
    back_advice: Promise | None = None


CAUSES = {
    400: Cause(_("请求无法处理"), _("页面收到的请求不完整或格式有误，可能是链接被截断或表单已损坏。"),
               _("请从首页重新进入。"), _("请返回上一页重新操作，或从首页重新进入。")),
    403: Cause(_("无权使用此页面"), _("您当前的账号不能使用此页面。"),
               _("如果您有其他账号（例如工作人员账号），请用该账号登录；否则请返回首页。")),
    404: Cause(_("页面不存在"), _("您要找的页面或记录不存在，或不在您可以查看的范围内。"),
               _("请检查网址或编号是否正确，或从首页的事项清单重新查找。")),
    405: Cause(_("不能这样打开此地址"), _("此地址用于提交页面上的表单（例如办件上的操作），不能直接打开。"),
               _("请从首页进入相应的页面，使用页面上的按钮操作。"), _("请返回上一页，使用页面上的按钮操作。")),
    409: Cause(_("操作未完成"), _("数据已被他人更新，或当前状态不允许此操作。"),
               _("请从首页重新进入相应的页面，刷新后重试。"), _("请返回上一页，刷新后重试。")),
    422: Cause(_("填写的内容有误"), _("提交的内容未通过检查，没有保存任何数据。"),
               _("请从首页重新进入相应的页面，修改后重新提交。"), _("请返回上一页修改后重新提交。")),
    500: Cause(_("系统出错了"), _("服务器处理请求时出错，问题已记录。您刚才的操作可能没有完成。"),
               _("请稍后重试；如果问题持续，请联系中心工作人员。")),
}
# A form posted from a stale or foreign page (CSRF): nothing was done; the visitor's account is not the matter.
STALE_FORM = Cause(CAUSES[403].title, _("页面已过期或来自其他网站，表单没有提交。"),
                   _("请从首页重新进入填写表单的页面，刷新后重新提交。"), _("请返回上一页，刷新后重新提交。"))
# A method the address does not take, when the page holding its form is known (the address itself, or the page
# one level up) but not the page the visitor came from.
# A page's keyset paging link (core.paging) that is not one of this list's: the way on is the list's first page.
BAD_CURSOR = Cause(_("翻页链接已失效"), _("翻页链接无效，或属于另一个列表、另一组筛选条件；没有读取任何数据。"),
                   _("请从此列表的第一页重新翻页。"))
FORM_PAGE_ADVICE = _("请打开表单所在的页面，使用页面上的按钮操作。")

API_CODES = {
    400: ErrorCode.BAD_REQUEST, 401: ErrorCode.NOT_AUTHENTICATED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED, 409: ErrorCode.CONFLICT, 422: ErrorCode.INVALID, 500: ErrorCode.SERVER_ERROR,
}
API_MESSAGES = {400: _("请求无法处理"), 401: _("需要登录或有效的 API 令牌"), 403: _("无权访问"), 404: _("未找到"),
                405: _("不支持此请求方法"), 409: _("请求与当前状态冲突"), 422: _("请求参数有误"), 500: _("服务器内部错误")}


def api_code(status: int) -> ErrorCode:
    """The error code of an HTTP status that no domain error named (a bad request, an unknown method, a fault)."""
    return API_CODES.get(status) or (ErrorCode.SERVER_ERROR if status >= 500 else ErrorCode.BAD_REQUEST)


def error_body(code: ErrorCode, message: str | Promise, fields: dict | None = None, *, status: int = 400) -> dict:
    """The API's one error shape: {"error": {code, message, fields}}, the message in the request's language
    (`core.language`): translated when the catalog has it, else, in English, the status's own explanation."""
    shown = _shown(message) or str(API_MESSAGES.get(status, API_MESSAGES[400]))
    return {"error": {"code": ErrorCode(code).value, "message": shown, "fields": fields or {}}}


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_answer(status: int, code: ErrorCode | None = None, message: str | Promise | None = None,
                fields=None) -> JsonResponse:
    return JsonResponse(error_body(code or api_code(status), message or API_MESSAGES.get(status, API_MESSAGES[400]),
                                   fields, status=status), status=status, json_dumps_params={"ensure_ascii": False})


def _shown(message: str | Promise) -> str:
    """The message in the visitor's language, or "" when it has no translation there."""
    text = gettext(str(message)) if message else ""
    if HAN.search(text) and not (get_language() or "").startswith("zh"):
        return ""
    return text


def _previous_page(request: HttpRequest) -> str:
    """The page of ours the visitor came from; a page that posted to itself counts (its form is there), a page
    that merely failed to open does not."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the 400 page itself must still render.
        return ""
    itself = referer == request.build_absolute_uri() and request.method in ("GET", "HEAD")
    if referer and not itself and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return ""


def _is_page(path_info: str) -> bool:
    try:
        resolve(path_info)
    except Resolver404:
        return False
    return True


def _form_page(request: HttpRequest, allow: str) -> str:
    """The page whose form posts to this address: the address itself when it takes GET, else the page one level
    up (an action `…/2025-000001/approve/` belongs to the case page `…/2025-000001/`); "" when neither is one."""
    if "GET" in {method.strip() for method in allow.split(",")}:
        return request.path
    parent = request.path_info.rstrip("/").rpartition("/")[0] + "/"
    if parent == "/" or not _is_page(parent):
        return ""
    return request.path[: len(request.path) - len(request.path_info)] + parent


def _section_layout(request: HttpRequest) -> str:
    """The layout of the section the address belongs to (`<app>/base.html`), so that an error on the workbench
    keeps the workbench's header (窗口收件, 办件查询); the site's layout elsewhere."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return SITE_LAYOUT
    app = match.app_name
    if not app or not apps.is_installed(f"onewindow.{app}"):
        return SITE_LAYOUT
    layout = f"{app}/base.html"
    try:
        loader.get_template(layout)
    except TemplateDoesNotExist:
        return SITE_LAYOUT
    return layout


def _next_steps(request: HttpRequest, status: int, cause: Cause, allow: str) -> tuple[Promise, list[dict]]:
    """What to do next and the links that do it: the advice never promises a page it does not link to."""
    home = {"url": "/", "label": _("返回首页")}
    previous = _previous_page(request)
    if previous and cause.back_advice:
        return cause.back_advice, [{"url": previous, "label": _("返回上一页")}, home]
    if status == 405 and not previous and (form_page := _form_page(request, allow)):
        return FORM_PAGE_ADVICE, [{"url": form_page, "label": _("打开表单所在的页面")}, home]
    return cause.advice, [home, *([{"url": previous, "label": _("返回上一页")}] if previous else [])]


def _context(request: HttpRequest, status: int, message: str | Promise = "", *, cause: Cause | None = None,
             allow: str = "", with_user: bool = True) -> dict:
    # Statuses without their own text (a stray 409-like domain error) read as "not done".
    cause = cause or CAUSES.get(status) or CAUSES[409]
    advice, links = _next_steps(request, status, cause, allow)
    if status == 403 and cause is CAUSES[403] and with_user:
        user = getattr(request, "user", None)  # absent when a middleware before authentication refused
        signed_in = user is not None and user.is_authenticated
        links.insert(0, {"url": f"{reverse('core:login')}?{urlencode({'next': request.get_full_path()})}",
                         "label": _("换一个账号登录") if signed_in else _("登录")})
        if not signed_in:
            advice = _("请先登录；登录后将回到此页面。")
    return {"status": status, "title": cause.title, "message": _shown(message) or cause.explanation,
            "advice": advice, "links": links, "center_name": settings.CENTER_NAME,
            "layout": _section_layout(request) if with_user else SITE_LAYOUT}


def error_page(request: HttpRequest, status: int, message: str | Promise = "", *, cause: Cause | None = None,
               allow: str = "") -> HttpResponse:
    """The styled error page (or the API's JSON error) with `status`, saying `message` if it has one."""
    if is_api(request):
        return _api_answer(status, message=str(message) if message else None)
    return render(request, TEMPLATE, _context(request, status, message, cause=cause, allow=allow), status=status)


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A domain error no view caught, answered by the rule above."""
    if is_api(request):
        return _api_answer(error.status, error.code, str(error.message), error.fields)
    if isinstance(error, NotAuthenticated):
        return redirect_to_login(request.get_full_path())
    if request.method == "GET" and "cursor" in (error.fields or {}) and "cursor" in request.GET:
        return _bad_cursor_page(request, error)
    return error_page(request, error.status, error.message)


def _bad_cursor_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A list page opened with a cursor it refused: the page links to the same list without the cursor (its first
    page, the other parameters kept) and says so."""
    kept = [(k, v) for k, v in request.GET.items() if k not in ("cursor", "page")]
    first = request.path + ("?" + urlencode(kept) if kept else "")
    context = _context(request, error.status, cause=BAD_CURSOR)
    context["links"] = [{"url": first, "label": _("回到此列表的第一页")}, *context["links"]]
    return render(request, TEMPLATE, context, status=error.status)


class ErrorPageMiddleware:
    """Domain errors raised by a view and empty 405 answers become the styled page (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            allow = response["Allow"]
            if is_api(request):
                response = _api_answer(405, message=gettext("此地址不接受 %(method)s 请求，可用的方法：%(allow)s")
                                       % {"method": request.method, "allow": allow})
            else:
                response = error_page(request, 405, allow=allow)
            response["Allow"] = allow
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None


# -- the handlers named in onewindow/urls.py (Django's own 400/403/404/500 and CSRF failures) -------------------
@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Django's own 404 messages (the URL resolver's, get_object_or_404's) are for developers: not shown.
    return error_page(request, 404)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted from a stale or foreign page: nothing was done; reload and post again."""
    if is_api(request):
        return _api_answer(403, ErrorCode.CSRF_FAILED, _("请求缺少有效的 CSRF 令牌，没有执行"))
    return error_page(request, 403, cause=STALE_FORM)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page as a plain template render: no database, no context processors."""
    if is_api(request):
        return _api_answer(500)
    try:
        context = {**_context(request, 500, with_user=False), "plain": True}
        return HttpResponseServerError(loader.get_template(TEMPLATE).render(context))
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(f"<!doctype html><title>500</title><h1>{CAUSES[500].title}</h1>",
                                       content_type="text/html; charset=utf-8")
