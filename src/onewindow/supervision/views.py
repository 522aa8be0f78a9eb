"""一链监管 pages: the supervising department's inbox (事中事后监管), where it signs for each handed-off result."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from onewindow.core.pages import staff_required
from onewindow.supervision import selectors, services


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """事中事后监管: approvals' results handed to the user's department as supervising department; signing for one."""
    events = selectors.supervision_inbox(request.user)
    if request.method == "POST":
        chosen = request.POST.get("event", "")
        event = events.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if event is None:
            messages.error(request, _("监管事件不存在"))
        else:
            services.acknowledge_event(event, by=request.user)
            messages.success(request, _("已签收"))
        return redirect("supervision:inbox")
    return render(request, "supervision/inbox.html", {"events": events[:200]})
