import pytest

from onewindow.catalog import services
from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.models import ItemVersion, ServiceItem
from onewindow.catalog.tests.factories import ServiceItemFactory, UserFactory, catalog_data
from onewindow.core.errors import PermissionDenied
from onewindow.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return UserFactory(username="clerk", role=Role.CLERK, is_staff=False, is_superuser=False)


def test_a_window_clerk_cannot_open_or_publish_a_draft(clerk, editor):
    item = ServiceItemFactory()
    with pytest.raises(PermissionDenied):
        services.start_draft(item, by=clerk)

    draft = services.start_draft(item, by=editor)
    with pytest.raises(PermissionDenied):
        services.publish_version(draft, by=clerk, reason="越权发布")

    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.DRAFT


def test_a_window_clerk_cannot_import_a_catalog(clerk):
    with pytest.raises(PermissionDenied):
        import_catalog(catalog_data(1), by=clerk)

    assert not ServiceItem.objects.exists()


def test_a_center_admin_who_is_not_a_superuser_can_publish():
    admin = UserFactory(username="center-admin", role=Role.ADMIN, is_superuser=False)
    item = ServiceItemFactory()

    draft = services.start_draft(item, by=admin)
    services.publish_version(draft, by=admin, reason="调整材料")

    item.refresh_from_db()
    assert item.published_version_id == draft.pk
