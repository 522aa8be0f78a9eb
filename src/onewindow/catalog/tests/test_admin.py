import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from onewindow.catalog import services
from onewindow.catalog.models import Department, ItemVersion, ServiceItem, Theme
from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory, ThemeFactory
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def test_every_catalog_admin_page_opens(admin_client):
    item = ServiceItemFactory()
    ThemeFactory()
    for name in ("servicepoint", "department", "itemtype", "serviceitem", "itemversion", "theme"):
        assert admin_client.get(reverse(f"admin:catalog_{name}_changelist")).status_code == 200, name
        assert admin_client.get(reverse(f"admin:catalog_{name}_add")).status_code in (200, 403), name
    assert admin_client.get(reverse("admin:catalog_serviceitem_change", args=[item.pk])).status_code == 200
    assert (
        admin_client.get(reverse("admin:catalog_itemversion_change", args=[item.published_version_id])).status_code
        == 200
    )


def test_publishing_a_draft_from_the_admin_asks_for_a_reason_then_publishes(admin_client, editor):
    item = ServiceItemFactory()
    draft = services.start_draft(item, by=editor)
    url = reverse("admin:catalog_itemversion_changelist")
    post = {"action": "publish_selected", ACTION_CHECKBOX_NAME: [draft.pk]}

    asked = admin_client.post(url, post)
    assert asked.status_code == 200 and "调整原因" in asked.content.decode()
    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.DRAFT

    done = admin_client.post(url, {**post, "apply": "1", "reason": "减少一件材料"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.PUBLISHED and draft.change_reason == "减少一件材料"


def test_the_item_admin_action_opens_a_draft_for_each_selected_item(admin_client):
    items = ServiceItemFactory.create_batch(2)

    admin_client.post(
        reverse("admin:catalog_serviceitem_changelist"),
        {"action": "start_drafts", ACTION_CHECKBOX_NAME: [i.pk for i in items]},
    )

    assert ItemVersion.objects.filter(status=ItemVersion.Status.DRAFT).count() == 2


def test_a_published_version_cannot_be_changed_through_the_admin(admin_client):
    item = ServiceItemFactory()
    url = reverse("admin:catalog_itemversion_change", args=[item.published_version_id])

    response = admin_client.post(url, {"name": "改名"})

    assert response.status_code == 403
    assert ItemVersion.objects.get(pk=item.published_version_id).name == item.name


def test_the_diff_view_shows_what_a_draft_changes(admin_client, editor):
    item = ServiceItemFactory(publish__n_materials=2)
    draft = services.start_draft(item, by=editor)
    services.update_draft(draft, by=editor, promised_days=3, materials=[{"name": "承诺书"}])

    response = admin_client.get(reverse("admin:catalog_itemversion_diff", args=[draft.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "承诺办结时限（工作日）" in html and "承诺书" in html and "新增" in html and "删除" in html


def test_adding_an_item_creates_it_with_a_first_draft(admin_client):
    department = DepartmentFactory()
    from onewindow.catalog.models import ItemType

    response = admin_client.post(
        reverse("admin:catalog_serviceitem_add"),
        {
            "implementation_code": "NEW-001",
            "basic_code": "XK99999000",
            "name": "新事项",
            "department": department.pk,
            "item_type": ItemType.objects.get(code="01").pk,
            "statutory_days": 20,
            "promised_days": 5,
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )

    item = ServiceItem.objects.get(implementation_code="NEW-001")
    draft = item.versions.get()
    assert response.status_code == 302 and response.url.endswith(f"/itemversion/{draft.pk}/change/")
    assert (draft.number, draft.status, draft.promised_days) == (1, ItemVersion.Status.DRAFT, 5)
    assert item.published_version_id is None


def test_saving_a_department_in_the_admin_is_audited(admin_client):
    response = admin_client.post(
        reverse("admin:catalog_department_add"),
        {
            "code": "GAJ",
            "name": "区公安分局",
            "short_name": "",
            "credit_code": "",
            "has_approval_functions": "on",
            "phone": "",
            "sort_order": 1,
        },
    )

    assert response.status_code == 302
    assert Department.objects.filter(code="GAJ").exists()
    assert AuditEvent.objects.filter(action="catalog.department.create").count() == 1


def test_a_themes_items_are_saved_through_the_service(admin_client):
    theme = ThemeFactory()
    a, b = ServiceItemFactory.create_batch(2)
    url = reverse("admin:catalog_theme_change", args=[theme.pk])
    base = {
        "code": theme.code,
        "name": theme.name,
        "description": "",
        "lead_department": theme.lead_department_id,
        "promised_days": 10,
        "published": "on",
        "theme_items-TOTAL_FORMS": 2,
        "theme_items-INITIAL_FORMS": 0,
        "theme_items-0-item": a.pk,
        "theme_items-0-order": 1,
        "theme_items-1-item": b.pk,
        "theme_items-1-order": 2,
    }

    response = admin_client.post(url, base)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Theme.objects.get(pk=theme.pk).theme_items.values_list("item_id", flat=True)) == [a.pk, b.pk]
    assert AuditEvent.objects.filter(action="catalog.theme.items").count() == 1


def _form_data(response) -> dict:
    """The POST body the admin change form would send back unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is None or value is False or hasattr(value, "storage"):
                    continue
                data[sub.add_prefix(name)] = "on" if value is True else value
    return data


def test_editing_a_draft_and_its_materials_in_the_admin_goes_through_the_services(admin_client, editor):
    item = ServiceItemFactory(publish__n_materials=2)
    draft = services.start_draft(item, by=editor)
    url = reverse("admin:catalog_itemversion_change", args=[draft.pk])
    data = _form_data(admin_client.get(url))
    data["promised_days"] = 4
    data["materials-0-name"] = "改名后的申请书"
    data["materials-1-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    draft.refresh_from_db()
    assert draft.promised_days == 4
    assert [m.name for m in draft.materials.all()] == ["改名后的申请书"]
    assert AuditEvent.objects.filter(action="catalog.version.update", object_id=str(draft.pk)).exists()
    assert AuditEvent.objects.filter(action="catalog.version.parts", object_id=str(draft.pk)).exists()
    published = ItemVersion.objects.get(pk=item.published_version_id)
    assert published.promised_days == 10 and published.materials.count() == 2


def test_staff_who_are_not_center_admins_see_the_catalog_read_only(client):
    from django.contrib.auth.models import Permission

    from onewindow.catalog.tests.factories import UserFactory
    from onewindow.core.models import Role

    clerk = UserFactory(username="staff-clerk", role=Role.CLERK, is_staff=True, is_superuser=False)
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(clerk)
    item = ServiceItemFactory()

    changelist = client.get(reverse("admin:catalog_serviceitem_changelist"))
    page = client.get(reverse("admin:catalog_serviceitem_change", args=[item.pk]))
    post = client.post(reverse("admin:catalog_itemversion_change", args=[item.published_version_id]), {})

    assert changelist.status_code == 200 and "publish_drafts" not in changelist.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert post.status_code == 403
