"""The citizen's pages: the items to apply for online, the online application (网上申报), my cases, and one of
my cases with its corrections to supply (补正后重新提交) or the application to withdraw — each one service call."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow.cases import documents, holders, selectors, services
from onewindow.cases.actions import ACTIONS, provide_material
from onewindow.cases.clock import LIGHT_LABELS
from onewindow.cases.forms.actions import RequestHearingForm, WaiveHearingForm, WithdrawForm
from onewindow.cases.forms.base import applicant_initial
from onewindow.cases.forms.citizen import MyMaterialForm, OnlineApplicationForm, ResubmitForm
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, Channel
from onewindow.cases.notice_pdf import notice_response
from onewindow.cases.views.base import (
    cases_page,
    errors_of,
    form_and_materials,
    paginate,
    post,
    refusal_of_the_moment,
)
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.search import keyword_filter
from onewindow.catalog.selectors import get_published_item
from onewindow.core.errors import NotFound
from onewindow.core.pages import citizen_required
from onewindow.forms import services as form_services
from onewindow.forms.prefill import prefill
from onewindow.forms.selectors import draft_form_changed, draft_of

# The applicant's acts on their case page — what the action registry allows an applicant (`submit`, `withdraw`,
# `add_material`): the form and the service of each; submitting also sends the uploads it asks for.
MY_ACTIONS = {
    "submit": (ResubmitForm, services.resubmit_with_corrections),
    "withdraw": (WithdrawForm, services.withdraw_case),
    "add_material": (MyMaterialForm, provide_material),
    "request_hearing": (RequestHearingForm, services.request_hearing),
    "waive_hearing": (WaiveHearingForm, services.waive_hearing),
}


def _done(action: str, first_submission: bool, result) -> str:
    """What the applicant's page says when `action` is done."""
    if action == "submit":
        return _("申请已提交，等待窗口受理") if first_submission else _("补正材料已提交，等待窗口受理")
    if action == "withdraw":
        return _("申请已撤回")
    return ACTIONS[action].done(result)


@require_GET
def apply_items(request):
    """网上办: the items that can be applied for online."""
    q = (request.GET.get("q") or "").strip()
    items = ServiceItem.objects.filter(published_version__isnull=False, published_version__mode_online=True) \
        .select_related("department", "published_version")
    if q:
        items = items.filter(keyword_filter(q))
    items = items.order_by("department__sort_order", "department__code", "implementation_code")
    return render(request, "cases/apply_items.html", {"page": paginate(request, items), "q": q})


@citizen_required
def apply(request, code: str):
    """网上申报: the applicant, the application form, the uploads, submit, in one service call; government-issued
    materials are fetched by data sharing."""
    item = get_published_item(code)
    if not item.published_version.mode_online:
        raise NotFound(_("该事项暂不支持网上申报"))
    return application_page(request, item, channel=Channel.ONLINE, template="cases/apply.html",
                            here=reverse("cases:apply", args=[item.implementation_code]))


def application_page(request, item, *, channel: str, template: str, here: str, context: dict | None = None,
                     on_filed: Callable[[Case], HttpResponse] | None = None):
    """A citizen's own application for `item` on `channel` (online, or the kiosk's self-service): the applicant, the
    item's application form — prefilled with what the center holds, resumed from a draft — and the uploads.
    The buttons: submit (`services.apply_online`, one call; a refusal keeps everything typed and names each
    field), 检查填写 (the same check, writing nothing), 暂存 (the answers kept as a draft; files are not) and
    discarding the draft. A successful submit discards the draft and answers `on_filed(case)` (by default: a message
    with the case's number and query code, and the applicant's case page)."""
    version = item.published_version
    user = request.user
    spec, materials, replaced = form_and_materials(version)
    draft = draft_of(user, item=item) if spec is not None else None
    status = 200
    intent = request.POST.get("intent", "submit") if request.method == "POST" else ""
    if intent == "discard_draft":
        form_services.discard_form_draft(by=user, item=item)
        messages.success(request, _("已放弃暂存的内容"))
        return redirect(here)
    if request.method == "POST":
        form = OnlineApplicationForm(request.POST, request.FILES, materials=materials, version=version)
        form.setup_answers(spec, prefilled=prefill(spec, user) if spec else None)
        if intent == "save_draft" and spec is not None:
            form_services.save_draft(by=user, item=item, answers=form.posted_answers(), form_version=spec.version)
            messages.success(request, _("申请表已暂存；上传的材料文件不随草稿保存"))
            return redirect(here)
        if intent == "check":
            form.attach_kept_files(by=user)
            form.keep_chosen_files(by=user)
            status = 422 if form.errors or form.check_answers() else 200
            if status == 200:
                messages.success(request, _("检查通过：申请表和申请人信息填写完整，可以提交"))
        else:
            done, applied, status = post(form, lambda: services.apply_online(by=user, item=item, channel=channel,
                                                                             **form.application()),
                                         keep_files_for=user)
            if done:
                case, _created = applied
                if draft is not None:
                    form_services.discard_form_draft(by=user, item=item)
                if on_filed is not None:
                    return on_filed(case)
                messages.success(request, _("申请已提交，办件编号 %(number)s，查询码 %(code)s。") % {
                    "number": case.number, "code": case.query_code})
                return redirect("cases:my_case", number=case.number)
    else:
        form = OnlineApplicationForm(materials=materials, version=version, initial={
            "idempotency_key": uuid.uuid4().hex, **applicant_initial(user)})
        form.setup_answers(spec, prefilled=prefill(spec, user) if spec else None,
                           start=draft.answers if draft else None)
    return render(request, template, {
        "item": item, "version": version, "form": form, "answers_view": form.answers_view(), "replaced": replaced,
        "draft": draft if spec is not None else None, "resumed": draft is not None and request.method != "POST",
        "draft_form_changed": spec is not None and draft_form_changed(draft, spec),
        **(context or {}),
    }, status=status)


@citizen_required
@require_GET
def my_cases(request):
    """我的办件: my 一件事 applications, each one entry linking to its page, then my other cases — my own name
    shown to me in full, another applicant's (I applied for them) masked."""
    user = request.user
    page = cases_page(request, holders.without_held(selectors.list_cases(user)), selectors.NEWEST_FIRST)
    for case in page.object_list:
        case.applicant_shown = selectors.applicant_name_for(case, user)
    return render(request, "cases/my_cases.html", {"page": page, "applications": holders.entries_for(user)})


@citizen_required
def my_case(request, number: str):
    """One of my cases: progress, what is still owed (with the 容缺 due date), my notices; submit (or resubmit with
    the corrections), supply a material, or withdraw — exactly the actions the registry allows me now."""
    user = request.user
    case = selectors.get_case_for(user, number)
    held_by = holders.entry_of(case)
    acts = {name: entry for name, entry in MY_ACTIONS.items() if not (held_by and name in holders.HELD_ACTIONS)}
    bound = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in acts:
            raise NotFound(_("没有这个操作"))
        entry = ACTIONS[action]
        refused = refusal_of_the_moment(entry, case, user)
        if refused is not None:
            messages.error(request, _("“%(label)s”未完成：%(reason)s") % {"label": entry.label,
                                                                        "reason": _(refused.message)})
            status = refused.status
        else:
            form_class, service = acts[action]
            first_submission = case.state == State.DRAFT
            form = form_class(request.POST, request.FILES, case=case, user=user, auto_id=entry.auto_id)
            outcome = post(form, lambda: service(case, by=user, expected_version=form.cleaned_data["expected_version"],
                                                  **form.arguments()), keep_files_for=user)
            if outcome.done:
                messages.success(request, _done(action, first_submission, outcome.result))
                return redirect("cases:my_case", number=case.number)
            status = outcome.status
            case.refresh_from_db()
            if entry.allows(case, user):
                bound[action] = form
            else:
                messages.error(request, _("“%(label)s”未完成：%(reason)s") % {"label": entry.label,
                                                                            "reason": errors_of(form)})
    forms = {name: bound.get(name) or (form_class(case=case, user=user, auto_id=ACTIONS[name].auto_id)
                                       if name in acts and ACTIONS[name].allows(case, user) else None)
             for name, (form_class, _service) in MY_ACTIONS.items()}
    light = selectors.light_of(case)
    return render(request, "cases/my_case.html", {
        "case": case,
        "held_by": held_by,
        "identity": selectors.identity_for(case, user),
        "deemed": selectors.is_deemed_accepted(case),
        "light": light.value if light else "",
        "light_label": _(LIGHT_LABELS[light]) if light else "",
        "corrections": case.corrections.order_by("id"),
        "materials": case.materials.order_by("id"),
        "owed": selectors.owed_materials(case),
        "notices": [(k.value, _(k.title)) for k in documents.available_notices(case)],
        "first_submission": case.state == State.DRAFT,
        "submit_form": forms["submit"],
        "submit_answers": forms["submit"].answers_view() if forms["submit"] is not None else None,
        "withdraw_form": forms["withdraw"],
        "material_form": forms["add_material"],
        "hearing_forms": [(name, ACTIONS[name].label, forms[name]) for name in ("request_hearing", "waive_hearing")
                          if forms[name] is not None],
        "hearings": case.hearings.order_by("id"),
    }, status=status)


@citizen_required
@require_GET
def my_notice_pdf(request, number: str, kind: str):
    """The applicant's own copy of a notice."""
    return notice_response(selectors.get_case_for(request.user, number), kind, by=request.user)
