from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "onewindow.bundles"
    label = "bundles"
    verbose_name = "一件事（并联审批、一链监管）"

    def ready(self) -> None:
        from onewindow.bundles import hooks, webhooks
        from onewindow.cases import ticker

        hooks.connect()
        if ticker.should_autostart():
            webhooks.start_embedded_retrier()
