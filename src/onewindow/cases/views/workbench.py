"""我的待办: the staff workbench, the cases waiting at this person's desk."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.clock import LIGHT_LABELS, Light
from onewindow.cases.lifecycle import STATE_LABELS, State
from onewindow.cases.views.base import cases_page
from onewindow.core.errors import InvalidInput
from onewindow.core.models import Role
from onewindow.core.pages import SUPERVISION_ROLES, has_role, staff_required

# States in which a case waits for someone at the desk: what "my tasks" lists.
DESK_STATES = [State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED, State.APPROVED, State.DENIED,
               State.RESULT_ISSUED]


@staff_required
@require_GET
def workbench(request):
    """我的待办: the cases waiting at this person's desk, most urgent deadline first."""
    user = request.user
    state = request.GET.get("state") or ""
    light = request.GET.get("light") or ""
    number = (request.GET.get("number") or "").strip()
    # An unknown filter is refused naming it, as the API does: showing every case under a select that still
    # reads its default would pass the whole desk off as the filtered list.
    if state and state not in {s.value for s in State}:
        raise InvalidInput(gettext("筛选条件“办件状态”（state）无效：请从页面上的选项中选择"), fields={"state": "invalid"})
    if light and light not in {x.value for x in Light}:
        raise InvalidInput(gettext("筛选条件“电子监察灯”（light）无效：请从页面上的选项中选择"), fields={"light": "invalid"})
    cases = selectors.list_cases(user, state=state or None, light=light or None, number=number or None)
    if not state and not number:
        cases = cases.filter(state__in=DESK_STATES)
    if user.role == Role.REVIEWER:
        # A reviewer's desk: what is assigned to them and what nobody has taken yet.
        cases = cases.filter(Q(assigned_to__isnull=True) | Q(assigned_to=user))
    cases = selectors.by_due(cases.select_related("assigned_to"))
    return render(request, "cases/workbench.html", {
        "page": cases_page(request, cases, selectors.DUE_FIRST),
        "state": state, "light": light, "number": number,
        "states": [(s.value, gettext(STATE_LABELS[s])) for s in State if s != State.DRAFT],
        "lights": [(k.value, gettext(v)) for k, v in LIGHT_LABELS.items()],
        "can_intake": user.role == Role.CLERK,
        "can_board": has_role(user, SUPERVISION_ROLES),
        "unread": selectors.notices_for(user, unread_only=True)[:10],
    })
