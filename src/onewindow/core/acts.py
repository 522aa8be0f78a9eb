"""Composable acts of the shared kernel (run inside a caller's transaction)."""

from __future__ import annotations

from typing import Any

from onewindow.core import audit
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable, require_text
from onewindow.core.models import Role, User


@composable
def create_user(
    *, username: str, role: str, by: Any, display_name: str = "", email: str = "", mobile: str = "",
    password: str | None = None, superuser: bool = False, extra: dict[str, Any] | None = None,
) -> User:
    """Create an account (用户) with a role; no password (None) means it cannot sign in with one.

    Audited as `user.create` with `extra` added to the event (e.g. the department a caller assigns next).
    Raises InvalidInput (422) for an empty or taken username or an unknown role.
    """
    username = require_text(username, "username", "用户名", 150)
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

