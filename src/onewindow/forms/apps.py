from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "onewindow.forms"
    label = "forms"
    verbose_name = "电子申请表"

    def ready(self) -> None:
        from onewindow.forms import reactions

        reactions.connect()
