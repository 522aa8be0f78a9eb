from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onewindow.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from onewindow.core.auth import connect_token_invalidation

        # A revoked token or a deactivated account stops working at once, in every process.
        connect_token_invalidation()
