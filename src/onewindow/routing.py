"""WebSocket routes of every app; each app that pushes live pages adds its own list here."""

websocket_urlpatterns: list = []
