from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from onewindow.cases import ticker

        if ticker.should_autostart():
            ticker.start_embedded_ticker()
