from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "onewindow.hall"
    label = "hall"
    verbose_name = "服务大厅"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.hall import board

        board.connect()
