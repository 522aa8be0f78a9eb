import pytest
from django.core.exceptions import ValidationError

from onewindow.catalog import selectors, services
from onewindow.catalog.models import ItemVersion, Material
from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory, item_type
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _new_draft(editor, name="营业执照核发"):
    return services.create_item(
        implementation_code="115001030000000000001",
        basic_code="XK00001000",
        by=editor,
        name=name,
        department=DepartmentFactory(name="区市场监督管理局"),
        item_type=item_type("行政许可"),
        statutory_days=20,
        promised_days=10,
        materials=[{"name": "申请书"}, {"name": "身份证明", "form": "copy"}],
        steps=[{"name": "受理", "role": "accept", "days": 1}],
    )


def test_a_new_item_is_invisible_to_the_public_until_its_draft_is_published(editor):
    draft = _new_draft(editor)

    assert draft.number == 1 and draft.status == ItemVersion.Status.DRAFT
    assert not selectors.published_items().exists()

    services.publish_version(draft, by=editor, reason="首次发布")

    assert [i.name for i in selectors.published_items()] == ["营业执照核发"]


def test_publishing_makes_the_draft_current_and_mirrors_name_department_and_pinyin(editor):
    draft = _new_draft(editor)

    services.publish_version(draft, by=editor, reason="首次发布")

    item = draft.item
    item.refresh_from_db()
    assert item.published_version_id == draft.pk
    assert item.name == "营业执照核发"
    assert item.department.name == "区市场监督管理局"
    assert item.name_initials == "yyzzhf"
    assert item.name_pinyin == "yingyezhizhaohefa"
    draft.refresh_from_db()
    assert draft.published_by == editor and draft.published_at is not None and draft.change_reason == "首次发布"


def test_a_published_version_can_no_longer_be_edited():
    item = ServiceItemFactory()
    version = ItemVersion.objects.get(pk=item.published_version_id)

    version.promised_days = 3
    with pytest.raises(ValidationError, match="已发布的版本不可修改"):
        version.save()
    with pytest.raises(Conflict, match="已发布的版本不可修改"):
        services.update_draft(version, by=None, promised_days=3)

    version.refresh_from_db()
    assert version.promised_days == 10


def test_the_materials_and_steps_of_a_published_version_can_no_longer_be_edited():
    item = ServiceItemFactory()
    material = Material.objects.filter(version_id=item.published_version_id).first()

    material.name = "改过的材料"
    with pytest.raises(ValidationError, match="已发布的版本不可修改"):
        material.save()
    with pytest.raises(ValidationError):
        Material(version_id=item.published_version_id, name="新增材料").save()
    with pytest.raises(Conflict):
        services.save_draft_parts(item.published_version, by=None, save=[material])

    assert Material.objects.filter(version_id=item.published_version_id, name="改过的材料").count() == 0


def test_publishing_without_a_reason_is_refused_and_changes_nothing(editor):
    draft = _new_draft(editor)

    with pytest.raises(InvalidInput) as raised:
        services.publish_version(draft, by=editor, reason="   ")

    assert raised.value.fields == {"reason": "必填"}
    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.DRAFT
    assert draft.item.published_version_id is None


def test_publishing_is_recorded_in_the_audit_chain_with_its_reason(editor):
    draft = _new_draft(editor)

    services.publish_version(draft, by=editor, reason="压缩承诺时限")

    event = AuditEvent.objects.filter(action="catalog.version.publish").get()
    assert event.actor == editor
    assert event.reason == "压缩承诺时限"
    assert event.object_id == str(draft.pk)


def test_a_draft_that_breaks_the_time_limit_rule_cannot_be_saved(editor):
    draft = _new_draft(editor)

    with pytest.raises(InvalidInput) as raised:
        services.update_draft(draft, by=editor, promised_days=30)

    assert "promised_days" in raised.value.fields
    draft.refresh_from_db()
    assert draft.promised_days == 10
