"""Which language a request is answered in: pages by the visitor's choice, the API by its request header.

- **Pages** are Chinese (`LANGUAGE_CODE`, zh-hans) whatever the browser asks; English is chosen with the
  language switch (Django's `set_language` view, which keeps the choice in the language cookie).
- **The API** (`/api/v1/`) answers in the language of `Accept-Language` (en → English messages, anything else
  → Chinese); without the header, the language cookie, then Chinese. Error codes never change with language.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def supported(code: str | None) -> str | None:
    """The site's language for a language code (`en-GB` → `en`, `zh-CN` → `zh-hans`), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_of_header(request: HttpRequest) -> str | None:
    """The first language of `Accept-Language` the site speaks, or None (no header, `*`, none spoken)."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            return None
        if language := supported(code):
            return language
    return None


def language_chosen(request: HttpRequest) -> str | None:
    """The language the visitor chose with the switch (the language cookie), or None."""
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def request_language(request: HttpRequest) -> str:
    """The language the request is answered in (see the module's rule)."""
    if request.path_info.startswith(API_PREFIX):
        return language_of_header(request) or language_chosen(request) or settings.LANGUAGE_CODE
    return language_chosen(request) or settings.LANGUAGE_CODE


class LanguageByChoice:
    """Activates `request_language` for the request (in place of Django's LocaleMiddleware, which would follow
    the browser's Accept-Language on pages too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        else:
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ChineseData(str):
    """A text that is Chinese data, not the page's words (a material's, an item's or a person's name): a page in
    English shows it as it is, marked lang="zh-Hans"."""


class MarksChineseData:
    """A choice widget whose options holding `ChineseData` labels carry lang="zh-Hans"."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if isinstance(label, ChineseData):
            option["attrs"] = {**option["attrs"], "lang": "zh-Hans"}
        return option


# Named as Django's own widgets, so that a bound field's `widget_type` (which templates branch on) stays the same.
class Select(MarksChineseData, forms.Select):
    pass


class CheckboxSelectMultiple(MarksChineseData, forms.CheckboxSelectMultiple):
    pass


DataSelect, DataCheckboxes = Select, CheckboxSelectMultiple


def in_chinese(text) -> str:
    """A translatable label as Chinese, whatever the request's language: for what is kept or sent (notifications
    to applicants, legal documents), which are written in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
