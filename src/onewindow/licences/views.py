"""证照 pages: the holder's "我的证照" with each licence's history and its renewal (延续); the issuing department's
register with 撤销 and 注销 (and, at the window, a renewal taken in for the holder). Each write is one service call;
a refusal is shown on the page with its status."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from onewindow.core.errors import DomainError, ErrorCode, NotFound, PermissionDenied
from onewindow.core.models import Role
from onewindow.core.pages import citizen_required, staff_required
from onewindow.licences import acts, selectors, services
from onewindow.licences.forms import DecisionForm, RenewalForm
from onewindow.licences.lifecycle import TRANSITIONS
from onewindow.licences.models import Licence, LicenceState

DECISIONS = ("revoke", "cancel")
# The labels of the register's states and renewal outcomes (models), which the templates translate.
LABELS = (gettext_noop("有效"), gettext_noop("已过期"), gettext_noop("已延续"), gettext_noop("已撤销"),
          gettext_noop("已注销"), gettext_noop("办理中"), gettext_noop("准予延续"), gettext_noop("不予延续"),
          gettext_noop("未予办理（不予受理、撤回或终止）"), gettext_noop("到期失效"), gettext_noop("延续"))
# The history's acts (audit actions of a licence) as the pages name them.
HISTORY_LABELS = {
    "licence.register": gettext_lazy("登记"), "licence.remind": gettext_lazy("到期提醒"),
    "licence.apply_renewal": gettext_lazy("开立延续办件"), "licence.renewal_submitted": gettext_lazy("提交延续申请"),
    "licence.renewal_settled": gettext_lazy("延续申请办结"), "licence.renew": gettext_lazy("延续"),
    "licence.expire": gettext_lazy("到期失效"), "licence.revoke": gettext_lazy("撤销"),
    "licence.cancel": gettext_lazy("注销"),
}


def refusal_text(error: DomainError | None) -> str:
    """A refusal as the page says it, in the reader's language where the error is one of the register's own."""
    if error is None:
        return ""
    if error.code == ErrorCode.RENEWAL_TOO_LATE:
        return _("最迟申请日为 %(day)s（有效期届满30日前，《行政许可法》第五十条），已不能申请延续，请依法重新申请许可") % {
            "day": error.fields.get("latest_on", "")}
    if error.code == ErrorCode.RENEWAL_PENDING:
        return _("本证照的延续申请正在办理中")
    if error.code == ErrorCode.NOT_RENEWABLE:
        return _("本证照长期有效，无需延续")
    return _(error.message)


def _context(request: HttpRequest, licence: Licence) -> dict:
    return {
        "licence": licence,
        "holder_id": selectors.holder_identity_for(licence, request.user),
        "history": [(event, HISTORY_LABELS.get(event.action, event.action))
                    for event in selectors.licence_history(licence)],
        "renewals": selectors.renewals_of(licence),
        "deadline": selectors.renewal_deadline(licence),
        "successors": licence.successors.all(),
    }


def _renewal_form(request: HttpRequest, licence: Licence, data=None) -> RenewalForm | None:
    """The renewal form when the user may apply for it now (else None)."""
    if acts.renewal_refusal(licence, request.user) is not None:
        return None
    return RenewalForm(data, items=selectors.renewal_items(licence), initial={"item": str(licence.item_id)})


def _renew(request: HttpRequest, licence: Licence, form: RenewalForm) -> tuple[HttpResponse | None, int]:
    """Apply for the renewal; the redirect to the new case's page, or (None, status) when refused."""
    if not form.is_valid():
        return None, 422
    try:
        renewal = services.apply_for_renewal(licence, by=request.user, item=form.items[form.cleaned_data["item"]])
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, _("延续申请未提交：%(reason)s") % {"reason": refusal_text(error)})
        return None, error.status
    messages.success(request, _("已开立延续办件 %(number)s：请补齐材料后提交（最迟 %(day)s 提交）")
                     % {"number": renewal.case.number, "day": renewal.latest_on})
    target = "cases:my_case" if request.user.role == Role.CITIZEN else "cases:case"
    return redirect(target, number=renewal.case.number), 200


@citizen_required
def my_licences(request: HttpRequest) -> HttpResponse:
    """我的证照: the holder's licences with their validity and state."""
    state = request.GET.get("state") or None
    if state not in (None, *LicenceState.values):
        state = None
    licences = selectors.list_licences(request.user, state=state)[:500]
    return render(request, "licences/my_licences.html",
                  {"licences": licences, "state": state, "states": LicenceState.choices})


@citizen_required
def my_licence(request: HttpRequest, licence_id: int) -> HttpResponse:
    """One of my licences: its validity, history and renewals; apply for its renewal (延续)."""
    licence = selectors.get_licence_for(request.user, licence_id)
    status = 200
    form = _renewal_form(request, licence)
    if request.method == "POST":
        if form is None:
            refused = acts.renewal_refusal(licence, request.user)
            messages.error(request, _("延续申请未提交：%(reason)s") % {"reason": refusal_text(refused)})
            status = refused.status if refused else 409
        else:
            form = _renewal_form(request, licence, request.POST)
            assert form is not None
            done, status = _renew(request, licence, form)
            if done is not None:
                return done
    return render(request, "licences/my_licence.html", {**_context(request, licence), "form": form}, status=status)


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """证照管理: the licences the user's department issued (every department's for supervisors and admins)."""
    state = request.GET.get("state") or None
    if state not in (None, *LicenceState.values):
        state = None
    number = (request.GET.get("number") or "").strip()[:64] or None
    licences = selectors.list_licences(request.user, state=state, number=number)[:500]
    return render(request, "licences/register.html",
                  {"licences": licences, "state": state, "number": number or "", "states": LicenceState.choices})


def _decision_forms(request: HttpRequest, licence: Licence, data=None) -> dict[str, DecisionForm]:
    return {action: DecisionForm(data, prefix=action, initial={"expected_version": licence.version})
            for action in DECISIONS if acts.decision_refusal(licence, request.user, action) is None}


@staff_required
def licence_page(request: HttpRequest, licence_id: int) -> HttpResponse:
    """One licence of the register: history, renewals; 撤销 and 注销 for the department's reviewers and leaders,
    a renewal taken in at the department's window."""
    licence = selectors.get_licence_for(request.user, licence_id)
    forms = _decision_forms(request, licence)
    renewal_form = _renewal_form(request, licence)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "renew" and renewal_form is not None:
            renewal_form = _renewal_form(request, licence, request.POST)
            assert renewal_form is not None
            done, status = _renew(request, licence, renewal_form)
            if done is not None:
                return done
        elif action in forms:
            form = forms[action] = DecisionForm(request.POST, prefix=action)
            status = _decide(request, licence, action, form)
            if status == 200:
                return redirect("licences:licence", licence_id=licence.pk)
        elif action in DECISIONS or action == "renew":
            refused = (acts.renewal_refusal(licence, request.user) if action == "renew"
                       else acts.decision_refusal(licence, request.user, action))
            if isinstance(refused, PermissionDenied):
                raise refused
            messages.error(request, _("操作未完成：%(reason)s") % {"reason": refusal_text(refused)})
            status = refused.status if refused else 409
        else:
            raise NotFound(_("没有这个操作"))
    return render(request, "licences/licence.html",
                  {**_context(request, licence), "forms": forms, "renewal_form": renewal_form,
                   "labels": {a: TRANSITIONS[a].label for a in DECISIONS}}, status=status)


def _decide(request: HttpRequest, licence: Licence, action: str, form: DecisionForm) -> int:
    if not form.is_valid():
        return 422
    service = services.revoke_licence if action == "revoke" else services.cancel_licence
    try:
        service(licence, by=request.user, reason=form.cleaned_data["reason"],
                legal_basis=form.cleaned_data["legal_basis"], expected_version=form.cleaned_data["expected_version"])
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        form.add_error(None, _(error.message))
        return error.status
    messages.success(request, _("证照已%(label)s") % {"label": _(TRANSITIONS[action].label)})
    return 200
