"""API authentication: `Authorization: Bearer <token>` (stored hashed) or the page session."""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

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
    """The signed-in page session; CSRF is checked for unsafe methods, as for forms."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api_auth = [BearerAuth(), SessionAuth()]


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)
