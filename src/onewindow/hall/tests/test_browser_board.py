"""Browser journey: the TV board is open; a clerk calls the next ticket from the window page; the board shows
the call within a second and speaks it; after the server restarts the board reconnects by itself."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _asgi_app():
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from onewindow.routing import websocket_urlpatterns

    return ProtocolTypeRouter({
        "http": ASGIStaticFilesHandler(get_asgi_application()),
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    })


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


@pytest.fixture
def screenshots():
    return Path(tempfile.mkdtemp(prefix="hall-browser-"))


@pytest.fixture
def short_lived_connections(monkeypatch):
    """The server's threads close their database connections after each request, so teardown can drop the DB."""
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_call_from_the_window_page_appears_on_the_board_and_is_spoken(screenshots, short_lived_connections):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (CI installs it)")
    from playwright.sync_api import expect, sync_playwright

    from onewindow.core.models import Role
    from onewindow.hall import services
    from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory

    hall = HallFactory(code="YZ-HALL")
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    UserFactory(username="clerk5", role=Role.CLERK)
    services.issue_ticket(category=category)
    services.issue_ticket(category=category)

    port = _free_port()
    server = AsgiServer(port).start()
    base = f"http://127.0.0.1:{port}"
    pages = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                board = pages["board"] = browser.new_page(viewport={"width": 1920, "height": 1080})
                board.goto(f"{base}/hall/{hall.code}/board/")
                expect(board.locator("#link-status.online")).to_be_visible(timeout=10_000)
                expect(board.locator("#waiting")).to_contain_text("2")

                clerk = pages["window"] = browser.new_page(viewport={"width": 390, "height": 844})
                clerk.goto(f"{base}/accounts/login/?next=/hall/window/{window.pk}/")
                clerk.fill("input[name=username]", "clerk5")
                clerk.fill("input[name=password]", "pass-word-123")
                clerk.click("button.primary")
                clerk.wait_for_url(f"**/hall/window/{window.pk}/")
                clerk.click("#call-next")
                expect(clerk.locator("#current-ticket")).to_have_text("A001")

                expect(board.locator('.call-row[data-ticket="A001"]')).to_be_visible(timeout=1_000)
                expect(board.locator('.call-row[data-ticket="A001"] .window-no')).to_contain_text("5")
                expect(board.locator("#banner")).to_have_text("请 A001 号到 5 号窗口办理")
                assert board.evaluate("window.hallAnnouncements") == ["请 A001 号到 5 号窗口办理"]
                expect(board.locator("#waiting")).to_contain_text("1")

                # A network drop: the server goes away and comes back; the board reconnects on its own.
                server.stop()
                expect(board.locator("#link-status.offline")).to_be_visible(timeout=10_000)
                server = AsgiServer(port).start()
                expect(board.locator("#link-status.online")).to_be_visible(timeout=20_000)
                clerk.click("#finish")
                clerk.click("#call-next")
                expect(board.locator('.call-row[data-ticket="A002"]')).to_be_visible(timeout=2_000)
            except BaseException:
                for name, page in pages.items():
                    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
                print(f"screenshots saved under {screenshots}")
                raise
            finally:
                browser.close()
    finally:
        server.stop()
