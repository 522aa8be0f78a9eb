"""The project's URLs plus views that fail on purpose, for the error page tests."""

from importlib import import_module

from django.urls import include, path

from onewindow.core.errors import Conflict, NotAuthenticated

# The project's URLconf, loaded by name as Django loads a root URLconf; its error handlers are the ones tested.
project = import_module("onewindow.urls")
handler400, handler403, handler404, handler500 = (project.handler400, project.handler403, project.handler404,
                                                  project.handler500)


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
    path("", include(project)),
]
