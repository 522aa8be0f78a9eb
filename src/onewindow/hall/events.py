"""Live events for the display board and the window screens, sent only after the transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def hall_group(hall_id: int) -> str:
    return f"hall.{hall_id}"


def window_group(window_id: int) -> str:
    return f"window.{window_id}"


def call_phrase(number: str, window_number: str) -> str:
    """The sentence the board speaks (普通话): 请 A001 号到 5 号窗口办理."""
    return f"请 {number} 号到 {window_number} 号窗口办理"


async def _send_all(layer: Any, groups: list[str], message: dict) -> None:
    for group in groups:
        await layer.group_send(group, message)


def _send(groups: list[str], build: Any) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        payload = build() if callable(build) else build
        async_to_sync(_send_all)(layer, groups, {"type": "hall.event", "event": payload})
    except Exception:  # a board that cannot be told must never undo a committed call
        logger.exception("hall event could not be sent to %s", groups)


def send_on_commit(groups: list[str], build: Any) -> None:
    """Queue an event; `build` (a dict or a callable making one) runs after commit, so it sees committed rows."""
    transaction.on_commit(lambda: _send(groups, build))
