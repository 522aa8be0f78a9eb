"""A case's notice as a PDF answer (受理通知书, 补正材料通知书, 不予受理决定书, 许可决定书), for the pages and the API
alike: rendered, the copy put on the audit chain as printed by whoever asked (never as its issue: the act that
issued the notice is its issuing, `documents.ISSUING_ACTS`), sent inline and never cached. A kind the case does not have
(yet) is simply not found (404)."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.utils.translation import gettext as _

from onewindow.cases import documents, services
from onewindow.cases.models import Case
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.models import User


def notice_response(case: Case, kind: str, *, by: User) -> HttpResponse:
    """The notice `kind` of `case` as an inline PDF, the copy recorded (`case.document_printed`) as taken by `by`."""
    if kind not in documents.NOTICE_TITLES:
        raise NotFound(_("没有这种文书"), fields={"kind": "unknown"})
    try:
        pdf, filename = documents.render_case_notice(case, kind)
    except DomainError:
        raise NotFound(_("本办件没有这份文书"), fields={"kind": kind}) from None
    services.record_document_printed(case, by=by, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(), filename=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
