"""一件事 pages: the theme guide (three figures, items, prerequisite graph), applying online, window intake, the
package page with its sub-case timeline, the package board."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import zip_longest

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.bundles import selectors, services
from onewindow.bundles.forms import PackageApplicationForm
from onewindow.bundles.lifecycle import PackageState
from onewindow.cases.forms.answers import page_language
from onewindow.cases.forms.base import applicant_initial
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Channel
from onewindow.cases.selectors import DESK_ROLES
from onewindow.cases.views.base import post
from onewindow.catalog import dag
from onewindow.core.errors import DomainError, InvalidInput
from onewindow.core.models import Role
from onewindow.core.pages import role_required, signed_in, supervision_required
from onewindow.forms import services as form_services
from onewindow.forms.pages import FormView, answers_from_post, form_view
from onewindow.forms.prefill import prefill
from onewindow.forms.selectors import draft_form_changed, draft_of
from onewindow.forms.validation import FormInvalid

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 180, 54, 50, 18, 10


def prerequisite_graph(items: list[dict]) -> dict:
    """Boxes in columns by prerequisite depth and arrows between them, for a server-side SVG."""
    by_id = {row["id"]: row for row in items}
    edges = [(before, row["id"]) for row in items for before in row["requires"]]
    level: dict[int, int] = {}
    for node in dag.topological_order(list(by_id), edges):
        level[node] = max([level[r] + 1 for r in by_id[node]["requires"]] + [0])
    columns: dict[int, list[dict]] = {}
    for row in items:
        columns.setdefault(level[row["id"]], []).append(row)
    boxes, where = [], {}
    for column, rows in sorted(columns.items()):
        for index, row in enumerate(rows):
            x, y = PAD + column * (BOX_W + GAP_X), PAD + index * (BOX_H + GAP_Y)
            where[row["id"]] = (x, y)
            name = row["name"] if len(row["name"]) <= 12 else row["name"][:11] + "…"
            boxes.append({"x": x, "y": y, "name": name, "full_name": row["name"], "critical": row["critical"],
                          "caption": f"{row['department'].short_name or row['department'].name} · {row['promised_days']}",
                          "tx": x + 8, "ty1": y + 22, "ty2": y + 42})
    arrows = []
    for row in items:
        for before in row["requires"]:
            (x1, y1), (x2, y2) = where[before], where[row["id"]]
            arrows.append({"x1": x1 + BOX_W, "y1": y1 + BOX_H // 2, "x2": x2 - 4, "y2": y2 + BOX_H // 2,
                           "critical": row["critical"] and any(i["id"] == before and i["critical"] for i in items)})
    width = PAD * 2 + (max(columns) + 1) * BOX_W + max(columns) * GAP_X if columns else 0
    height = PAD * 2 + max(len(r) for r in columns.values()) * (BOX_H + GAP_Y) if columns else 0
    return {"boxes": boxes, "arrows": arrows, "width": width, "height": height, "box_w": BOX_W, "box_h": BOX_H}


@require_GET
def theme_guide(request: HttpRequest, code: str) -> HttpResponse:
    """办事指南 of a theme: the three time figures, the items, the prerequisite graph, the merged form."""
    guide = selectors.theme_guide(code)
    return render(request, "bundles/theme_guide.html", {**guide, "graph": prerequisite_graph(guide["items"])})


def _apply_view(request: HttpRequest, code: str, *, channel: str, template: str) -> HttpResponse:
    """The merged form, on the single-item form's fields, with the package's one application form; its one service
    call; errors shown on the fields, what was typed kept. 检查填写 checks and writes nothing; 暂存 keeps the
    answers as a draft (files are not kept with it), resumed on the next visit; a filed package discards it."""
    guide = selectors.theme_guide(code)
    theme, user = guide["theme"], request.user
    package_form = selectors.package_form(theme)
    spec = package_form.spec if package_form is not None else None
    draft = draft_of(user, theme=theme) if spec is not None else None
    intent = request.POST.get("intent", "submit") if request.method == "POST" else ""
    if intent == "discard_draft" and draft is not None:
        form_services.discard_form_draft(by=user, theme=theme)
        messages.success(request, _("已放弃暂存的内容"))
        return redirect(request.path)
    form = PackageApplicationForm(request.POST or None, request.FILES or None, materials=guide["materials"],
                                  initial={**applicant_initial(user), "idempotency_key": uuid.uuid4().hex})
    # What the center holds is filled in for the applicant's own account, never from a clerk's at the window.
    known = prefill(spec, user) if spec is not None and user.role == Role.CITIZEN else {}
    form.setup_answers(spec, prefilled=known, start=draft.answers if draft is not None else None)
    status = 200
    if intent == "save_draft" and spec is not None:
        form_services.save_draft(by=user, theme=theme, answers=form.posted_answers(), form_version=spec.version)
        messages.success(request, _("申请表已暂存；上传的材料文件不随草稿保存"))
        return redirect(request.path)
    if intent == "check":
        form.attach_kept_files(by=user)
        form.keep_chosen_files(by=user)
        status = 422 if form.errors or form.check_answers() else 200
        if status == 200:
            messages.success(request, _("检查通过：申请表和申请人信息填写完整，可以提交"))
    elif request.method == "POST":
        def call():
            application, data = form.application(), form.cleaned_data
            files = [services.PackageFile(line.name, data[name].read(), data[name].name)
                     for name, line in form.material_fields if data.get(name)]
            return services.apply_for_theme(
                by=user, theme=theme, channel=channel, materials=files, answers=form.answers_to_file(),
                applicant=application["applicant"], delivery_method=application["delivery"].method,
                postal_address=application["delivery"].postal_address, idempotency_key=application["idempotency_key"],
            )

        done, applied, status = post(form, call, keep_files_for=user)
        if done:
            package, _created = applied
            messages.success(request, _("一件事申请已提交，编号 %(number)s") % {"number": package.number})
            return redirect("bundles:package", number=package.number)
    return render(request, template, {**guide, "form": form, "answers_view": form.answers_view(), "draft": draft,
                                      "resumed": draft is not None and request.method != "POST",
                                      "draft_form_changed": spec is not None and draft_form_changed(draft, spec)},
                  status=status)


@signed_in
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Apply online for a theme (网上申报): one form, each material once."""
    if request.user.role != Role.CITIZEN:
        messages.info(request, _("窗口人员请使用窗口收件"))
        return redirect("bundles:intake", code=code)
    return _apply_view(request, code, channel=Channel.ONLINE, template="bundles/apply.html")


@role_required(DESK_ROLES, message=_("一件事的窗口收件仅对窗口和部门工作人员开放"), superuser=False)
def intake(request: HttpRequest, code: str) -> HttpResponse:
    """Window intake of a theme (一窗受理收件) by the lead department's or a comprehensive window."""
    return _apply_view(request, code, channel=Channel.WINDOW, template="bundles/apply.html")


@signed_in
@require_GET
def package_list(request: HttpRequest) -> HttpResponse:
    packages = selectors.packages_visible_to(request.user).select_related("theme").order_by("-id")[:100]
    rows = list(packages)
    for package in rows:
        package.light = selectors.package_light(package)
    return render(request, "bundles/package_list.html", {"packages": rows})


@signed_in
@require_GET
def package_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The package page: summary, light, report, the package's answers in one view, the sub-case timeline,
    corrections, joint reviews, actions."""
    return _package_page(request, number)


def _package_page(request: HttpRequest, number: str, *, answering: tuple[dict, list] | None = None,
                  status: int = 200) -> HttpResponse:
    """The package page; `answering`: a refused correction of the form (what was posted, its problems) shown
    again on its fields."""
    page = selectors.package_page(request.user, number)
    package = page["package"]
    user = request.user
    window = selectors.is_window(user, package.theme)
    own = package.applicant_user_id == user.pk
    context = {
        **page,
        "window": window,
        "can_accept": window and package.state == PackageState.SUBMITTED,
        "can_correct": window and package.state in (PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED),
        "can_supply": package.state in (PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED)
        and (window or own),
        "can_deliver": window and package.state == PackageState.DECIDED,
        "can_extend": package.state == PackageState.ACCEPTED and not package.extension_days
        and (user.role == Role.SUPERVISOR or (user.role == Role.LEADER and window)),
        "can_review": package.state in (PackageState.ACCEPTED, PackageState.DECIDED) and user.role != Role.CITIZEN,
        "material_names": [m.name for m in selectors.merged_materials(package.theme) if m.source == "applicant"],
        "results_waiting": [s for s in page["sub_cases"] if s.case.state in (State.APPROVED, State.DENIED)],
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "answers_form": _answers_form(package, page["answers"], answering) if window or own else None,
    }
    return render(request, "bundles/package_detail.html", context, status=status)


def _answers_form(package, view: selectors.PackageAnswers, answering: tuple[dict, list] | None) -> FormView | None:
    """补正申请表: the package's form with only the fields its open notice names editable (None: none named)."""
    asked = view.asked(package)
    if not asked or view.spec is None:
        return None
    answers, problems = answering if answering is not None else (view.answers, [])
    return form_view(view.spec, answers, errors=problems, editable=asked, language=page_language())


def _answer_correction(request: HttpRequest, package, version: int | None) -> HttpResponse:
    """The applicant's (or the window's) answer to a correction naming fields: only those fields are read from the
    post; a refusal shows the page again with each field's error and what was typed."""
    view = selectors.package_answers(package)
    asked = view.asked(package)
    posted = answers_from_post(view.spec, request.POST, keys=asked) if view.spec is not None else {}
    answers = {k: v for k, v in view.answers.items() if k not in asked} | posted
    try:
        services.answer_package_correction(package, by=request.user, answers=answers, expected_version=version)
    except FormInvalid as exc:
        return _package_page(request, package.number, answering=(answers, exc.problems), status=exc.status)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申请表已补正，用到这些字段的事项已同步更新"))
    return redirect("bundles:package", number=package.number)


def _extend(package, user, post, version: int | None) -> str:
    """延长法定期限 from the page: days, reason and the government head's written approval (art. 42 ¶2)."""
    days = post.get("days", "")
    if not days.strip().isdigit():
        raise InvalidInput("延长天数应为整数个工作日", fields={"days": "format"})
    services.extend_package(package, by=user, days=int(days), reason=post.get("reason", ""),
                            government_approval=post.get("government_approval", ""), expected_version=version)
    return _("已延长法定期限并告知申请人")


@signed_in
@require_POST
def package_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One window act on the package from its page; errors come back as a message, nothing changed."""
    package = selectors.get_package_for(request.user, number)
    post, user = request.POST, request.user
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    if action == "answers":
        return _answer_correction(request, package, version)
    try:
        if action == "accept":
            services.accept_package(package, by=user, expected_version=version)
            done = _("已一窗受理，各部门开始并联审批")
        elif action == "correction":
            lines = [services.CorrectionLine(name, problem, field) for name, problem, field in
                     zip_longest(post.getlist("line_name"), post.getlist("line_problem"), post.getlist("line_field"),
                                 fillvalue="") if name or problem or field]
            services.request_package_correction(package, by=user, lines=lines, note=post.get("note", ""),
                                                expected_version=version)
            done = _("已一次性告知补正")
        elif action == "supply":
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput("请选择文件", fields={"file": "required"})
            services.supply_package_material(package, by=user, name=post.get("name", ""), content=upload.read(),
                                             filename=upload.name)
            done = _("材料已提交，各事项共用")
        elif action == "deliver":
            services.deliver_package(package, by=user, method=post.get("method") or None,
                                     pickup_code=post.get("pickup_code", ""),
                                     tracking_number=post.get("tracking_number", ""), expected_version=version)
            done = _("已统一送达，一件事办结")
        elif action == "extend":
            done = _extend(package, user, post, version)
        elif action == "joint_review":
            held = post.get("held_at", "")
            try:
                held_at = dt.datetime.fromisoformat(held)
            except ValueError:
                raise InvalidInput("会审时间格式应为 YYYY-MM-DDTHH:MM", fields={"held_at": "format"}) from None
            people = [services.Participant(d, n) for d, n in zip(post.getlist("participant_department"),
                                                                 post.getlist("participant_name"), strict=False)
                      if d or n]
            services.record_joint_review(package, by=user, held_at=held_at, place=post.get("place", ""),
                                         participants=people, conclusions=post.get("conclusions", ""))
            done = _("集中会审已记录")
        else:
            raise Http404("未知操作")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("bundles:package", number=package.number)


@supervision_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The packages on the supervision board: each with its own light and due date."""
    data = selectors.package_board(request.user)
    return render(request, "bundles/board.html", data)
