"""自助申报 at the kiosk (自助终端): a citizen applies for an item themselves in the kiosk's full-screen layout —
the same application page as online (`cases.views.citizen.application_page`: the item's form, its check, a draft,
the uploads), filed on the channel `kiosk`. The applicant signs in first (实名登录); once the application is filed
they are signed out, so the next person at the kiosk starts from its start screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow.cases.models import Case, Channel
from onewindow.cases.views.citizen import application_page
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import get_published_item
from onewindow.core.errors import NotFound
from onewindow.core.pages import citizen_required
from onewindow.hall import selectors


@require_GET
def kiosk_apply_items(request: HttpRequest, hall: str) -> HttpResponse:
    """The items a citizen can apply for at the kiosk: those offered online."""
    hall_obj = selectors.get_hall(hall)
    items = (ServiceItem.objects.filter(published_version__isnull=False, published_version__mode_online=True)
             .select_related("department", "published_version")
             .order_by("department__sort_order", "department__code", "implementation_code")[:200])
    return render(request, "hall/kiosk_apply_items.html", {"hall": hall_obj, "items": items,
                                                           "idle_seconds": settings.HALL_KIOSK_IDLE_SECONDS})


@citizen_required
def kiosk_apply(request: HttpRequest, hall: str, code: str) -> HttpResponse:
    """One item's self-service application at the kiosk, filed on the channel `kiosk`; the applicant is signed
    out once it is filed and the kiosk shows the case's number on its start screen."""
    hall_obj = selectors.get_hall(hall)
    item = get_published_item(code)
    if not item.published_version.mode_online:
        raise NotFound(_("该事项暂不支持自助申报"))

    def filed(case: Case) -> HttpResponse:
        logout(request)
        messages.success(request, _("申请已提交，办件编号 %(number)s，查询码 %(code)s。请凭查询码查询办理进度。") % {
            "number": case.number, "code": case.query_code})
        return redirect("hall:kiosk", hall=hall_obj.code)

    here = reverse("hall:kiosk_apply", kwargs={"hall": hall_obj.code, "code": item.implementation_code})
    return application_page(request, item, channel=Channel.KIOSK, template="hall/kiosk_apply.html", here=here,
                            context={"hall": hall_obj}, on_filed=filed)
