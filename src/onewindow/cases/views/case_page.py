"""办件页 (staff): facts, materials, clock, notices to print, the timeline, and the forms of the actions its
user may perform now — each from the action registry (`cases.actions`), posted to its one service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.cases import documents, selectors
from onewindow.cases.actions import ACTIONS, allowed
from onewindow.cases.clock import LIGHT_LABELS
from onewindow.cases.forms.answers import page_language
from onewindow.cases.lifecycle import ALLOWED_TRANSITIONS, CLOSED_STATES, DECIDED_STATES, STATE_LABELS
from onewindow.cases.models import Case
from onewindow.cases.notice_pdf import notice_response
from onewindow.cases.views.base import errors_of, post, refusal_of_the_moment
from onewindow.core.identity import mask_identity, mask_mobile
from onewindow.core.pages import action_address, staff_required

EVENT_LABELS = {
    "case.create": gettext_lazy("收件登记"),
    "case.add_material": gettext_lazy("提交材料"),
    "case.fetch_shared_material": gettext_lazy("数据共享获取材料"),
    "case.reuse_material": gettext_lazy("复用已核验材料"),
}
# Copies printed or downloaded (and, before they were told apart, recorded as "document issued"): evidence of who
# took a copy, kept on the audit chain, not steps of the case — the notice's issuer is the person of its act.
COPY_EVENTS = ("case.document_printed", "case.document_issued")


def _timeline(case: Case) -> list[dict]:
    rows = []
    for event in selectors.case_timeline(case).exclude(action__in=COPY_EVENTS):
        action = event.action.removeprefix("case.")
        transition = ALLOWED_TRANSITIONS.get(action)
        label = _(transition.label) if transition else EVENT_LABELS.get(event.action, event.action)
        after = event.after if isinstance(event.after, dict) else {}
        detail = data = ""  # the page's words; Chinese data (material names, problems as written)
        if event.action in ("case.add_material", "case.fetch_shared_material", "case.reuse_material"):
            data = after.get("name", "")
        elif event.action == "case.request_correction":
            data = "；".join(f"{i.get('name')}：{i.get('problem')}" for i in after.get("items", []))
        rows.append({
            "at": event.at, "who": event.actor_label, "label": label, "detail": detail, "data": data,
            "reason": event.reason, "state": _(STATE_LABELS[after["state"]]) if after.get("state") in STATE_LABELS else "",
            "issued": _(documents.ISSUING_ACTS[action].title) if action in documents.ISSUING_ACTS else "",
        })
    return rows


def _case_context(request, case: Case, *, bound: dict | None = None) -> dict:
    """The case page's context; `bound` holds a posted form, with its errors, in place of the blank one of its
    action — only ever for an action the person may perform now: the page offers nothing else."""
    user = request.user
    identity = selectors.identity_for(case, user)
    whole = identity == case.applicant_id_number
    bound = bound or {}
    action_forms = [{"action": action.name, "label": action.label,
                     "form": bound.get(action.name) or action.form_for(case, user)}
                    for action in allowed(case, user)]
    light = selectors.light_of(case)
    days_left = selectors.days_left_of(case)
    return {
        "case": case,
        "identity": identity,
        "mobile": case.applicant_mobile if whole else mask_mobile(case.applicant_mobile),
        "agent_identity": case.agent_id_number if whole else mask_identity(case.agent_id_number),
        "light": light.value if light else "",
        "light_label": _(LIGHT_LABELS[light]) if light else "",
        "days_left": days_left,
        "overdue_days": -days_left if days_left is not None and days_left < 0 else 0,
        "materials": case.materials.select_related("material").order_by("id"),
        "missing": selectors.missing_materials(case),
        "answer_rows": selectors.answer_rows(case, user, page_language()),
        "answer_changes": selectors.answer_changes(case, user, page_language()),
        "corrections": case.corrections.order_by("id"),
        "suspensions": case.suspensions.order_by("started_on", "id"),
        "hearings": [(h, selectors.hearing_clock(h)) for h in case.hearings.select_related("presiding_officer")],
        "extension": getattr(case, "extension", None),
        "deemed": selectors.is_deemed_accepted(case),
        "notices": [(k.value, _(k.title)) for k in documents.available_notices(case)],
        "issued": request.GET.get("issued", ""),
        "timeline": _timeline(case),
        "action_forms": action_forms,
        # Nothing to offer on an open case: the page says who can act instead of leaving the person stuck.
        "department_name": format_html('<span lang="zh-Hans">{}</span>', case.department.name),
        "handlers": list(selectors.handlers_of(case)) if not action_forms and case.state not in CLOSED_STATES
        else [],
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
@action_address(ACTIONS)
def case_action(request, number: str, action: str):
    """One action on the case, posted from its form on the case page, through its service. Who may act is checked
    first: an action the person may never take is the styled 403 (404 outside their scope), whatever was posted."""
    user = request.user
    case = selectors.get_case_for(user, number)
    entry = ACTIONS[action]
    refused = refusal_of_the_moment(entry, case, user)
    if refused is not None:
        messages.error(request, _("“%(label)s”未完成：%(reason)s") % {"label": entry.label,
                                                                    "reason": _(refused.message)})
        return render(request, "cases/case_detail.html", _case_context(request, case), status=refused.status)
    form = entry.form_for(case, user, request.POST, request.FILES)
    done, result, status = post(form, lambda: entry.perform(case, by=user, arguments=form.arguments(),
                                                            expected_version=form.cleaned_data["expected_version"]))
    if done:
        messages.success(request, entry.done(result))
        return redirect("cases:case", number=case.number)
    case.refresh_from_db()
    if entry.allows(case, user):
        messages.error(request, _("“%(label)s”未完成，请查看表单中的错误。") % {"label": entry.label})
        context = _case_context(request, case, bound={action: form})
    else:
        # The case moved on while the form was filled in: the page shows it as it now stands, without the form.
        messages.error(request, _("“%(label)s”未完成：%(reason)s") % {"label": entry.label, "reason": errors_of(form)})
        context = _case_context(request, case)
    return render(request, "cases/case_detail.html", context, status=status)


@staff_required
@require_GET
def notice_pdf(request, number: str, kind: str):
    """The notice PDF of a case (受理通知书, 补正材料通知书, 不予受理决定书, 许可决定书), scoped like the case."""
    return notice_response(selectors.get_case_for(request.user, number), kind, by=request.user)
