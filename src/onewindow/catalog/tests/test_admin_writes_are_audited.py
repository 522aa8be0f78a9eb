"""Every way the catalog admin writes — a form, an inline, the list's editable column, bulk delete, an action —
goes through a catalog service, so each change is on the audit chain and says what went with it."""

from html.parser import HTMLParser

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from onewindow.catalog import services
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemType,
    ItemVersion,
    Material,
    ServicePoint,
    StaffAssignment,
    Theme,
    ThemeItem,
)
from onewindow.catalog.tests.factories import (
    DepartmentFactory,
    HallFactory,
    ServiceItemFactory,
    ServicePointFactory,
    ThemeFactory,
    ThemeItemFactory,
)
from onewindow.core.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values an admin page's form would post as it stands."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str | list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "checkbox"):
            self.values[name] = a.get("value") or ""
        elif tag == "input" and name and "checked" in a:
            self.values.setdefault(name, []).append(a.get("value") or "on")
        elif tag == "select" and name:
            self._select = name
            self.values[name] = [] if "multiple" in a else ""
        elif tag == "option" and self._select and "selected" in a:
            chosen = self.values[self._select]
            if isinstance(chosen, list):
                chosen.append(a.get("value") or "")
            else:
                self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_values(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _FormValues()
    parser.feed(page.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def post(client, url: str, data: dict) -> list[AuditEvent]:
    """Post and return the audit events the request appended."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return list(AuditEvent.objects.filter(id__gt=last))


def test_halls_edited_inside_a_service_point_are_each_audited(admin_client):
    point = ServicePointFactory()
    kept, dropped = HallFactory(service_point=point), HallFactory(service_point=point)
    url = f"/admin/catalog/servicepoint/{point.pk}/change/"
    data = form_values(admin_client, url)
    data["halls-0-name"] = "婚姻登记区"
    data["halls-1-DELETE"] = "on"

    events = post(admin_client, url, data)

    assert {(e.action, e.object_id) for e in events} >= {
        ("catalog.hall.update", str(kept.pk)),
        ("catalog.hall.delete", str(dropped.pk)),
    }
    assert list(point.halls.values_list("name", flat=True)) == ["婚姻登记区"]


def test_sort_order_edited_in_the_department_list_is_audited(admin_client):
    department = DepartmentFactory(sort_order=1)
    data = form_values(admin_client, "/admin/catalog/department/")
    data["form-0-sort_order"] = "9"
    data.pop("action", None)

    events = post(admin_client, "/admin/catalog/department/", {**data, "_save": "保存"})

    assert [(e.action, e.after["sort_order"]) for e in events] == [("catalog.department.update", 9)]
    assert Department.objects.get(pk=department.pk).sort_order == 9


def test_deleting_a_service_point_records_the_halls_that_go_with_it(admin_client):
    point = ServicePointFactory()
    HallFactory(service_point=point, code="H-1F", name="综合受理区")

    (event,) = post(admin_client, f"/admin/catalog/servicepoint/{point.pk}/delete/", {"post": "yes"})

    assert event.action == "catalog.servicepoint.delete"
    assert [(h["code"], h["name"]) for h in event.before["halls"]] == [("H-1F", "综合受理区")]
    assert not Hall.objects.filter(code="H-1F").exists()


def test_bulk_deleting_reference_data_audits_every_row(admin_client):
    points = ServicePointFactory.create_batch(2)

    events = post(
        admin_client,
        "/admin/catalog/servicepoint/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [p.pk for p in points]},
    )

    assert sorted(e.object_id for e in events if e.action == "catalog.servicepoint.delete") == sorted(
        str(p.pk) for p in points
    )
    assert not ServicePoint.objects.filter(pk__in=[p.pk for p in points]).exists()


def test_deleting_a_theme_records_its_items(admin_client):
    theme = ThemeFactory()
    item = ServiceItemFactory()
    ThemeItemFactory(theme=theme, item=item)

    (event,) = post(admin_client, f"/admin/catalog/theme/{theme.pk}/delete/", {"post": "yes"})

    assert event.action == "catalog.theme.delete" and event.before["items"] == [item.implementation_code]
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_renaming_a_theme_keeps_its_entries_so_packages_applied_for_stay_linked(admin_client):
    theme = ThemeFactory()
    entries = [ThemeItemFactory(theme=theme, item=ServiceItemFactory(), order=n) for n in (1, 2)]
    url = f"/admin/catalog/theme/{theme.pk}/change/"
    data = form_values(admin_client, url)
    data["name"] = "开办餐饮店"

    events = post(admin_client, url, data)

    assert [e.action for e in events] == ["catalog.theme.update"]
    assert sorted(theme.theme_items.values_list("pk", flat=True)) == sorted(e.pk for e in entries)


def test_changing_a_theme_items_keeps_the_entries_that_stay(admin_client):
    theme = ThemeFactory()
    first, second = (ThemeItemFactory(theme=theme, item=ServiceItemFactory(), order=n) for n in (1, 2))
    url = f"/admin/catalog/theme/{theme.pk}/change/"
    data = form_values(admin_client, url)
    data["theme_items-1-DELETE"] = "on"
    data["theme_items-0-order"] = "5"

    events = post(admin_client, url, data)

    items_event = next(e for e in events if e.action == "catalog.theme.items")
    assert items_event.before == {"items": [first.item.implementation_code, second.item.implementation_code]}
    assert items_event.after == {"items": [first.item.implementation_code]}
    assert list(theme.theme_items.values_list("pk", flat=True)) == [first.pk]
    assert not ThemeItem.objects.filter(pk=second.pk).exists()


def test_a_draft_and_its_materials_edited_in_the_admin_are_audited(admin_client, editor):
    item = ServiceItemFactory(publish__n_materials=2)
    draft = services.start_draft(item, by=editor)
    url = f"/admin/catalog/itemversion/{draft.pk}/change/"
    data = form_values(admin_client, url)
    data["promised_days"] = "3"
    data["materials-0-name"] = "身份证明"

    events = post(admin_client, url, data)

    assert [e.action for e in events] == ["catalog.version.update", "catalog.version.parts"]
    assert ItemVersion.objects.get(pk=draft.pk).promised_days == 3
    assert Material.objects.filter(version=draft, name="身份证明").exists()


@pytest.mark.django_db(transaction=True)
def test_bulk_delete_actions_commit_outside_any_transaction_as_in_production(admin_client):
    # Django runs admin actions outside a transaction; each bulk delete must open the one it needs.
    department = Department.objects.create(code="SC", name="市场监管局")
    clerks = [User.objects.create(username=f"clerk{n}", role=Role.CLERK) for n in (1, 2)]
    for clerk in clerks:
        services.assign_department(clerk, department=department, by=None)
    draft = services.create_item(
        implementation_code="X1", basic_code="X1", by=None, name="新事项", department=department,
        item_type=ItemType.objects.get_or_create(code="01", defaults={"name": "行政许可"})[0],
        statutory_days=5, promised_days=3,
    )

    for model, pks in (
        ("staffassignment", list(StaffAssignment.objects.values_list("pk", flat=True))),
        ("itemversion", [draft.pk]),
        ("department", [DepartmentFactory().pk]),
    ):
        events = post(
            admin_client,
            f"/admin/catalog/{model}/",
            {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: pks},
        )
        assert events, model

    assert not StaffAssignment.objects.exists()
    assert not ItemVersion.objects.filter(pk=draft.pk).exists()


def test_a_department_changed_in_its_form_is_audited_once(admin_client):
    department = DepartmentFactory(name="区市场监管局")
    url = f"/admin/catalog/department/{department.pk}/change/"
    data = form_values(admin_client, url)
    data["name"] = "区市场监督管理局"

    events = post(admin_client, url, data)

    assert [(e.action, e.before["name"], e.after["name"]) for e in events] == [
        ("catalog.department.update", "区市场监管局", "区市场监督管理局")]


def test_drafts_discarded_from_their_page_and_in_bulk_are_audited_once_each(admin_client, editor):
    first, second, third = (services.start_draft(ServiceItemFactory(), by=editor) for _ in range(3))

    (single,) = post(admin_client, f"/admin/catalog/itemversion/{first.pk}/delete/", {"post": "yes"})
    bulk = post(
        admin_client,
        "/admin/catalog/itemversion/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [second.pk, third.pk]},
    )

    assert (single.action, single.object_id) == ("catalog.version.discard", str(first.pk))
    assert sorted((e.action, e.object_id) for e in bulk) == sorted(
        ("catalog.version.discard", str(d.pk)) for d in (second, third))
    assert not ItemVersion.objects.filter(pk__in=[first.pk, second.pk, third.pk]).exists()


def test_reference_rows_deleted_in_bulk_are_audited_once_each(admin_client):
    types = [ItemType.objects.create(code=f"9{n}", name=f"其他类型{n}") for n in (1, 2)]

    events = post(
        admin_client,
        "/admin/catalog/itemtype/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [t.pk for t in types]},
    )

    assert sorted((e.action, e.object_id) for e in events) == sorted(
        ("catalog.itemtype.delete", str(t.pk)) for t in types)
    assert not ItemType.objects.filter(pk__in=[t.pk for t in types]).exists()
