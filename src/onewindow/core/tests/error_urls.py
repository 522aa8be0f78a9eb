"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.urls import path

from onewindow.core.errors import Conflict, NotAuthenticated
from onewindow.urls import handler400, handler403, handler404, handler500  # noqa: F401 (Django reads them here)
from onewindow.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("a bug in a view")


def conflict(request):
    raise Conflict("办件已被他人更新")


def needs_sign_in(request):
    raise NotAuthenticated("需要登录")


def broken_context_processor(request):
    raise RuntimeError("a broken context processor")


urlpatterns = [
    path("test/crash/", crash),
    path("api/v1/test/crash", crash),
    path("test/conflict/", conflict),
    path("test/sign-in/", needs_sign_in),
    *project_urlpatterns,
]
