"""Public catalog pages (事项清单、办事指南): server-rendered, no login, the same queries for 10 rows or 10,000."""

from __future__ import annotations

import segno
from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from onewindow.catalog import figures, selectors
from onewindow.catalog.models import Level, Theme
from onewindow.core.identity import clean_text
from onewindow.core.language import ChineseData, DataSelect
from onewindow.core.links import public_url

PAGE_SIZE = 20
MODE_CHOICES = [
    ("immediate", _("马上办")),
    ("online", _("网上办")),
    ("nearby", _("就近办")),
    ("one_visit", _("一次办")),
]


class ItemFilterForm(forms.Form):
    """The filters above the item list. An invalid filter is ignored rather than failing the page, except the
    keywords: a search that cannot be run (too long, a control character) shows its error and finds nothing — the
    whole catalog would read as "everything matches"."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def clean_q(self) -> str:
        """The keywords without invisible characters pasted at their ends; a control character (NUL) is refused."""
        value = clean_text(self.cleaned_data["q"])
        if any(ord(c) < 32 for c in value):
            raise forms.ValidationError(_("关键词含有控制字符，请重新输入"), code="control_character")
        return value
    department = forms.ChoiceField(label=_("部门"), required=False, widget=DataSelect)
    theme = forms.ChoiceField(label=_("一件事"), required=False, widget=DataSelect)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部"))] + list(Level.choices))
    mode = forms.ChoiceField(label=_("办理方式"), required=False, choices=[("", _("全部")), *MODE_CHOICES])
    type = forms.ChoiceField(label=_("事项类型"), required=False)

    def __init__(self, *args, departments=(), themes=(), item_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("全部"))] + [(d.code, ChineseData(d.name)) for d in departments]
        self.fields["theme"].choices = [("", _("全部"))] + [(t.code, ChineseData(t.name)) for t in themes]
        self.fields["type"].choices = [("", _("全部"))] + [(t.code, _(t.name)) for t in item_types]  # the national list of types, translated

    def values(self) -> dict[str, str]:
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    """Browse and search the published items (事项清单)."""
    departments = list(selectors.departments_with_counts())
    themes = list(Theme.objects.filter(published=True).order_by("code"))
    item_types = list(selectors.item_types())
    form = ItemFilterForm(request.GET or None, departments=departments, themes=themes, item_types=item_types)
    filters = form.values()
    searchable = "q" not in form.errors
    items = selectors.published_items(
        q=filters.get("q", ""),
        department=filters.get("department"),
        item_type=filters.get("type"),
        level=filters.get("level"),
        mode=filters.get("mode"),
        theme=filters.get("theme"),
    )
    page = _page(request, items if searchable else items.none())
    return render(request, "catalog/home.html", {"form": form, "page": page, "filtered": bool(filters)})


def department_list(request: HttpRequest) -> HttpResponse:
    """Every department and how many items it publishes."""
    return render(request, "catalog/department_list.html", {"departments": selectors.departments_with_counts()})


def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A department, its 三减 figures, the figures other apps keep about its items (减填写), its published items."""
    department = selectors.get_department(code)
    page = _page(request, selectors.published_items(department=department.code))
    reductions = selectors.summarize(selectors.item_reductions(department.items.all()))
    published = list(department.items.filter(published_version__isnull=False).values_list("pk", flat=True))
    # Beside 三减: what the apps above keep about the items (减填写 from cases), only where there is something.
    tables = [(table, figures.shown_rows(table)) for table in figures.item_figures(published) if table.rows]
    return render(
        request, "catalog/department_detail.html",
        {"department": department, "page": page, "reductions": reductions, "figure_tables": tables},
    )


def theme_list(request: HttpRequest) -> HttpResponse:
    """The 一件事 themes."""
    return render(request, "catalog/theme_list.html", {"themes": selectors.published_themes()})


def _qr_svg(url: str) -> str:
    """An inline SVG QR code (二维码) for the page's public address."""
    return segno.make(url, error="m").svg_inline(scale=4, title=url, svgclass="qr", lineclass="qr-line", omitsize=True)


def item_guide(request: HttpRequest, implementation_code: str) -> HttpResponse:
    """The guide page of an item (办事指南): every published element, materials, steps, a QR code back here."""
    item = selectors.get_published_item(implementation_code)
    url = public_url(reverse("catalog:item", args=[item.implementation_code]), request)
    return render(
        request,
        "catalog/item_guide.html",
        {"item": item, "version": item.published_version, "public_url": url, "qr_svg": mark_safe(_qr_svg(url))},
    )
