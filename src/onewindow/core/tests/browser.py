"""What the browser tests share: Debian's Chromium, an ASGI server in the test process, axe-core.

A pytest plugin (named in the root conftest) for its fixtures."""

from __future__ import annotations

import importlib.util
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
# axe-core as shipped inside a PyPI package (a dev dependency), so `uv run pytest` needs nothing else.
AXE_SCRIPT = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (CI installs it)")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture
def screenshots() -> Path:
    """A folder for the screenshots a failing browser test leaves for inspection."""
    return Path(tempfile.mkdtemp(prefix="onewindow-browser-"))


@pytest.fixture
def short_lived_connections(monkeypatch):
    """The server's threads close their database connections after each request, so teardown can drop the DB."""
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


@contextmanager
def screenshots_on_failure(pages: dict, folder: Path) -> Iterator[None]:
    """When the block fails, leave a full-page screenshot of each named page under `folder`."""
    try:
        yield
    except BaseException:
        for name, page in pages.items():
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        print(f"screenshots saved under {folder}")
        raise


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _asgi_app():
    """The project's own ASGI application (settings.ASGI_APPLICATION), serving static files as well."""
    from django.conf import settings
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.utils.module_loading import import_string

    return ASGIStaticFilesHandler(import_string(settings.ASGI_APPLICATION))


class AsgiServer:
    """uvicorn in a thread, in this process, so it shares the test database (and the in-memory channel layer)."""

    def __init__(self, port: int):
        import uvicorn

        self.port = port
        self.server = uvicorn.Server(uvicorn.Config(_asgi_app(), host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="off", ws="websockets-sansio"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> AsgiServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the ASGI test server did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A and AA rules on the loaded page; each violation as {id, help, targets}."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [{"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]


def log_in(page, base: str, username: str, *, next_path: str, password: str = "pass-word-123") -> None:
    """Sign in through the login form, asking to come back to `next_path`."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
