from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.urls import reverse

from onewindow.core.models import Role

# Where each role lands after signing in without a `next` (its workbench), as a URL name.
LANDING = {
    Role.CITIZEN: "cases:my_cases",
    Role.CLERK: "cases:workbench",
    Role.REVIEWER: "cases:workbench",
    Role.LEADER: "cases:workbench",
    Role.SUPERVISOR: "cases:board",
    Role.ADMIN: "cases:board",
}


def healthz(request):
    """Liveness for load balancers: the process answers and the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


class LoginView(auth_views.LoginView):
    """登录: a safe `next` is honoured; otherwise each person lands on their own workbench — a citizen on my cases,
    a clerk, reviewer or leader on the cases workbench (which links the hall's window consoles), a supervisor or
    the center's administrator on the supervision board (电子监察)."""

    def get_default_redirect_url(self) -> str:
        name = LANDING.get(getattr(self.request.user, "role", ""))
        return reverse(name) if name else super().get_default_redirect_url()
