"""Case pages: the staff workbench (intake, my tasks, case page, supervision board), the citizen's pages
(apply online, my cases) and public tracking. Reads go through `cases.selectors`, every change through
`cases.services`; a domain error becomes a message on the page, never a 500.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases import acts, documents, forms, selectors, services
from onewindow.cases.clock import LIGHT_LABELS, Light
from onewindow.cases.lifecycle import ALLOWED_TRANSITIONS, CLOSED_STATES, DECIDED_STATES, STATE_LABELS, State
from onewindow.cases.models import Case, Channel, DeliveryMethod, SuspensionKind
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import department_id_of, get_published_item
from onewindow.core import kit
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.identity import mask_identity, mask_mobile
from onewindow.core.models import Role, User
from onewindow.core.pages import (
    SUPERVISION_ROLES,
    citizen_required,
    has_role,
    role_required,
    staff_required,
    supervision_required,
)

PAGE_SIZE = 50
# States in which a case waits for someone at the desk: what "my tasks" lists.
DESK_STATES = [State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED, State.APPROVED, State.DENIED,
               State.RESULT_ISSUED]
EVENT_LABELS = {
    "case.create": "收件登记",
    "case.add_material": "提交材料",
    "case.fetch_shared_material": "数据共享获取材料",
    "case.reuse_material": "复用已核验材料",
    "case.document_issued": "出具文书",
}
# Domain error fields → form fields of the intake and application forms.
FIELD_MAP = {
    "applicant.name": "applicant_name", "applicant.mobile": "applicant_mobile", "id_number": "applicant_id_number",
    "credit_code": "applicant_id_number", "applicant.legal_representative": "legal_representative",
    "applicant.kind": "applicant_kind", "agent.name": "agent_name", "agent.mobile": "agent_mobile",
    "tolerance_due_on": "tolerance_due_on", "reason": "reason", "legal_basis": "legal_basis",
    "delivery_method": "delivery_method", "postal_address": "postal_address",
}


# -- access ------------------------------------------------------------------------------------------------
clerk_required = role_required({Role.CLERK}, message=gettext_lazy("只有窗口人员可以收件"), superuser=False)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _attach_error(form, error: DomainError, *, default_field: str | None = None) -> None:
    """Show a service's error on the field it names, else at the top of the form."""
    for key in error.fields:
        name = FIELD_MAP.get(key, key)
        if name in form.fields:
            form.add_error(name, error.message)
            return
    form.add_error(default_field if default_field in form.fields else None, error.message)


@contextmanager
def _files_kept_only_on_success() -> Iterator[list[str]]:
    """Material files saved inside a transaction that then rolls back are deleted again (no orphans)."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _upload(case: Case, user: User, material, upload, stored: list[str]) -> None:
    row = acts.add_material(case, by=user, content=upload.read(), filename=upload.name, material_id=material.pk)
    stored.append(row.file.name)


class _Rollback(Exception):
    """Raised inside an atomic block to undo a half-done intake and carry the error to the form."""

    def __init__(self, error: DomainError, field: str | None = None):
        super().__init__(error.message)
        self.error = error
        self.field = field


# -- workbench: my tasks -----------------------------------------------------------------------------------
@staff_required
@require_GET
def workbench(request):
    """我的待办: the cases waiting at this person's desk, most urgent deadline first."""
    user = request.user
    state = request.GET.get("state") or ""
    light = request.GET.get("light") or ""
    number = (request.GET.get("number") or "").strip()
    cases = selectors.list_cases(
        user, state=state if state in {s.value for s in State} else None,
        light=light if light in {x.value for x in Light} else None, number=number or None,
    )
    if not state and not number:
        cases = cases.filter(state__in=DESK_STATES)
    if user.role == Role.REVIEWER:
        # A reviewer's desk: what is assigned to them and what nobody has taken yet.
        cases = cases.filter(Q(assigned_to__isnull=True) | Q(assigned_to=user))
    cases = cases.select_related("assigned_to").order_by(F("clock_due_on").asc(nulls_last=True), "id")
    return render(request, "cases/workbench.html", {
        "page": _page(request, cases),
        "state": state, "light": light, "number": number,
        "states": [(s.value, STATE_LABELS[s]) for s in State if s != State.DRAFT],
        "lights": [(k.value, v) for k, v in LIGHT_LABELS.items()],
        "can_intake": user.role == Role.CLERK,
        "can_board": has_role(user, SUPERVISION_ROLES),
        "unread": selectors.notices_for(user, unread_only=True)[:10],
    })


# -- workbench: intake at the window -----------------------------------------------------------------------
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
        items = items.filter(name__icontains=q) | items.filter(implementation_code__icontains=q.upper()) \
            | items.filter(name_initials__icontains=q.lower())
    items = items.order_by("department__sort_order", "department__code", "implementation_code")
    return render(request, "cases/intake_items.html", {"page": _page(request, items), "q": q})


def _intake_item(user, code: str) -> ServiceItem:
    item = get_published_item(code)
    if not _intake_items(user).filter(pk=item.pk).exists():
        raise NotFound(_("该事项不由本窗口受理"))
    return item


@clerk_required
def intake(request, code: str):
    """收件：申请人、材料核对、受理 / 一次性告知补正 / 不予受理, then the notice to print."""
    item = _intake_item(request.user, code)
    version = item.published_version
    materials = version.material_list
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, request.FILES, materials=materials, version=version)
        if form.is_valid():
            try:
                case, kind = _take_in(request.user, item, form)
            except _Rollback as failure:
                _attach_error(form, failure.error, default_field=failure.field)
            else:
                messages.success(request, _("办件 %(number)s 已%(what)s，请打印%(notice)s交申请人。") % {
                    "number": case.number, "what": _DECISION_DONE[form.cleaned_data["decision"]],
                    "notice": documents.NoticeKind(kind).title,
                })
                return redirect(reverse("cases:case", args=[case.number]) + f"?issued={kind}")
        status = 422
    else:
        form = forms.IntakeForm(materials=materials, version=version, initial={"idempotency_key": uuid.uuid4().hex})
        status = 200
    return render(request, "cases/intake.html", {"item": item, "version": version, "form": form}, status=status)


_DECISION_DONE = {forms.Decision.ACCEPT: gettext_lazy("受理"), forms.Decision.CORRECT: gettext_lazy("一次性告知补正"),
                  forms.Decision.REFUSE: gettext_lazy("决定不予受理")}
_DECISION_NOTICE = {forms.Decision.ACCEPT: "acceptance", forms.Decision.CORRECT: "correction",
                    forms.Decision.REFUSE: "refusal"}


def _applicant(data: dict) -> tuple[services.Applicant, services.Agent | None]:
    applicant = services.Applicant(
        kind=data["applicant_kind"], name=data["applicant_name"], id_number=data["applicant_id_number"],
        mobile=data["applicant_mobile"], legal_representative=data["legal_representative"],
    )
    agent = None
    if data["agent_name"]:
        agent = services.Agent(name=data["agent_name"], id_number=data["agent_id_number"],
                               mobile=data["agent_mobile"])
    return applicant, agent


def _delivery(data: dict) -> dict:
    return {"delivery_method": data.get("delivery_method") or DeliveryMethod.PICKUP,
            "postal_address": data.get("postal_address") or ""}


def _take_in(user: User, item: ServiceItem, form: forms.IntakeForm) -> tuple[Case, str]:
    """Create, submit, record the materials and decide, all or nothing."""
    data = form.cleaned_data
    decision = data["decision"]
    applicant, agent = _applicant(form.applicant_fields())
    with _files_kept_only_on_success() as stored, transaction.atomic():
        try:
            case, created = acts.create_case(
                by=user, item=item, applicant=applicant, agent=agent, channel=Channel.WINDOW,
                idempotency_key=data.get("idempotency_key") or "", submit=True, **_delivery(data),
            )
        except DomainError as error:
            raise _Rollback(error) from error
        if not created:
            # The same form posted twice (double click, reload): the first intake stands.
            return case, _DECISION_NOTICE[decision]
        absent = []
        for material, status, problem, upload in form.material_statuses():
            try:
                if status == forms.MaterialStatus.RECEIVED:
                    _upload(case, user, material, upload, stored)
                elif status == forms.MaterialStatus.SHARED:
                    acts.fetch_shared_material(case, by=user, material_id=material.pk)
                elif material.requirement != forms.OPTIONAL:
                    absent.append((material, status, problem))
            except DomainError as error:
                raise _Rollback(error, f"m{material.pk}_file") from error
        try:
            if decision == forms.Decision.ACCEPT:
                acts.accept_case(
                    case, by=user, tolerated=[m.pk for m, _s, _p in absent],
                    tolerance_due_on=data.get("tolerance_due_on") if absent else None,
                )
            elif decision == forms.Decision.CORRECT:
                items = [
                    acts.CorrectionItem(
                        material_id=m.pk, problem=p or (_("未提交，请补交") if s == forms.MaterialStatus.MISSING else ""),
                    )
                    for m, s, p in absent
                ]
                acts.request_correction(case, by=user, items=items, note=data.get("correction_note") or "")
            else:
                acts.refuse_case(case, by=user, reason=data["reason"], legal_basis=data.get("legal_basis") or "")
        except DomainError as error:
            raise _Rollback(error, "decision") from error
    return case, _DECISION_NOTICE[decision]


# -- workbench: the case page ------------------------------------------------------------------------------
def _reviewers(case: Case):
    return User.objects.filter(
        assignment__department_id=case.department_id, role__in=[Role.REVIEWER, Role.LEADER], is_active=True
    ).order_by("role", "username")


def _delivery_methods(case: Case) -> list[tuple[str, str]]:
    version = case.item_version
    offered = {DeliveryMethod.PICKUP: version.delivery_pickup, DeliveryMethod.POST: version.delivery_post,
               DeliveryMethod.ELECTRONIC: version.delivery_electronic}
    return [(m.value, m.label) for m, ok in offered.items() if ok or m == case.delivery_method]


def _action_form(action: str, case: Case, data=None, files=None):
    """The form of one action on this case (bound when `data` is given)."""
    args = (data, files) if data is not None else ()
    if action == "accept":
        return forms.AcceptForm(*args, case=case, missing=selectors.missing_materials(case))
    if action == "request_correction":
        return forms.CorrectionForm(*args, case=case, missing=selectors.missing_materials(case))
    if action == "refuse":
        return forms.ReasonForm(*args, case=case)
    if action == "withdraw":
        return forms.WithdrawForm(*args, case=case)
    if action in ("deny", "terminate"):
        return forms.ReasonAndBasisForm(*args, case=case)
    if action == "approve":
        return forms.ApproveForm(*args, case=case)
    if action == "assign":
        return forms.AssignForm(*args, case=case, reviewers=_reviewers(case))
    if action == "suspend":
        return forms.SuspendForm(*args, case=case, kinds=SuspensionKind.choices)
    if action == "extend":
        return forms.ExtendForm(*args, case=case)
    if action == "issue_result":
        return forms.IssueForm(*args, case=case)
    if action == "deliver":
        return forms.DeliverForm(*args, case=case, methods=_delivery_methods(case))
    if action == "add_material":
        return forms.MaterialForm(*args, case=case, materials=list(case.item_version.materials.all()))
    return forms.PlainActionForm(*args, case=case)


def _perform(action: str, case: Case, user: User, form) -> str:
    """Call the service of `action` with the form's data; returns the message to show."""
    d = form.cleaned_data
    v = d["expected_version"]
    if action == "submit":
        services.submit_case(case, by=user, expected_version=v)
    elif action == "accept":
        services.accept_case(case, by=user, tolerated=[int(x) for x in d.get("tolerated") or ()],
                             tolerance_due_on=d.get("tolerance_due_on"), expected_version=v)
    elif action == "request_correction":
        items = [services.CorrectionItem(problem=p, material_id=mid, name=name if mid is None else "")
                 for mid, name, p in form.items()]
        services.request_correction(case, by=user, items=items, note=d.get("note") or "", expected_version=v)
    elif action == "refuse":
        services.refuse_case(case, by=user, reason=d["reason"], legal_basis=d.get("legal_basis") or "",
                             expected_version=v)
    elif action == "assign":
        services.assign_case(case, by=user, reviewer=d["reviewer"], expected_version=v)
    elif action == "suspend":
        services.suspend_case(case, by=user, kind=d["kind"], reason=d["reason"], expected_version=v)
    elif action == "resume":
        services.resume_case(case, by=user, expected_version=v)
    elif action == "extend":
        services.extend_case(case, by=user, days=d["days"], reason=d["reason"], expected_version=v)
    elif action == "approve":
        services.approve_case(case, by=user, reason=d.get("reason") or "", legal_basis=d["legal_basis"],
                              expected_version=v)
    elif action == "deny":
        services.deny_case(case, by=user, reason=d["reason"], legal_basis=d["legal_basis"], expected_version=v)
    elif action == "issue_result":
        document = d.get("document")
        services.issue_result(
            case, by=user, licence_number=d.get("licence_number") or "",
            document=document.read() if document else None, document_name=document.name if document else "",
            expected_version=v,
        )
    elif action == "deliver":
        services.deliver_case(case, by=user, method=d["method"], pickup_code=d.get("pickup_code") or "",
                              tracking_number=d.get("tracking_number") or "",
                              postal_address=d.get("postal_address") or "", expected_version=v)
    elif action == "withdraw":
        services.withdraw_case(case, by=user, reason=d.get("reason") or "", expected_version=v)
    elif action == "terminate":
        services.terminate_case(case, by=user, reason=d["reason"], legal_basis=d["legal_basis"], expected_version=v)
    elif action == "add_material":
        return _add_material(case, user, form)
    return _("已%(label)s") % {"label": ALLOWED_TRANSITIONS[action].label}


def _add_material(case: Case, user: User, form) -> str:
    d = form.cleaned_data
    if d.get("shared"):
        row = services.fetch_shared_material(case, by=user, material_id=d["material"])
    else:
        upload = d["file"]
        row = services.add_material(case, by=user, content=upload.read(), filename=upload.name,
                                    material_id=d["material"])
    return _("已收取材料：%(name)s") % {"name": row.name}


PAGE_ACTIONS = [*ALLOWED_TRANSITIONS, "add_material"]


def _action_label(action: str) -> str:
    return ALLOWED_TRANSITIONS[action].label if action in ALLOWED_TRANSITIONS else _("补充材料")


def _timeline(case: Case) -> list[dict]:
    rows = []
    for event in selectors.case_timeline(case):
        action = event.action.removeprefix("case.")
        transition = ALLOWED_TRANSITIONS.get(action)
        label = transition.label if transition else EVENT_LABELS.get(event.action, event.action)
        after = event.after if isinstance(event.after, dict) else {}
        detail = ""
        if event.action == "case.document_issued" and after.get("kind") in documents.NOTICE_TITLES:
            detail = documents.NoticeKind(after["kind"]).title
        elif event.action in ("case.add_material", "case.fetch_shared_material", "case.reuse_material"):
            detail = after.get("name", "")
        elif event.action == "case.request_correction":
            detail = "；".join(f"{i.get('name')}：{i.get('problem')}" for i in after.get("items", []))
        rows.append({
            "at": event.at, "who": event.actor_label, "label": label, "detail": detail, "reason": event.reason,
            "state": STATE_LABELS.get(after.get("state"), "") if after.get("state") else "",
        })
    return rows


def _case_context(request, case: Case, *, bound: dict | None = None) -> dict:
    user = request.user
    identity = selectors.identity_for(case, user)
    whole = identity == case.applicant_id_number
    actions = selectors.actions_for(case, user)
    if user.role in selectors.DESK_ROLES and case.state in services.MATERIAL_STATES:
        actions = [*actions, "add_material"]
    action_forms = []
    for action in actions:
        form = (bound or {}).get(action) or _action_form(action, case)
        action_forms.append({"action": action, "label": _action_label(action), "form": form,
                             "multipart": action in ("issue_result", "add_material")})
    light = selectors.light_of(case)
    days_left = selectors.days_left_of(case)
    return {
        "case": case,
        "identity": identity,
        "mobile": case.applicant_mobile if whole else mask_mobile(case.applicant_mobile),
        "agent_identity": case.agent_id_number if whole else mask_identity(case.agent_id_number),
        "light": light.value if light else "",
        "light_label": LIGHT_LABELS.get(light, "") if light else "",
        "days_left": days_left,
        "overdue_days": -days_left if days_left is not None and days_left < 0 else 0,
        "materials": case.materials.select_related("material").order_by("id"),
        "missing": selectors.missing_materials(case),
        "corrections": case.corrections.order_by("id"),
        "suspensions": case.suspensions.order_by("started_on", "id"),
        "extension": getattr(case, "extension", None),
        "notices": [(k.value, k.title) for k in documents.available_notices(case)],
        "issued": request.GET.get("issued", ""),
        "timeline": _timeline(case),
        "action_forms": action_forms,
        "closed": case.state in CLOSED_STATES,
        "decided": case.state in DECIDED_STATES,
    }


@staff_required
@require_GET
def case_detail(request, number: str):
    """办件页: facts, materials, corrections, clock, the notices to print, the timeline and the allowed actions."""
    case = selectors.get_case_for(request.user, number)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@staff_required
@require_POST
def case_action(request, number: str, action: str):
    """One action on the case, posted from its form on the case page, through its service."""
    case = selectors.get_case_for(request.user, number)
    if action not in PAGE_ACTIONS:
        raise NotFound(_("没有这个操作"))
    form = _action_form(action, case, request.POST, request.FILES)
    status = 422
    if form.is_valid():
        try:
            message = _perform(action, case, request.user, form)
        except DomainError as error:
            _attach_error(form, error)
            status = error.status
        else:
            messages.success(request, message)
            return redirect("cases:case", number=case.number)
    case.refresh_from_db()
    messages.error(request, _("“%(label)s”未完成，请查看表单中的错误。") % {"label": _action_label(action)})
    context = _case_context(request, case, bound={action: form})
    if not any(f["action"] == action for f in context["action_forms"]):
        # The action is no longer offered (someone else moved the case): keep its form and error in view.
        context["action_forms"].insert(0, {"action": action, "label": _action_label(action), "form": form,
                                           "multipart": action in ("issue_result", "add_material")})
    return render(request, "cases/case_detail.html", context, status=status)


def _notice_response(request, case: Case, kind: str) -> HttpResponse:
    if kind not in documents.NOTICE_TITLES:
        raise NotFound(_("没有这种文书"))
    try:
        pdf, filename = documents.render_case_notice(case, kind)
    except DomainError:
        raise NotFound(_("本办件没有这份文书")) from None
    services.record_document_issued(case, by=request.user, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(),
                                    filename=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def notice_pdf(request, number: str, kind: str):
    """The notice PDF of a case (受理通知书, 补正材料通知书, 不予受理决定书, 许可决定书), scoped like the case."""
    return _notice_response(request, selectors.get_case_for(request.user, number), kind)


# -- workbench: supervision board (电子监察) ------------------------------------------------------------------
@supervision_required
@require_GET
def board(request):
    """电子监察: counts by department × light, the red and yellow lists, overdue acceptance and 容缺 promises."""
    user = request.user
    data = selectors.supervision_board(user)
    department_id = request.GET.get("department")
    department_id = int(department_id) if (department_id or "").isdigit() else None
    view = request.GET.get("list") or "red"
    lists = {
        "red": (_("红灯（已超期）"), {"light": Light.RED}),
        "yellow": (_("黄灯（临近到期）"), {"light": Light.YELLOW}),
        "acceptance": (_("超期未受理"), {"overdue_acceptance": True}),
        "tolerance": (_("容缺材料逾期未补齐"), {"overdue_tolerance": True}),
    }
    if view not in lists:
        view = "red"
    title, kwargs = lists[view]
    cases = selectors.supervised_cases(user, department_id=department_id, **kwargs)
    return render(request, "cases/board.html", {
        "board": data, "page": _page(request, cases), "view": view, "list_title": title,
        "lists": [(k, v[0]) for k, v in lists.items()], "department_id": department_id,
        "center_wide": user.is_center_wide,
    })


# -- citizens: apply online, my cases ------------------------------------------------------------------------
def _online_items():
    return ServiceItem.objects.filter(published_version__isnull=False).filter(
        published_version__mode_online=True
    ).select_related("department", "published_version")


@require_GET
def apply_items(request):
    """网上办: the items that can be applied for online."""
    q = (request.GET.get("q") or "").strip()
    items = _online_items()
    if q:
        items = items.filter(name__icontains=q) | items.filter(name_initials__icontains=q.lower())
    items = items.order_by("department__sort_order", "department__code", "implementation_code")
    return render(request, "cases/apply_items.html", {"page": _page(request, items), "q": q})


@citizen_required
def apply(request, code: str):
    """网上申报: the applicant, the uploads, submit; government-issued materials are fetched by data sharing."""
    item = get_published_item(code)
    if not item.published_version.mode_online:
        raise NotFound(_("该事项暂不支持网上申报"))
    version = item.published_version
    materials = version.material_list
    user = request.user
    if request.method == "POST":
        form = forms.OnlineApplicationForm(request.POST, request.FILES, materials=materials, version=version)
        if form.is_valid():
            try:
                case = _apply_online(user, item, form)
            except _Rollback as failure:
                _attach_error(form, failure.error, default_field=failure.field)
            else:
                messages.success(request, _("申请已提交，办件编号 %(number)s，查询码 %(code)s。") % {
                    "number": case.number, "code": case.query_code})
                return redirect("cases:my_case", number=case.number)
        status = 422
    else:
        form = forms.OnlineApplicationForm(materials=materials, version=version, initial={
            "idempotency_key": uuid.uuid4().hex, "applicant_name": user.display_name, "applicant_mobile": user.mobile,
        })
        status = 200
    return render(request, "cases/apply.html", {"item": item, "version": version, "form": form}, status=status)


def _apply_online(user: User, item: ServiceItem, form: forms.OnlineApplicationForm) -> Case:
    applicant, agent = _applicant(form.applicant_fields())
    with _files_kept_only_on_success() as stored, transaction.atomic():
        try:
            case, created = acts.create_case(
                by=user, item=item, applicant=applicant, agent=agent, channel=Channel.ONLINE,
                idempotency_key=form.cleaned_data.get("idempotency_key") or "", **_delivery(form.cleaned_data),
            )
        except DomainError as error:
            raise _Rollback(error) from error
        if not created:
            return case
        for material, upload in form.uploads():
            try:
                _upload(case, user, material, upload, stored)
            except DomainError as error:
                raise _Rollback(error, f"file{material.pk}") from error
        for material in form.materials:
            if material.fetchable:
                try:
                    acts.fetch_shared_material(case, by=user, material_id=material.pk)
                except DomainError as error:
                    raise _Rollback(error) from error
        try:
            acts.submit_case(case, by=user)
        except DomainError as error:
            raise _Rollback(error) from error
    return case


@citizen_required
@require_GET
def my_cases(request):
    """我的办件."""
    cases = selectors.list_cases(request.user)
    return render(request, "cases/my_cases.html", {"page": _page(request, cases)})


@citizen_required
def my_case(request, number: str):
    """One of my cases: progress, what to correct, my notices; resubmit with corrections or withdraw."""
    case = selectors.get_case_for(request.user, number)
    bound = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("submit", "withdraw"):
            raise NotFound(_("没有这个操作"))
        form = _citizen_form(action, case, request.POST, request.FILES)
        if form.is_valid():
            try:
                with _files_kept_only_on_success() as stored, transaction.atomic():
                    message = _citizen_perform(action, case, request.user, form, stored)
            except _Rollback as failure:
                _attach_error(form, failure.error, default_field=failure.field)
                status = failure.error.status
            except DomainError as error:
                _attach_error(form, error)
                status = error.status
            else:
                messages.success(request, message)
                return redirect("cases:my_case", number=case.number)
        else:
            status = 422
        bound[action] = form
        case.refresh_from_db()
    actions = selectors.actions_for(case, request.user)
    light = selectors.light_of(case)
    return render(request, "cases/my_case.html", {
        "case": case,
        "identity": selectors.identity_for(case, request.user),
        "light": light.value if light else "",
        "light_label": LIGHT_LABELS.get(light, "") if light else "",
        "corrections": case.corrections.order_by("id"),
        "materials": case.materials.order_by("id"),
        "missing": selectors.missing_materials(case),
        "notices": [(k.value, k.title) for k in documents.available_notices(case)],
        "submit_form": bound.get("submit") or (_citizen_form("submit", case) if "submit" in actions else None),
        "withdraw_form": bound.get("withdraw") or (_citizen_form("withdraw", case) if "withdraw" in actions else None),
    }, status=status)


def _to_correct(case: Case) -> list:
    """Materials the applicant is asked for: those of the open correction notice, and any still missing."""
    wanted = {m.pk: m for m in selectors.missing_materials(case)}
    correction = case.corrections.filter(resolved_at__isnull=True).order_by("-id").first()
    if correction is not None:
        ids = [line["material_id"] for line in correction.items if line.get("material_id")]
        for material in case.item_version.materials.filter(pk__in=ids):
            wanted.setdefault(material.pk, material)
    return sorted(wanted.values(), key=lambda m: (m.order, m.pk))


def _citizen_form(action: str, case: Case, data=None, files=None):
    args = (data, files) if data is not None else ()
    if action == "submit":
        return forms.ResubmitForm(*args, case=case, materials=_to_correct(case))
    return forms.WithdrawForm(*args, case=case)


def _citizen_perform(action: str, case: Case, user: User, form, stored: list[str]) -> str:
    v = form.cleaned_data["expected_version"]
    if action == "withdraw":
        acts.withdraw_case(case, by=user, reason=form.cleaned_data.get("reason") or "", expected_version=v)
        return _("申请已撤回")
    # The page the applicant answered must be the case as it stands; the materials then move it on.
    kit.check_version(case, v)
    for material, upload in form.uploads():
        try:
            _upload(case, user, material, upload, stored)
        except DomainError as error:
            raise _Rollback(error, f"file{material.pk}") from error
    for material in selectors.missing_materials(case):
        if material.fetchable:
            acts.fetch_shared_material(case, by=user, material_id=material.pk)
    acts.submit_case(case, by=user)
    return _("补正材料已提交，等待窗口受理")


@citizen_required
@require_GET
def my_notice_pdf(request, number: str, kind: str):
    """The applicant's own copy of a notice."""
    return _notice_response(request, selectors.get_case_for(request.user, number), kind)


# -- public tracking ----------------------------------------------------------------------------------------
PROGRESS = [
    (gettext_lazy("提交"), {State.SUBMITTED, State.CORRECTION_REQUESTED}),
    (gettext_lazy("受理"), {State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED}),
    (gettext_lazy("决定"), {State.APPROVED, State.DENIED}),
    (gettext_lazy("出证"), {State.RESULT_ISSUED}),
    (gettext_lazy("办结"), {State.DELIVERED}),
]


@require_GET
def track(request):
    """办件进度查询 by number and query code, without signing in; a wrong code is simply "not found"."""
    form = forms.TrackForm(request.GET or None)
    result = None
    not_found = False
    status = 200
    if form.is_bound and form.is_valid():
        try:
            result = selectors.public_tracking(form.cleaned_data["number"], form.cleaned_data["code"])
        except NotFound:
            not_found = True
            status = 404
    steps = []
    if result:
        reached = next((i for i, (_label, states) in enumerate(PROGRESS) if result["state"] in states), -1)
        steps = [{"label": label, "done": i <= reached} for i, (label, _states) in enumerate(PROGRESS)]
    return render(request, "cases/track.html", {
        "form": form, "result": result, "not_found": not_found, "steps": steps,
        "light_label": LIGHT_LABELS.get(Light(result["light"]), "") if result and result["light"] else "",
    }, status=status)

