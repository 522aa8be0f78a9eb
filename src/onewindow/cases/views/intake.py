"""收件 at the window: choose the item, then one form — applicant, checklist, decision — posted to one service."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.cases import services
from onewindow.cases.documents import NoticeKind
from onewindow.cases.forms.intake import IntakeForm
from onewindow.cases.views.base import form_and_materials, paginate, post
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.search import keyword_filter
from onewindow.catalog.selectors import department_id_of, get_published_item
from onewindow.core.errors import NotFound
from onewindow.core.models import Role
from onewindow.core.pages import role_required

clerk_required = role_required({Role.CLERK}, message=gettext_lazy("只有窗口人员可以收件"), superuser=False)
DONE = {NoticeKind.ACCEPTANCE: gettext_lazy("受理"), NoticeKind.CORRECTION: gettext_lazy("一次性告知补正"),
        NoticeKind.REFUSAL: gettext_lazy("决定不予受理")}


def _intake_items(user):
    items = ServiceItem.objects.filter(published_version__isnull=False).select_related(
        "department", "published_version"
    )
    if department_id_of(user) is not None:
        return items.filter(published_version__department_id=department_id_of(user))
    return items.filter(published_version__central_acceptance=True)


@clerk_required
@require_GET
def intake_items(request):
    """收件第一步：选择事项 (this clerk's department, or every centrally accepted item for a 综合窗口)."""
    q = (request.GET.get("q") or "").strip()
    items = _intake_items(request.user)
    if q:
        items = items.filter(keyword_filter(q, code_contains=True))
    items = items.order_by("department__sort_order", "department__code", "implementation_code")
    return render(request, "cases/intake_items.html", {"page": paginate(request, items), "q": q})


@clerk_required
def intake(request, code: str):
    """收件：申请人、材料核对、受理 / 一次性告知补正 / 不予受理 in one service call, then the notice to print."""
    item = get_published_item(code)
    if not _intake_items(request.user).filter(pk=item.pk).exists():
        raise NotFound(_("该事项不由本窗口受理"))
    version = item.published_version
    spec, materials, replaced = form_and_materials(version)
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, materials=materials, version=version)
        form.setup_answers(spec)
        if request.POST.get("intent") == "check":
            form.attach_kept_files(by=request.user)
            form.keep_chosen_files(by=request.user)
            status = 422 if form.errors or form.check_answers() else 200
            if status == 200:
                messages.success(request, _("检查通过，可以提交"))
        else:
            done, intake, status = post(form, lambda: services.take_in_at_window(by=request.user, item=item,
                                                                                **form.intake()),
                                        keep_files_for=request.user)
            if done:
                messages.success(request, _("办件 %(number)s 已%(what)s，请打印%(notice)s交申请人。") % {
                    "number": intake.case.number, "what": DONE[intake.notice], "notice": intake.notice.title,
                })
                return redirect(reverse("cases:case", args=[intake.case.number]) + f"?issued={intake.notice}")
    else:
        form = IntakeForm(materials=materials, version=version,
                          initial={"idempotency_key": uuid.uuid4().hex})
        form.setup_answers(spec)
    return render(request, "cases/intake.html", {"item": item, "version": version, "form": form,
                                                 "answers_view": form.answers_view(), "replaced": replaced},
                  status=status)
