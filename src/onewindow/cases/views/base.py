"""What the case pages share: one page of a long list."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """The page of `queryset` that `?page=` asks for (the first, or the last when beyond it)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
