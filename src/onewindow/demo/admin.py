from django.contrib import admin

from onewindow.demo.models import DemoSeed


@admin.register(DemoSeed)
class DemoSeedAdmin(admin.ModelAdmin):
    """Read-only: what `onewindow demo` seeded and with which seed."""

    list_display = ("part", "seed", "created_at")
    readonly_fields = ("part", "seed", "summary", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
