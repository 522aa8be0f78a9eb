from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onewindow.catalog"
    label = "catalog"
    verbose_name = "事项清单"

    def ready(self) -> None:
        from onewindow.catalog import models
        from onewindow.core.cache import invalidate_on_change

        # Rows kept in each process (`catalog.selectors.kept_item`, `department_id_of`…) are dropped on every
        # save or delete of them; `InvalidatingQuerySet` sees the writes that send no signal.
        invalidate_on_change(models.CACHE_NAMESPACE, [models.ServicePoint, models.Department, models.StaffAssignment, models.ServiceItem,
                                                      models.ItemVersion, models.Material, models.Step])
