from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "onewindow.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from onewindow.workdays import signals  # noqa: F401

        post_migrate.connect(_seed_calendar, sender=self)


def _seed_calendar(sender, using="default", **kwargs) -> None:
    """After every migrate (and test flush), load the years the chinesecalendar package covers."""
    from onewindow.workdays.services import seed_from_package

    seed_from_package()
