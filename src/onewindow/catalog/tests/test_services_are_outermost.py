"""The catalog's public services are each the outermost transaction: called inside another one they refuse
(RuntimeError) and write nothing; a caller with its own transaction (the admin's forms, the demo) composes the
acts, which share it — a refused act leaves that transaction usable, and several rows deleted together go all
or none."""

import pytest
from django.db import transaction

from onewindow.catalog import acts, services
from onewindow.catalog.importexport import import_catalog, write_catalog
from onewindow.catalog.models import Department, ItemType, ServiceItem, ServicePoint, Theme
from onewindow.catalog.tests.factories import (
    DepartmentFactory,
    ServiceItemFactory,
    ServicePointFactory,
    ThemeFactory,
    catalog_data,
)
from onewindow.core.errors import Conflict
from onewindow.core.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db


def _item_type() -> ItemType:
    return ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})[0]


@pytest.fixture
def world(editor):
    item = ServiceItemFactory()
    return {
        "editor": editor,
        "item": item,
        "draft": services.start_draft(item, by=editor),
        "department": DepartmentFactory(),
        "theme": ThemeFactory(),
        "clerk": User.objects.create(username="clerk", role=Role.CLERK),
    }


CALLS = {
    "create_item": lambda w: services.create_item(
        implementation_code="NEW-1", basic_code="NEW-1", by=w["editor"], name="新事项", department=w["department"],
        item_type=_item_type(), statutory_days=20, promised_days=5),
    "start_draft": lambda w: services.start_draft(ServiceItemFactory(), by=w["editor"]),
    "update_draft": lambda w: services.update_draft(w["draft"], by=w["editor"], promised_days=1),
    "save_draft_parts": lambda w: services.save_draft_parts(w["draft"], by=w["editor"], delete=list(w["draft"].materials.all())),
    "publish_version": lambda w: services.publish_version(w["draft"], by=w["editor"], reason="压缩时限"),
    "discard_draft": lambda w: services.discard_draft(w["draft"], by=w["editor"]),
    "discard_drafts": lambda w: services.discard_drafts([w["draft"]], by=w["editor"]),
    "set_baseline_version": lambda w: services.set_baseline_version(w["item"], None, by=w["editor"]),
    "save_reference": lambda w: services.save_reference(Department(code="NEW", name="新部门"), by=w["editor"]),
    "delete_reference": lambda w: services.delete_reference(w["department"], by=w["editor"]),
    "delete_references": lambda w: services.delete_references([w["department"]], by=w["editor"]),
    "set_theme_items": lambda w: services.set_theme_items(w["theme"], [(w["item"], [])], by=w["editor"]),
    "assign_department": lambda w: services.assign_department(w["clerk"], department=w["department"], by=w["editor"]),
    "import_catalog": lambda w: import_catalog(catalog_data(1), by=w["editor"]),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_catalog_service_called_inside_another_transaction_refuses_and_writes_nothing(world, name):
    events = AuditEvent.objects.count()

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        CALLS[name](world)

    assert AuditEvent.objects.count() == events, f"{name} wrote to the audit chain"


def test_every_service_of_the_catalog_is_checked_above():
    published = {name for name, value in vars(services).items() if hasattr(value, "act")}
    assert published == set(CALLS) - {"import_catalog"}


def test_a_refused_delete_leaves_the_callers_transaction_usable(editor):
    in_use = ServiceItemFactory().department

    with transaction.atomic():
        with pytest.raises(Conflict) as refused:
            acts.delete_reference(in_use, by=editor)
        acts.save_reference(ServicePoint(code="SP-NEW", name="新场所", level="district"), by=editor)

    assert refused.value.code == "in_use"
    assert Department.objects.filter(pk=in_use.pk).exists()
    assert ServicePoint.objects.filter(code="SP-NEW").exists(), "the act after the refusal committed"


def test_rows_deleted_together_go_all_or_none(editor):
    point, in_use = ServicePointFactory(), ServiceItemFactory().department
    free = DepartmentFactory().pk
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict):
        services.delete_references([Department.objects.get(pk=free), in_use], by=editor)

    assert Department.objects.filter(pk=free).exists(), "the row deleted before the refusal came back"
    assert AuditEvent.objects.count() == events
    services.delete_references([point, Department.objects.get(pk=free)], by=editor)
    assert not ServicePoint.objects.filter(code=point.code).exists() and not Department.objects.filter(pk=free).exists()
    assert AuditEvent.objects.count() == events + 2, "one event per row"


def test_the_demo_composes_the_import_inside_its_own_transaction(editor):
    with transaction.atomic():
        report = write_catalog(catalog_data(2), by=editor)
        Theme.objects.create(code="after-import", name="导入后", lead_department=Department.objects.first(),
                             promised_days=5)

    assert report.items_created == 2 and ServiceItem.objects.count() == 2
    assert AuditEvent.objects.filter(action="catalog.import").count() == 1
