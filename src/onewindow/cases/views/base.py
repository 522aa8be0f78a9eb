"""What the case pages share: posting a form to its one service call, and one page of a long list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode

from onewindow.cases.actions import Action
from onewindow.cases.forms.base import ServiceForm
from onewindow.cases.models import Case
from onewindow.catalog.models import ItemVersion, Material
from onewindow.core import paging
from onewindow.core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from onewindow.core.models import User
from onewindow.forms.selectors import form_of, spec_of
from onewindow.forms.spec import FormSpec

PAGE_SIZE = 50


class Posted(NamedTuple):
    """What became of a posted form: done with the service's result, or not, with the status to answer."""

    done: bool
    result: Any
    status: int


def post(form: ServiceForm, call: Callable[[], Any], *, keep_files_for: User | None = None) -> Posted:
    """Validate `form`, then make its one service call; a refusal is shown on the form, with the error's status
    (an invalid form is 422). With `keep_files_for`, the files that person chose survive a refusal: kept files sent
    back are attached first, new ones are kept when the submit is refused, and a successful one consumes them."""
    if keep_files_for is not None:
        form.attach_kept_files(by=keep_files_for)
    posted = _validate_and_call(form, call)
    if keep_files_for is not None:
        if posted.done:
            form.consume_kept_files(by=keep_files_for)
        else:
            form.keep_chosen_files(by=keep_files_for)
    return posted


def _validate_and_call(form: ServiceForm, call: Callable[[], Any]) -> Posted:
    if not form.is_valid():
        return Posted(False, None, 422)
    try:
        return Posted(True, call(), 200)
    except DomainError as error:
        form.add_service_error(error)
        return Posted(False, None, error.status)


def refusal_of_the_moment(action: Action, case: Case, user: User) -> DomainError | None:
    """Who may act is checked before anything posted is read: a refusal of the person (403 a role or department
    that may never take the action, 404 a case outside their scope, 401) is raised, and the page edge answers it
    with its styled page — the form is not shown again. A refusal of the moment (409 the case moved on, 422 a rule
    such as a missing key material) is returned, for the page to show beside the case as it now stands."""
    refusal = action.refusal(case, user)
    if isinstance(refusal, PermissionDenied | NotFound | NotAuthenticated):
        raise refusal
    return refusal


def form_and_materials(version: ItemVersion) -> tuple[FormSpec | None, list[Material], Material | None]:
    """An intake page's application form (None without one), the materials it asks for, and the material the form
    stands for (the paper 申请书, filed from the answers as a generated PDF: not asked for) or None."""
    form = form_of(version)
    replaced = form.replaces if form is not None and form.replaces_id else None
    materials = [m for m in version.material_list if replaced is None or m.pk != replaced.pk]
    return (spec_of(form) if form is not None else None), materials, replaced


def errors_of(form: ServiceForm) -> str:
    """Every error of a refused form in one line, for a page that no longer shows the form."""
    return "；".join(str(error) for errors in form.errors.values() for error in errors)


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """The page of `queryset` that `?page=` asks for (the first, or the last when beyond it)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class CasesPage(NamedTuple):
    """One page of a list of cases on a page (keyset paging, `core.paging`): its rows, the query strings of the
    next and previous pages (empty at either end), and the list's length (exact when `count_exact`, else more)."""

    object_list: list[Any]
    next_query: str
    previous_query: str
    count: int
    count_exact: bool


def cases_page(request: HttpRequest, queryset: QuerySet, ordering: paging.Ordering) -> CasesPage:
    """The page of `queryset` that `?cursor=` asks for (the first without one), PAGE_SIZE rows, two statements
    whatever its depth; the links keep the page's other parameters. A cursor that is not one of this list's is a
    422 page (nothing is read). `?page=` of an earlier link is ignored: the first page."""
    kept = [(k, v) for k, v in request.GET.items() if k not in ("cursor", "page")]
    scope = urlencode([("path", request.path), *sorted(kept)])
    page = paging.keyset_page(queryset, ordering, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE,
                              scope=scope)

    def query(cursor: str | None) -> str:
        return "?" + urlencode([*kept, ("cursor", cursor)]) if cursor else ""

    return CasesPage(page.rows, query(page.next_cursor), query(page.previous_cursor), page.count, page.count_exact)
