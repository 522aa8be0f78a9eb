"""自助申报 at the kiosk (自助终端): a citizen applies for an item themselves in the kiosk's full-screen layout —
the same application page as online (`cases.views.citizen.application_page`: the item's form, its check, a draft,
the uploads), filed on the channel `kiosk`. The applicant signs in first (实名登录) on the kiosk's own sign-in screen
— the site's login page would lead out of kiosk mode; once the application is filed they are signed out, so the
next person at the kiosk starts from its start screen; an applicant who walks away is signed out too, when the
kiosk returns to its start screen untouched (`hall.views.kiosk`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from onewindow.cases.models import Case, Channel
from onewindow.cases.views.citizen import application_page
from onewindow.catalog.models import Hall, ServiceItem
from onewindow.catalog.selectors import get_published_item
from onewindow.core.errors import NotFound
from onewindow.core.models import Role
from onewindow.core.pages import has_role
from onewindow.hall import selectors


def _form_idle_seconds() -> int:
    """A form takes reading: the kiosk returns to its start (which signs a citizen out) after five times its idle
    time untouched — typing, choosing or touching starts it again."""
    return settings.HALL_KIOSK_IDLE_SECONDS * 5


@require_GET
def kiosk_apply_items(request: HttpRequest, hall: str) -> HttpResponse:
    """The items a citizen can apply for at the kiosk: those offered online."""
    hall_obj = selectors.get_hall(hall)
    items = (ServiceItem.objects.filter(published_version__isnull=False, published_version__mode_online=True)
             .select_related("department", "published_version")
             .order_by("department__sort_order", "department__code", "implementation_code")[:200])
    return render(request, "hall/kiosk_apply_items.html", {"hall": hall_obj, "items": items,
                                                           "idle_seconds": settings.HALL_KIOSK_IDLE_SECONDS})


@require_http_methods(["GET", "POST"])
def kiosk_apply(request: HttpRequest, hall: str, code: str) -> HttpResponse:
    """One item's self-service application at the kiosk, filed on the channel `kiosk`; the applicant is signed
    out once it is filed and the kiosk shows the case's number on its start screen. Anyone not signed in with a
    citizen's account gets the kiosk's sign-in screen (attempts per client address limited by
    `HALL_KIOSK_EXIT_RATE`, 429; a wrong password or a staff account 403)."""
    hall_obj = selectors.get_hall(hall)
    item = get_published_item(code)
    if not item.published_version.mode_online:
        raise NotFound(_("该事项暂不支持自助申报"))
    if not has_role(request.user, {Role.CITIZEN}, superuser=False):
        return _sign_in(request, hall_obj, item)

    def filed(case: Case) -> HttpResponse:
        logout(request)
        messages.success(request, _("申请已提交，办件编号 %(number)s，查询码 %(code)s。请凭查询码查询办理进度。") % {
            "number": case.number, "code": case.query_code})
        return redirect("hall:kiosk", hall=hall_obj.code)

    here = _here(hall_obj, item)
    return application_page(request, item, channel=Channel.KIOSK, template="hall/kiosk_apply.html", here=here,
                            context={"hall": hall_obj, "idle_seconds": _form_idle_seconds()}, on_filed=filed)


def _here(hall: Hall, item: ServiceItem) -> str:
    return reverse("hall:kiosk_apply", kwargs={"hall": hall.code, "code": item.implementation_code})


def _sign_in(request: HttpRequest, hall: Hall, item: ServiceItem) -> HttpResponse:
    """实名登录 at the kiosk, in its layout: a citizen's account only; then back to the application."""
    status = 200
    if request.method == "POST" and request.POST.get("intent") == "sign_in":
        if is_ratelimited(request, group="hall.kiosk_sign_in", key="ip", rate=settings.HALL_KIOSK_EXIT_RATE,
                          increment=True):
            messages.error(request, _("尝试次数过多，请稍后再试"))
            status = 429
        else:
            user = authenticate(request, username=request.POST.get("username", "")[:150],
                                password=request.POST.get("password", "")[:128])
            if user is not None and has_role(user, {Role.CITIZEN}, superuser=False):
                login(request, user)
                return redirect(_here(hall, item))
            messages.error(request, _("账号或密码不正确，或不是群众账号"))
            status = 403
    return render(request, "hall/kiosk_sign_in.html", {"hall": hall, "item": item, "version": item.published_version,
                                                       "idle_seconds": settings.HALL_KIOSK_IDLE_SECONDS},
                  status=status)
