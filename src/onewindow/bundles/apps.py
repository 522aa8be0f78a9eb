from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "onewindow.bundles"
    label = "bundles"
    verbose_name = "一件事（并联审批、一链监管）"

    def ready(self) -> None:
        from onewindow.bundles import hooks

        # Webhook retries run from the beat schedule: Celery beat with Redis, the embedded scheduler without.
        hooks.connect()
