from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "onewindow.forms"
    label = "forms"
    verbose_name = "电子申请表"

    def ready(self) -> None:
        from onewindow.forms import importexport, reactions

        reactions.connect()
        # The dictionary and the forms travel with the catalog's import and export (catalog.importexport.sections).
        importexport.register()
