"""电子监察: the supervision board of supervisors and department leaders."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.clock import Light
from onewindow.cases.views.base import cases_page
from onewindow.core.pages import supervision_required
from onewindow.core.params import id_or_none


@supervision_required
@require_GET
def board(request):
    """电子监察: counts by department × light, the red and yellow lists, overdue acceptance and 容缺 promises."""
    user = request.user
    data = selectors.supervision_board(user)
    department_id = id_or_none(request.GET.get("department"))
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
        "board": data, "page": cases_page(request, cases, selectors.DUE_FIRST), "view": view, "list_title": title,
        "lists": [(k, v[0]) for k, v in lists.items()], "department_id": department_id,
        "center_wide": user.is_center_wide,
    })
