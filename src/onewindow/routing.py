"""WebSocket routes of every app; each app that pushes live pages adds its own list here."""

from onewindow.hall.routing import websocket_urlpatterns as hall_websockets

websocket_urlpatterns: list = [*hall_websockets]
