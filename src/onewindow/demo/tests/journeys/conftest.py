"""The journeys' shared site: per module, one ASGI server and one Chromium; per journey, a world built through
the services in the test database (flushed after each journey, as pytest-django does for transactional tests).

A journey module marks its tests `browser` and `django_db(transaction=True)` (the server's threads must see what
the test writes), asks for `site` (the running site), `calendar` (the working days of last year to next year)
and `audit` (what axe-core and the language check found along the journey, asserted once at its end).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from onewindow.core.tests.browser import AsgiServer, free_port, launch_chromium, require_chromium
from onewindow.demo.tests.journeys.walk import Audit, Site


@pytest.fixture(scope="module")
def site():
    """The site served for one module: media in a temporary folder, uvicorn in a thread, one headless Chromium."""
    require_chromium()
    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings
    from playwright.sync_api import sync_playwright

    media = Path(tempfile.mkdtemp(prefix="onewindow-journey-media-"))
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": str(media)}}}
    with pytest.MonkeyPatch.context() as patch, override_settings(MEDIA_ROOT=media, STORAGES=storages):
        # The server's threads close their connections after each request, so the flush after a journey can run.
        patch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
        # A journey drives the browser and the services from one thread, and Playwright's loop runs in it.
        patch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        server = AsgiServer(free_port()).start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                with closing(browser):
                    yield Site(base=f"http://127.0.0.1:{server.port}", browser=browser,
                               screenshots=Path(tempfile.mkdtemp(prefix="onewindow-journey-")))
        finally:
            server.stop()


@pytest.fixture
def calendar(transactional_db):
    """The working-day calendar of last year, this year and next year."""
    from onewindow.workdays.services import seed_from_package

    year = dt.date.today().year
    seed_from_package(years=[year - 1, year, year + 1])


@pytest.fixture
def audit() -> Audit:
    return Audit()
