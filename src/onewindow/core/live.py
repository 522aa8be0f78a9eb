"""Messages to the pages that listen — display boards, window screens (Channels groups) — from an act's
synchronous code, after it commits.

Under the ASGI server (`onewindow.asgi` tells this module its event loop, `serve_on`) a message is handed to the
server's loop and the request goes on at once: the loop sends the messages in the order the acts handed them over,
one after another, while the request thread answers its client. A message that fails to send is logged; a page that
missed messages gets the whole state again when it reconnects (its consumer's snapshot). Elsewhere — a management
command, a Celery worker, WSGI, the tests — `send` waits until the message is sent, as before.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# (process id, the ASGI server's event loop) once the server has called the application in this process.
_server: tuple[int, asyncio.AbstractEventLoop] | None = None
# Messages handed to the server's loop, not yet sent: (layer, groups, message). Touched only on that loop.
_pending: collections.deque[tuple[Any, list[str], dict[str, Any]]] = collections.deque()
_sender: asyncio.Task | None = None


def serve_on(loop: asyncio.AbstractEventLoop) -> None:
    """The ASGI server of this process runs on `loop` (called by `onewindow.asgi` for each connection)."""
    global _server
    if _server is None or _server[1] is not loop or _server[0] != os.getpid():
        _server = (os.getpid(), loop)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The server's running loop, if this process has one and the caller is not on it."""
    if _server is None or _server[0] != os.getpid():
        return None
    loop = _server[1]
    if loop.is_closed() or not loop.is_running() or getattr(loop, "_thread_id", None) == threading.get_ident():
        return None
    return loop


async def _send_all(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    for group in groups:
        await layer.group_send(group, message)


async def _send_pending() -> None:
    while _pending:
        layer, groups, message = _pending.popleft()
        try:
            await _send_all(layer, groups, message)
        except Exception:  # a page that missed it catches up on reconnecting; the act stands
            logger.exception("could not tell %s", groups)


def _hand_over(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    """On the server's loop: queue the message, and start the sender if it is not running."""
    global _sender
    _pending.append((layer, groups, message))
    if _sender is None or _sender.done():
        _sender = asyncio.get_running_loop().create_task(_send_pending())


def send(groups: list[str], message: dict[str, Any]) -> None:
    """Send `message` (a Channels message: {"type": handler name, …}) to each of `groups`. Without a channel
    layer nobody listens, and nothing is sent. Under the ASGI server, returns at once (see the module)."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    loop = _server_loop()
    if loop is not None:
        loop.call_soon_threadsafe(_hand_over, layer, list(groups), message)
        return
    async_to_sync(_send_all)(layer, list(groups), message)
