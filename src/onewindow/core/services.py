"""Core writes: API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.core import audit
from onewindow.core.auth import digest_token, new_token_value
from onewindow.core.errors import NotFound
from onewindow.core.models import ApiToken, User


@transaction.atomic
def create_token(user: User, *, name: str = "", by: User | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token; the plain value is returned once and only its hash is kept."""
    value = new_token_value()
    token = ApiToken.objects.create(user=user, name=name, prefix=value[:8], digest=digest_token(value))
    audit.record("token.create", obj=token, by=by, after={"user": user.username, "prefix": token.prefix})
    return token, value


@transaction.atomic
def revoke_token(prefix_or_value: str, *, by: User | None = None) -> int:
    """Revoke a token by its full value or its 8-character prefix; returns how many were revoked."""
    rows = ApiToken.objects.select_for_update().filter(revoked_at__isnull=True)
    if len(prefix_or_value) > 8:
        rows = rows.filter(digest=digest_token(prefix_or_value))
    else:
        rows = rows.filter(prefix=prefix_or_value)
    tokens = list(rows)
    if not tokens:
        raise NotFound("没有找到未吊销的该令牌")
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record("token.revoke", obj=token, by=by, before={"revoked": False}, after={"revoked": True})
    return len(tokens)
