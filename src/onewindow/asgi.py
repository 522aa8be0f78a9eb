"""ASGI entry: HTTP through Django, WebSockets (display boards) through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
django_asgi_app = get_asgi_application()

import asyncio  # noqa: E402

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from onewindow.core import live  # noqa: E402
from onewindow.routing import websocket_urlpatterns  # noqa: E402

_router = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)


async def application(scope, receive, send):
    """The router, after telling `core.live` the server's event loop (the boards' messages go out on it)."""
    live.serve_on(asyncio.get_running_loop())
    await _router(scope, receive, send)

from onewindow import scheduler  # noqa: E402

# One machine without Redis: the periodic jobs run beside the server that has just loaded this application.
if scheduler.should_autostart():
    scheduler.start_embedded_scheduler()
