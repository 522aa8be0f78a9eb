"""The merged form: a material several items ask for (same name or linked) is collected once and shared."""

import hashlib

import pytest

from onewindow.bundles import selectors, services
from onewindow.bundles.models import Package, PackageMaterial
from onewindow.bundles.tests.factories import PDF, apply, company, form_files, sub_case
from onewindow.cases.models import Case, CaseMaterial
from onewindow.core.errors import InvalidInput


def test_the_merged_form_lists_a_shared_material_once_with_every_item_that_needs_it(world):
    merged = {m.name: m for m in selectors.merged_materials(world.theme)}
    lease = merged["租赁合同"]
    assert sorted(e.item.implementation_code for e, _ in lease.entries) == [
        "HB-env", "PS-drain", "SC-licence", "WS-food"], "房屋租赁合同 is linked to 租赁合同"
    assert lease.shared
    assert "房屋租赁合同" not in merged
    assert merged["营业执照"].source == "government", "government-issued: fetched, not uploaded"


def test_one_upload_of_the_lease_reaches_every_sub_case_that_asks_for_it(world):
    package = apply(world)
    digest = hashlib.sha256(PDF + "租赁合同".encode()).hexdigest()
    holders = {m.case.item.implementation_code for m in CaseMaterial.objects.filter(sha256=digest)
               .select_related("case__item")}
    assert holders == {"SC-licence", "HB-env", "WS-food", "PS-drain"}
    assert PackageMaterial.objects.filter(package=package, name="租赁合同").count() == 1
    assert PackageMaterial.objects.get(package=package, name="租赁合同").case_materials.count() == 4
    assert CaseMaterial.objects.get(case=sub_case(package, "drain"), sha256=digest).name == "房屋租赁合同"


def test_applicant_data_is_entered_once_and_copied_to_every_sub_case(world):
    package = apply(world)
    names = set(Case.objects.filter(package_link__package=package).values_list("applicant_id_number", flat=True))
    assert names == {package.applicant_id_number}
    assert package.applicant_name == company(1).name


def test_a_material_that_is_not_on_the_form_is_refused_and_nothing_is_created(world):
    files = form_files() + [services.PackageFile("不存在的材料", PDF, "x.pdf")]
    with pytest.raises(InvalidInput) as caught:
        services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(), channel="online",
                                 materials=files)
    assert "不存在的材料" in caught.value.message
    assert Package.objects.count() == 0 and Case.objects.count() == 0


def test_a_government_issued_material_cannot_be_uploaded(world):
    files = [services.PackageFile("营业执照", PDF, "licence.pdf")]
    with pytest.raises(InvalidInput):
        services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(), channel="online",
                                 materials=files)
    assert Package.objects.count() == 0
