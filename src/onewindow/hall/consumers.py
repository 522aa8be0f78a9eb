"""WebSocket consumers: the hall's display board (大屏) and a window's own screen (窗口屏)."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from onewindow.catalog.models import Hall
from onewindow.hall import board, selectors
from onewindow.hall.models import Window


class _LiveConsumer(AsyncJsonWebsocketConsumer):
    """Joins one group, sends a snapshot on connect, then relays every committed event.

    Each subclass defines `async def load(self) -> dict | None`: it sets `self.group` and returns the
    snapshot, or None for an unknown hall or window (the socket is then closed with 4404).
    """

    group = ""

    async def connect(self):
        snapshot = await self.load()
        if snapshot is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(snapshot)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The page pings to notice dead connections; everything else from a public screen is ignored.
        if isinstance(content, dict) and content.get("kind") == "ping":
            await self.send_json({"kind": "pong"})

    async def hall_event(self, message):
        await self.send_json(message["event"])


class BoardConsumer(_LiveConsumer):
    async def load(self) -> dict | None:
        return await database_sync_to_async(self._snapshot)(self.scope["url_route"]["kwargs"]["hall"])

    def _snapshot(self, code: str) -> dict | None:
        hall = Hall.objects.select_related("service_point").filter(code=code).first()
        if hall is None:
            return None
        self.group = board.hall_group(hall.pk)
        return selectors.board_snapshot(hall)


class WindowScreenConsumer(_LiveConsumer):
    async def load(self) -> dict | None:
        return await database_sync_to_async(self._snapshot)(self.scope["url_route"]["kwargs"]["window"])

    def _snapshot(self, window_id: int) -> dict | None:
        window = Window.objects.select_related("current_ticket__category").filter(pk=window_id).first()
        if window is None:
            return None
        self.group = board.window_group(window.pk)
        return selectors.window_snapshot(window)
