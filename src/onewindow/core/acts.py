"""Composable acts of the shared kernel (run inside a caller's transaction): accounts and API tokens.
`core.services` publishes the ones people perform."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from onewindow.core import audit
from onewindow.core.auth import digest_token, new_token_value
from onewindow.core.errors import InvalidInput, NotFound, PermissionDenied
from onewindow.core.identity import (
    canonical_number,
    is_valid_credit_code,
    mask_identity,
    normalize_credit_code,
    normalize_identity_number,
    normalize_mobile,
)
from onewindow.core.kit import composable, require_text
from onewindow.core.models import ApiToken, Role, User


@composable
def create_user(
    *, username: str, role: str, by: Any, display_name: str = "", email: str = "", mobile: str = "",
    password: str | None = None, superuser: bool = False, extra: dict[str, Any] | None = None,
    identity_number: str = "",
) -> User:
    """Create an account (用户) with a role; no password (None) means it cannot sign in with one.

    `identity_number` is the holder's verified 居民身份证号码 (实名), checked by GB 11643 and audited masked only.

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
    number = normalize_holder_number(identity_number) if identity_number else ""
    user = User(username=username, role=role, display_name=display_name, email=email, mobile=mobile,
                identity_number=number, is_staff=superuser, is_superuser=superuser)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    # The first administrator of a new installation creates itself.
    actor = by if by is not None or not superuser else user
    audit.record("user.create", obj=user, by=actor, after={"username": username, "role": role, "superuser": superuser,
                                                           "identity": mask_identity(number), **(extra or {})})
    return user


def normalize_holder_number(value: str) -> str:
    """An account holder's verified number: a person's 居民身份证号码 (GB 11643), or for a legal person's account
    (法人账号) its 统一社会信用代码 (GB 32100). Raises InvalidIdentityNumber (422) when it is neither."""
    text = (value or "").strip().upper()
    if len(text) == 18 and not text[:17].isdigit() and is_valid_credit_code(text):
        return normalize_credit_code(text)
    return normalize_identity_number(text)


@composable
def set_verified_identity(user: User, *, identity_number: str, by: Any) -> User:
    """Record the account holder's verified identity number (实名认证), e.g. after checking the card at the window.

    Only the center's administrators (or the system, `by=None`) set it: a holder cannot claim another person's
    number. Raises PermissionDenied (403) for anyone else, InvalidIdentityNumber (422) for a bad number, and
    InvalidInput (422, `fields.identity_number` = taken) when another account already holds the number.
    """
    if by is not None and not (getattr(by, "is_superuser", False) or getattr(by, "role", None) == Role.ADMIN):
        raise PermissionDenied("只有中心管理员可以登记账号的实名身份")
    number = normalize_holder_number(identity_number)
    if User.objects.filter(identity_number=number).exclude(pk=user.pk).exists():
        raise InvalidInput("该身份证号已登记在另一个账号上", fields={"identity_number": "taken"})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = mask_identity(locked.identity_number)
    locked.identity_number = number
    locked.save(update_fields=["identity_number"])
    user.identity_number = number
    audit.record("user.verify_identity", obj=locked, by=by, before={"identity": before},
                 after={"identity": mask_identity(number)})
    return locked



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
