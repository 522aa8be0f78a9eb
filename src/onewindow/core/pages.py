"""Who may open a page: one set of access decorators for every app's views.

A stranger is sent to sign in (302 to the login page, back here afterwards); a signed-in person whose
account may not use the page gets the 403 page (`PermissionDenied`, rendered by `core.error_pages`).
Which particular objects a person may see is the selectors' business: outside their scope is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Container
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.kit import is_signed_in
from onewindow.core.models import STAFF_ROLES, Role

View = Callable[..., HttpResponse]

# 电子监察: the supervision boards are for the center's supervisors and admins and the departments' leaders.
SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.LEADER})


def has_role(user, roles: Collection[str], *, superuser: bool = True) -> bool:
    """Whether a signed-in, active `user` holds one of `roles` (a superuser counts unless `superuser=False`)."""
    if not is_signed_in(user):
        return False
    return user.role in roles or (superuser and user.is_superuser)


def signed_in(view: View) -> View:
    """Signed-in people only; a stranger signs in first and comes back to this page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def role_required(roles: Collection[str], *, message: str | Promise, superuser: bool = True) -> Callable[[View], View]:
    """Signed-in people holding one of `roles`; anyone else signed in gets the 403 page saying `message`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, roles, superuser=superuser):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return signed_in(wrapper)

    return decorator


staff_required = role_required(STAFF_ROLES, message=_("此页面仅对中心和部门工作人员开放"))
staff_required.__doc__ = """Center and department staff (every role but citizen), and superusers."""

citizen_required = role_required({Role.CITIZEN}, message=_("网上申报和“我的办件”仅对群众账号开放"), superuser=False)
citizen_required.__doc__ = """Citizens' own accounts only: staff apply at the window, not as applicants."""

supervision_required = role_required(SUPERVISION_ROLES, message=_("电子监察仅对中心督查人员和部门负责人开放"))
supervision_required.__doc__ = """The supervision boards (电子监察): supervisors, admins and department leaders."""


def action_address(actions: Container[str], *, method: str = "POST") -> Callable[[View], View]:
    """An action's address (`…/<action>/`, the view taking `action`): an action not among `actions` is the 404
    page whatever the method, as any unknown address is; a known one takes `method` only (405 with `Allow`)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, action: str, **kwargs) -> HttpResponse:
            if action not in actions:
                raise NotFound(gettext("没有这个操作"))
            if request.method != method:
                return HttpResponseNotAllowed([method])
            return view(request, *args, action=action, **kwargs)

        return wrapper

    return decorator
