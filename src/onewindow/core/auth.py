"""API authentication: `Authorization: Bearer <token>` (stored hashed) or the page session.

A token's account is held per process (`core.cache`): a request with a known token costs no SQL. Revoking a
token, deactivating or changing an account, or changing a row tied one-to-one to it (the department a clerk works
for) is a write of those models: every process drops the tokens it holds at once (`forget_tokens`, connected in
`CoreConfig.ready`; the cache reads the shared generation on every request, `recheck=0`), so a revoked token or a
deactivated account is refused from the next request on. The token's
`last_used_at` is written at most once a minute, by one process only (the shared cache says which).
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from onewindow.core.cache import ProcessCache
from onewindow.core.errors import ErrorCode, PermissionDenied
from onewindow.core.kit import is_signed_in
from onewindow.core.models import ApiToken, User

TOKEN_PREFIX = "ow_"
# How often a token's `last_used_at` is written while it is in use (seconds).
TOUCH_SECONDS = 60


def digest_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class _HeldToken:
    token_id: int
    user: User
    last_used_at: datetime | None


# Valid tokens by digest; an unknown or refused token is never held (it is looked up again each time). A change
# counts in every process from the next request: the shared generation is read on every read (`recheck=0`).
_tokens = ProcessCache("core.tokens", ttl=60, recheck=0, keep_none=False)


def _account_rows() -> list[str]:
    """The rows tied one-to-one to an account (a clerk's department assignment), read with it in one statement:
    whoever reads them from the account (`catalog.selectors.department_id_of`) then costs no statement."""
    return [f"user__{rel.name}" for rel in User._meta.related_objects if rel.one_to_one]


def _load(digest: str) -> _HeldToken | None:
    row = (
        ApiToken.objects.select_related("user", *_account_rows())
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return _HeldToken(row.pk, row.user, row.last_used_at) if row is not None else None


def user_for_token(token: str) -> User | None:
    """The active account of an unrevoked token (a copy of its own for this request), or None."""
    digest = digest_token(token)
    held = _tokens.get(digest, lambda: _load(digest))
    if held is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client does not write on every request, nor every worker each minute.
    if held.last_used_at is None or (now - held.last_used_at).total_seconds() > TOUCH_SECONDS:
        held.last_used_at = now
        if cache.add(f"onewindow.token.touched.{held.token_id}", 1, TOUCH_SECONDS):
            ApiToken.objects.filter(pk=held.token_id).update(last_used_at=now)
    return copy.copy(held.user)


def forget_tokens(**kwargs: Any) -> None:
    """Every process drops the tokens it holds (a token, an account or a row tied to an account was written).
    A signal receiver: an account's save that only stamps its sign-in (`last_login`) changes nothing here."""
    update_fields = kwargs.get("update_fields")
    if kwargs.get("sender") is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _tokens.forget()


def connect_token_invalidation() -> None:
    """Drop held tokens on every save or delete of a token, an account, or a row tied one-to-one to an account
    (called from `CoreConfig.ready`, once every model is loaded)."""
    from django.db.models.signals import post_delete, post_save

    models = [ApiToken, User, *(rel.related_model for rel in User._meta.related_objects if rel.one_to_one)]
    for model in models:
        post_save.connect(forget_tokens, sender=model, dispatch_uid=f"core.auth.forget.save.{model._meta.label}")
        post_delete.connect(forget_tokens, sender=model, dispatch_uid=f"core.auth.forget.delete.{model._meta.label}")


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
