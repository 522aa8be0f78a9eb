"""`core.live`: messages to the pages that listen. Under the ASGI server an act's request hands its messages to the
server's loop and goes on; the loop sends them in the order they were handed over; one that fails is logged and
the next still goes. Without a server loop (commands, workers, tests) `send` waits until they are sent."""

import asyncio
import logging
import threading

import pytest

from onewindow.core import live


class Layer:
    def __init__(self, fail_on: str | None = None, delay: float = 0.0):
        self.fail_on, self.delay = fail_on, delay
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if group == self.fail_on:
            raise ConnectionError("the channel layer is unreachable")
        self.sent.append((group, message))


@pytest.fixture
def server_loop():
    """A running event loop in a thread of its own, as the ASGI server's, told to `core.live`."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    live.serve_on(loop)
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
    live._server = None


def _drained(loop) -> None:
    async def wait():
        while live._pending or (live._sender is not None and not live._sender.done()):
            await asyncio.sleep(0.001)

    asyncio.run_coroutine_threadsafe(wait(), loop).result(5)


def test_without_a_server_loop_send_waits_until_every_group_has_it(monkeypatch):
    layer = Layer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    live.send(["hall.1", "window.2"], {"type": "hall.event", "event": {"kind": "call"}})
    assert [group for group, _ in layer.sent] == ["hall.1", "window.2"]


def test_under_the_server_send_returns_at_once_and_the_loop_sends_in_order(monkeypatch, server_loop):
    layer = Layer(delay=0.01)
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    for n in range(5):
        live.send([f"hall.{n}"], {"type": "hall.event", "event": {"n": n}})
    assert len(layer.sent) < 5, "the request did not wait for the sending"
    _drained(server_loop)
    assert [message["event"]["n"] for _, message in layer.sent] == [0, 1, 2, 3, 4]


def test_a_message_that_cannot_be_sent_is_logged_and_the_next_still_goes(monkeypatch, server_loop, caplog):
    layer = Layer(fail_on="hall.broken")
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    with caplog.at_level(logging.ERROR, logger="onewindow.core.live"):
        live.send(["hall.broken"], {"type": "hall.event", "event": {"n": 1}})
        live.send(["hall.ok"], {"type": "hall.event", "event": {"n": 2}})
        _drained(server_loop)
    assert layer.sent == [("hall.ok", {"type": "hall.event", "event": {"n": 2}})]
    assert any("hall.broken" in record.getMessage() for record in caplog.records)


def test_without_a_channel_layer_nothing_is_sent(monkeypatch):
    monkeypatch.setattr(live, "get_channel_layer", lambda: None)
    live.send(["hall.1"], {"type": "hall.event", "event": {}})  # no error, nobody listens
