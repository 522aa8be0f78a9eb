"""Composable acts of the shared kernel (run inside a caller's transaction): accounts and API tokens.
`core.services` publishes the ones people perform."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from onewindow.core import audit
from onewindow.core.auth import digest_token, new_token_value
from onewindow.core.errors import InvalidInput, NotFound, PermissionDenied
from onewindow.core.identity import canonical_number, normalize_mobile
from onewindow.core.kit import composable, require_text
from onewindow.core.models import ApiToken, Role, User


@composable
def create_user(
    *, username: str, role: str, by: Any, display_name: str = "", email: str = "", mobile: str = "",
    password: str | None = None, superuser: bool = False, extra: dict[str, Any] | None = None,
) -> User:
    """Create an account (用户) with a role; no password (None) means it cannot sign in with one.

    Audited as `user.create` with `extra` added to the event (e.g. the department a caller assigns next).
    Raises InvalidInput (422) for an empty or taken username, an unknown role or a mobile that is not one
    (kept in its canonical ASCII form, `core.identity.normalize_mobile`).
    """
    username = require_text(username, "username", "用户名", 150)
    mobile = normalize_mobile(mobile) if canonical_number(mobile or "") else ""
    if role not in Role.values:
        raise InvalidInput(f"角色“{role}”无效", fields={"role": "choice"})
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名“{username}”已被使用", fields={"username": "taken"})
    user = User(username=username, role=role, display_name=display_name, email=email, mobile=mobile,
                is_staff=superuser, is_superuser=superuser)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    # The first administrator of a new installation creates itself.
    actor = by if by is not None or not superuser else user
    audit.record("user.create", obj=user, by=actor, after={"username": username, "role": role, "superuser": superuser, **(extra or {})})
    return user



def _require_token_manager(by: Any, owner: User) -> None:
    """A token is managed by its owner or the center's administrators; `by=None` is the system (the command line)."""
    if by is None or getattr(by, "is_superuser", False) or getattr(by, "role", None) == Role.ADMIN:
        return
    if getattr(by, "is_authenticated", False) and by.pk == owner.pk:
        return
    raise PermissionDenied("只有令牌所有人或中心管理员可以管理该令牌")


@composable
def create_token(user: User, *, name: str = "", by: User | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token (API令牌); the plain value is returned once and only its hash is kept."""
    _require_token_manager(by, user)
    value = new_token_value()
    token = ApiToken.objects.create(user=user, name=name, prefix=value[:8], digest=digest_token(value))
    audit.record("token.create", obj=token, by=by, after={"user": user.username, "prefix": token.prefix})
    return token, value


@composable
def revoke_tokens(tokens: Iterable[ApiToken], *, by: User | None = None) -> int:
    """Revoke these tokens (吊销令牌), each audited; those already revoked stay as they are. Returns how many."""
    rows = list(ApiToken.objects.select_for_update().select_related("user")
                .filter(pk__in=[token.pk for token in tokens], revoked_at__isnull=True).order_by("pk"))
    now = timezone.now()
    for token in rows:
        _require_token_manager(by, token.user)
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record("token.revoke", obj=token, by=by, before={"revoked": False}, after={"revoked": True})
    return len(rows)


@composable
def revoke_token(prefix_or_value: str, *, by: User | None = None) -> int:
    """Revoke a token by its full value or its 8-character prefix; returns how many were revoked.

    Raises NotFound (404) when no unrevoked token matches.
    """
    rows = ApiToken.objects.filter(revoked_at__isnull=True)
    if len(prefix_or_value) > 8:
        rows = rows.filter(digest=digest_token(prefix_or_value))
    else:
        rows = rows.filter(prefix=prefix_or_value)
    count = revoke_tokens(rows, by=by)
    if not count:
        raise NotFound("没有找到未吊销的该令牌")
    return count
