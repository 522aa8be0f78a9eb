from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "onewindow.hall"
    label = "hall"
    verbose_name = "服务大厅"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.hall import board

        board.connect()

        from onewindow.hall.selectors.configuration import connect_configuration_cache

        # The hall, its rules, categories and windows are held per process until one of them is written.
        connect_configuration_cache()

        from onewindow.hall.acts.calendar import on_calendar_changed
        from onewindow.workdays.events import calendar_changed

        # Inside the holiday edit's transaction: no live booking stays on a day the hall is now closed.
        calendar_changed.connect(on_calendar_changed, uid="hall.calendar_changed")
