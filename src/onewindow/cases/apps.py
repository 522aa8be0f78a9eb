from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from onewindow.cases.acts.calendar import on_calendar_changed
        from onewindow.workdays.events import calendar_changed

        # Inside the holiday edit's transaction: every stored working-day date agrees with the calendar at commit.
        calendar_changed.connect(on_calendar_changed, uid="cases.calendar_changed")

        from onewindow.cases.prefill import from_earlier_cases
        from onewindow.forms.models import DataElement
        from onewindow.forms.prefill import register

        # 减填写: an organisation's details as its latest case filed them.
        register(DataElement.Source.EARLIER_CASES, from_earlier_cases)

        from onewindow.cases.figures import FillFigureProvider
        from onewindow.catalog import figures

        # 减填写 beside the catalog's 三减 figures.
        figures.register(FillFigureProvider())
