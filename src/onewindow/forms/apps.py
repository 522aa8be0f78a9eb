from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "onewindow.forms"
    label = "forms"
    verbose_name = "电子申请表"

    def ready(self) -> None:
        from onewindow.catalog.models import CACHE_NAMESPACE
        from onewindow.core.cache import invalidate_on_change
        from onewindow.forms import importexport, models, reactions

        # A version's form is kept in each process with the catalog's rows (`forms.selectors.form_of`).
        invalidate_on_change(CACHE_NAMESPACE, [models.FormVersion, models.FormField, models.FormRule])

        reactions.connect()
        # The dictionary and the forms travel with the catalog's import and export (catalog.importexport.sections).
        importexport.register()
