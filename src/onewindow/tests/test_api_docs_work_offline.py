"""The API docs (`/api/v1/docs`) work on a network cut off from the internet: the page names no outside host, and
every script, style sheet and icon it loads is one of the site's own static files, served."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.test import Client, RequestFactory

ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def page() -> str:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


def test_the_docs_page_names_no_outside_host(page):
    outside = [url for url in re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) if urlsplit(url).netloc]
    assert outside == [], f"the docs page loads from another host: {outside}"
    assert "cdn" not in page.lower(), "the docs page still mentions a CDN"


def test_the_swagger_ui_asks_no_online_validator(page):
    settings_json = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', page, re.S)
    assert settings_json, "the Swagger UI settings are missing from the page"
    assert json.loads(settings_json.group(1))["validatorUrl"] is None


def test_every_script_and_style_sheet_of_the_docs_is_served_by_the_site(page):
    assets = ASSET.findall(page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for url in assets:
        path = urlsplit(url).path
        assert path.startswith("/static/"), f"{url} is not one of the site's static files"
        relative = path.removeprefix("/static/")
        assert finders.find(relative), f"{relative} is not found by the static files finders"
        # What `onewindow demo` (runserver --insecure) and collectstatic serve.
        response = serve(RequestFactory().get(path), relative, insecure=True)
        assert response.status_code == 200, url
