from django.contrib import admin

from onewindow.core.admin import ReadOnlyAdmin
from onewindow.demo.models import DemoSeed


@admin.register(DemoSeed)
class DemoSeedAdmin(ReadOnlyAdmin):
    """What `onewindow demo` seeded and with which seed (the demo's own record: deleting it would seed twice)."""

    list_display = ("part", "seed", "created_at")
