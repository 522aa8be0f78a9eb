"""The demo gives every licence-issuing item a validity, once, so the demo's issued licences have one."""

from onewindow.catalog.models import ItemVersion
from onewindow.licences.demo import seed_licences_demo
from onewindow.licences.models import Licence, LicenceTerm
from onewindow.licences.tests.factories import day, issued_licence


def test_the_demo_sets_the_validity_of_licence_issuing_items_once(world):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(result_type="许可证")
    ItemVersion.objects.filter(pk=world.item_b.published_version_id).update(result_type="批准文件")
    assert seed_licences_demo(seed=1) == {"terms": 1}
    assert seed_licences_demo(seed=1) == {"terms": 0}
    assert LicenceTerm.objects.get().validity_years == 5
    licence = issued_licence(world)
    assert Licence.objects.get(pk=licence.pk).valid_until == day("2030-08-31")
