"""A section of the catalog file that is not a list is named once, and nothing is written."""

import pytest

from onewindow.catalog.importexport import CatalogFileInvalid, import_catalog
from onewindow.catalog.models import Department
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db


def test_each_section_that_is_not_a_list_is_reported_once():
    data = catalog_data(2)
    data["items"], data["themes"] = "items", {"code": "restaurant"}

    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)

    assert raised.value.problems == ["items：应为列表 […]", "themes：应为列表 […]"]
    assert not Department.objects.exists()
