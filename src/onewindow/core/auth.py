"""API authentication: `Authorization: Bearer <token>` (stored hashed) or the page session."""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from onewindow.core.errors import ErrorCode, PermissionDenied
from onewindow.core.kit import is_signed_in
from onewindow.core.models import ApiToken, User

TOKEN_PREFIX = "ow_"


def digest_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str) -> User | None:
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client should not write on every request.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in page session; its unsafe requests must carry the CSRF token, as the page forms do.

    A request without a signed-in session (no cookie, an expired or anonymous one) has no credentials here: it
    is answered 401 `not_authenticated`, never refused for CSRF. Only a signed-in session posting without a valid
    token is refused, 403 `csrf_failed`.
    """

    param_name = "sessionid"

    def __call__(self, request: HttpRequest) -> User | None:
        user = self.authenticate(request, request.COOKIES.get(self.param_name))
        if user is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise PermissionDenied(
                "页面会话的请求缺少有效的 CSRF 令牌：请在请求头 X-CSRFToken 中带上 csrftoken Cookie 的值，或改用 API 令牌",
                code=ErrorCode.CSRF_FAILED, fields={"X-CSRFToken": "invalid"})
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        return user if is_signed_in(user) else None


api_auth = [BearerAuth(), SessionAuth()]


def session_user(request: HttpRequest) -> User | None:
    """The signed-in page session's account for an endpoint open to everyone (`auth=None`) that acts differently
    for a signed-in user (hall staff, a 实名 citizen), or None without one. Its unsafe requests are held to the
    same CSRF rule as `SessionAuth`: without a valid token (a foreign page posting with the visitor's cookie) the
    request is refused 403 `csrf_failed`, never carried out anonymously or in the account's name."""
    return SessionAuth()(request)


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)
