import pytest

from onewindow.catalog import selectors, services
from onewindow.catalog.models import ItemVersion, ServiceItem
from onewindow.catalog.tests.factories import ServiceItemFactory
from onewindow.core.errors import Conflict

pytestmark = pytest.mark.django_db


def test_a_new_draft_copies_the_published_elements_materials_and_steps(editor):
    item = ServiceItemFactory(name="食品经营许可", publish__n_materials=3, publish__n_steps=2, publish__promised_days=7)

    draft = services.start_draft(item, by=editor)

    published = ItemVersion.objects.get(pk=item.published_version_id)
    assert draft.number == 2 and draft.status == ItemVersion.Status.DRAFT
    for name in selectors.ELEMENT_FIELDS:
        assert getattr(draft, name) == getattr(published, name), name
    assert [(m.order, m.name, m.form) for m in draft.materials.all()] == [
        (m.order, m.name, m.form) for m in published.materials.all()
    ]
    assert [(s.name, s.role, s.days) for s in draft.steps.all()] == [
        (s.name, s.role, s.days) for s in published.steps.all()
    ]
    assert selectors.draft_of(item) == draft


def test_an_item_has_at_most_one_draft(editor):
    item = ServiceItemFactory()
    services.start_draft(item, by=editor)

    with pytest.raises(Conflict, match="已有草稿"):
        services.start_draft(item, by=editor)

    assert item.versions.filter(status=ItemVersion.Status.DRAFT).count() == 1


def test_editing_the_draft_leaves_the_published_guide_as_it_was(editor):
    item = ServiceItemFactory(publish__n_materials=3)
    draft = services.start_draft(item, by=editor)

    services.update_draft(draft, by=editor, promised_days=5, materials=[{"name": "申请书"}])

    public = selectors.get_published_item(item.implementation_code).published_version
    assert public.promised_days == 10
    assert len(public.material_list) == 3
    draft.refresh_from_db()
    assert draft.promised_days == 5 and [m.name for m in draft.materials.all()] == ["申请书"]


def test_publishing_the_draft_replaces_the_public_version_and_keeps_the_old_one(editor):
    item = ServiceItemFactory()
    first = item.published_version_id
    draft = services.start_draft(item, by=editor)
    services.update_draft(draft, by=editor, promised_days=5)

    services.publish_version(draft, by=editor, reason="承诺时限压缩")

    item.refresh_from_db()
    assert item.published_version_id == draft.pk
    assert ItemVersion.objects.get(pk=first).status == ItemVersion.Status.PUBLISHED
    assert selectors.get_published_item(item.implementation_code).published_version.promised_days == 5


def test_a_draft_overtaken_by_an_imported_version_cannot_be_published(editor):
    from onewindow.catalog.importexport import export_catalog, import_catalog
    from onewindow.catalog.tests.factories import catalog_data

    import_catalog(catalog_data(1))
    item = ServiceItem.objects.get()
    draft = services.start_draft(item, by=editor)
    data = export_catalog()
    data["items"][0]["promised_days"] = 2
    import_catalog(data)

    with pytest.raises(Conflict, match="已过时"):
        services.publish_version(draft, by=editor, reason="旧草稿")

    item.refresh_from_db()
    assert item.published_version.number == 3 and item.published_version.promised_days == 2
