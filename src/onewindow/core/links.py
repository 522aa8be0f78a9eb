"""Absolute addresses of the site (公网地址) for what leaves the page — the QR codes and links of guides, notices
(PDF) and ticket slips — so that they point where the site is actually served.

The base is, in order: `PUBLIC_BASE_URL` when set (production, behind a proxy); else the address the request being
answered came to (its scheme and validated `Host`, so a visitor who reached `http://192.168.1.5:8101` scans a code
that works for them); else, outside a request (a document rendered by a background job), the address the process
serves on, as `onewindow demo` records it (`remember_served_address`), or `http://127.0.0.1:8000`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_SERVED_ADDRESS = "http://127.0.0.1:8000"

_current_request: ContextVar[HttpRequest | None] = ContextVar("onewindow_current_request", default=None)
_served_address = DEFAULT_SERVED_ADDRESS


def served_address(host: str, port: int) -> str:
    """`http://host:port` of a server bound to `host` and `port`; a server bound to every address (0.0.0.0, ::)
    is reached on this machine at 127.0.0.1. An IPv6 host is bracketed."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def remember_served_address(address: str) -> None:
    """The address this process serves on, used for links made outside a request while `PUBLIC_BASE_URL` is
    unset (called by `onewindow demo` before it starts serving)."""
    global _served_address
    _served_address = address.rstrip("/")


def public_base_url(request: HttpRequest | None = None) -> str:
    """The site's base address without a trailing slash (see the module's rule); `request` defaults to the one
    being answered in this thread or task, if any."""
    configured = (settings.PUBLIC_BASE_URL or "").strip()
    if configured:
        return configured.rstrip("/")
    request = request or _current_request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return _served_address


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of the site's `path` (which starts with "/"), by `public_base_url`."""
    return public_base_url(request) + path


class RequestAddress:
    """Middleware: remembers the request being answered, so that a document rendered deep inside a service (a
    notice PDF) links back to the address the person reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
