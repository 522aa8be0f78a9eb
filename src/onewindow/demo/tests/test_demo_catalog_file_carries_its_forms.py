"""The demo district's catalog, with the application forms seeded on it, exports to a file (JSON and XLSX) that an
empty database imports back to the same export: every form the demo declares travels with the catalog file."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from onewindow.cases.tests.factories import at
from onewindow.catalog.importexport import catalog_to_xlsx, export_catalog, import_catalog, xlsx_to_catalog
from onewindow.catalog.models import ServiceItem
from onewindow.demo import services
from onewindow.demo.forms_data import theme_item_names, top_item_names
from onewindow.forms.models import DataElement, FormVersion

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


@pytest.fixture
def exported(calendar_loaded, settings):
    """The export of the demo district with its forms, the database left empty again."""
    from onewindow.demo.district import build_district

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        with time_machine.travel(at("2025-11-20", 17), tick=False), transaction.atomic():
            from onewindow.catalog.importexport import write_catalog

            write_catalog(build_district(2018), by=None)
            services.seed_forms.act("forms", [*top_item_names(), *theme_item_names()], seed=2018)
            data = export_catalog()
            raise _Rollback
    except _Rollback:
        pass
    assert ServiceItem.objects.count() == FormVersion.objects.count() == DataElement.objects.count() == 0
    return data


def test_the_demo_catalog_with_its_forms_round_trips_through_json_and_xlsx(exported):
    assert len(exported["forms"]) == 25 and exported["data_elements"]

    data, _, problems = xlsx_to_catalog(catalog_to_xlsx(exported))
    assert problems == []
    assert data == exported

    import_catalog(data)
    assert export_catalog() == exported
