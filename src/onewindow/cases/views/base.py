"""What the case pages share: posting a form to its one service call, and one page of a long list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from onewindow.cases.forms.base import ServiceForm
from onewindow.core.errors import DomainError

PAGE_SIZE = 50


class Posted(NamedTuple):
    """What became of a posted form: done with the service's result, or not, with the status to answer."""

    done: bool
    result: Any
    status: int


def post(form: ServiceForm, call: Callable[[], Any]) -> Posted:
    """Validate `form`, then make its one service call; a refusal is shown on the form, with the error's status
    (an invalid form is 422)."""
    if not form.is_valid():
        return Posted(False, None, 422)
    try:
        return Posted(True, call(), 200)
    except DomainError as error:
        form.add_service_error(error)
        return Posted(False, None, error.status)


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """The page of `queryset` that `?page=` asks for (the first, or the last when beyond it)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
