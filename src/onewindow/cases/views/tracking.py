"""办件进度查询: public tracking by case number and query code, without signing in."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.clock import LIGHT_LABELS, Light
from onewindow.cases.forms.tracking import TrackForm
from onewindow.cases.lifecycle import State
from onewindow.core.errors import NotFound

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
    form = TrackForm(request.GET or None)
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
        "light_label": gettext(LIGHT_LABELS[Light(result["light"])]) if result and result["light"] else "",
    }, status=status)
