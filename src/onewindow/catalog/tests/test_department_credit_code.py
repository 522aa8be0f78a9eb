"""A department's 统一社会信用代码 is checked (GB 32100-2015) and kept in its canonical form, whether it comes from a
catalog file or from the reference-data service (issue 10 §2)."""

import pytest

from onewindow.catalog import services
from onewindow.catalog.importexport import CatalogFileInvalid, import_catalog
from onewindow.catalog.models import Department
from onewindow.catalog.tests.factories import catalog_data
from onewindow.core.errors import InvalidCreditCode
from onewindow.core.tests.typed import full_width, with_invisibles

pytestmark = pytest.mark.django_db
CODE = "91350100M000100Y43"


@pytest.mark.parametrize("typed", [CODE.lower(), full_width(CODE.lower()), with_invisibles(full_width(CODE))])
def test_an_imported_credit_code_in_lower_case_or_full_width_is_stored_canonical(typed):
    data = catalog_data(1)
    data["departments"][0]["credit_code"] = typed
    import_catalog(data)
    assert Department.objects.get(code=data["departments"][0]["code"]).credit_code == CODE


def test_an_imported_credit_code_with_a_wrong_check_character_is_refused_naming_the_row():
    data = catalog_data(1)
    data["departments"][1]["credit_code"] = full_width("91350100M000100Y44")
    with pytest.raises(CatalogFileInvalid) as raised:
        import_catalog(data)
    assert raised.value.problems == ["departments[1]：credit_code：统一社会信用代码校验码错误"]
    assert not Department.objects.exists()


def test_the_reference_service_stores_a_department_credit_code_canonical_and_refuses_a_bad_one(editor):
    department = services.save_reference(Department(code="SCJ", name="区市场监督管理局",
                                                    credit_code=full_width(CODE.lower())), by=editor)
    assert Department.objects.get(pk=department.pk).credit_code == CODE
    with pytest.raises(InvalidCreditCode) as err:
        services.save_reference(Department(code="RSJ", name="区人力社保局", credit_code="9135010"), by=editor)
    assert err.value.fields == {"credit_code": "format"}
    assert not Department.objects.filter(code="RSJ").exists()
