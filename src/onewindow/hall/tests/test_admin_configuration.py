"""The hall's configuration in the admin (rules, categories, windows, slots): each edit is one audited act,
refused input shows on the page and changes nothing, rows still in use are not deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import Conflict, InvalidInput, PermissionDenied
from onewindow.core.models import AuditEvent, Role
from onewindow.hall import acts, services
from onewindow.hall.models import AppointmentSlot, HallPolicy, ServiceCategory, Window
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, book_confirmed, valid_id

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def center_admin():
    return UserFactory(username="center-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, center_admin):
    client.force_login(center_admin)
    return client


def audits() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def policy_form(hall, **changes) -> dict:
    fields = {f.name: f.default for f in HallPolicy._meta.concrete_fields if f.name not in ("id", "hall")}
    return {**fields, "priority_ranks": "{}", "hall": hall.pk, **changes}


def category_form(hall, **changes) -> dict:
    return {"hall": hall.pk, "name": "社保业务", "prefix": "A", "bookable": "on", "active": "on", "sort_order": 0,
            **changes}


def window_form(hall, categories, **changes) -> dict:
    return {"hall": hall.pk, "number": "5", "zone": "A区", "categories": [c.pk for c in categories],
            "sort_order": 0, **changes}


def slot_form(category, **changes) -> dict:
    return {"category": category.pk, "day": TOMORROW.isoformat(), "start": "09:00", "end": "10:00", "capacity": 3,
            **changes}


def url(name: str, action: str, *args) -> str:
    return reverse(f"admin:hall_{name}_{action}", args=args)


def test_adding_changing_and_deleting_a_category_are_one_audit_event_each(admin_client, hall, center_admin):
    assert admin_client.post(url("servicecategory", "add"), category_form(hall)).status_code == 302
    category = ServiceCategory.objects.get()
    assert audits() == ["category.create"]
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.after["prefix"], event.after["name"]) == (center_admin.pk, "A", "社保业务")

    changed = admin_client.post(url("servicecategory", "change", category.pk), category_form(hall, name="社保医保"))
    assert changed.status_code == 302
    assert audits() == ["category.create", "category.change"]
    assert AuditEvent.objects.last().before == {"name": "社保业务"}
    assert AuditEvent.objects.last().after == {"name": "社保医保"}

    assert admin_client.post(url("servicecategory", "delete", category.pk), {"post": "yes"}).status_code == 302
    assert not ServiceCategory.objects.exists()
    assert audits() == ["category.create", "category.change", "category.delete"]


def test_adding_and_changing_a_window_audits_its_categories_with_the_row(admin_client, hall, category_a, category_b):
    assert admin_client.post(url("window", "add"), window_form(hall, [category_a])).status_code == 302
    window = Window.objects.get()
    assert list(window.categories.all()) == [category_a] and window.status == "closed"
    admin_client.post(url("window", "change", window.pk), window_form(hall, [category_a, category_b]))
    assert audits() == ["window.create", "window.change"]
    assert AuditEvent.objects.last().after == {"categories": sorted([category_a.pk, category_b.pk])}


def test_rules_and_slots_are_audited_too(admin_client, hall, category_a):
    assert admin_client.post(url("hallpolicy", "add"), policy_form(hall, max_recalls=2)).status_code == 302
    policy = HallPolicy.objects.get()
    admin_client.post(url("hallpolicy", "change", policy.pk), policy_form(hall, max_recalls=4))
    assert admin_client.post(url("appointmentslot", "add"), slot_form(category_a)).status_code == 302
    slot = AppointmentSlot.objects.get()
    admin_client.post(url("appointmentslot", "change", slot.pk), slot_form(category_a, capacity=5))
    admin_client.post(url("appointmentslot", "delete", slot.pk), {"post": "yes"})
    admin_client.post(url("hallpolicy", "delete", policy.pk), {"post": "yes"})
    assert audits() == ["hall_policy.create", "hall_policy.change", "slot.create", "slot.change", "slot.delete",
                        "hall_policy.delete"]
    assert not AppointmentSlot.objects.exists() and not HallPolicy.objects.exists()


def test_saving_without_a_change_leaves_no_audit_event(admin_client, hall):
    admin_client.post(url("servicecategory", "add"), category_form(hall))
    category = ServiceCategory.objects.get()
    admin_client.post(url("servicecategory", "change", category.pk), category_form(hall))
    assert audits() == ["category.create"]


@pytest.mark.parametrize(("what", "form", "message"), [
    ("servicecategory", lambda hall, c: category_form(hall, name="重复", prefix="A"), "本大厅已有前缀为 A 的业务类别"),
    ("servicecategory", lambda hall, c: category_form(hall, prefix="a1"), "前缀为1-2个大写字母"),
    ("window", lambda hall, c: window_form(hall, [c], number="9"), "本大厅已有9号窗口"),
    ("window", lambda hall, c: window_form(hall, [ServiceCategory.objects.get(prefix="Z")], number="10"),
     "可办类别须属于本窗口所在大厅"),
    ("appointmentslot", lambda hall, c: slot_form(c, start="10:00", end="09:00"), "结束时间须晚于开始时间"),
    ("appointmentslot", lambda hall, c: slot_form(c, capacity=0), "确保该值大于或等于1"),
    ("appointmentslot", lambda hall, c: slot_form(c, start="08:00", end="08:30"), "已有该类别的时段"),
    ("hallpolicy", lambda hall, c: policy_form(hall, priority_ranks='{"vip": 99}'), "应为 {优先类型: 整数}"),
    ("hallpolicy", lambda hall, c: policy_form(hall), "该大厅已有规则"),
])
def test_refused_input_shows_on_the_form_and_changes_nothing(admin_client, hall, category_a, what, form, message):
    Window.objects.create(hall=hall, number="9")
    CategoryFactory(prefix="Z")  # in another hall
    AppointmentSlot.objects.create(category=category_a, day=TOMORROW, start=dt.time(8), end=dt.time(9), capacity=1)
    HallPolicy.objects.create(hall=HallFactory()) if what != "hallpolicy" else HallPolicy.objects.create(hall=hall)
    before = (list(ServiceCategory.objects.values()), list(Window.objects.values()),
              list(AppointmentSlot.objects.values()), list(HallPolicy.objects.values()), audits())
    response = admin_client.post(url(what, "add"), form(hall, category_a))
    assert response.status_code == 200 and message in response.content.decode()
    assert (list(ServiceCategory.objects.values()), list(Window.objects.values()),
            list(AppointmentSlot.objects.values()), list(HallPolicy.objects.values()), audits()) == before


def test_a_category_with_tickets_a_slot_with_bookings_and_a_busy_window_are_not_deleted(admin_client, hall,
                                                                                       category_a, window, clerk):
    slot = AppointmentSlot.objects.create(category=category_a, day=TOMORROW, start=dt.time(9), end=dt.time(10),
                                          capacity=2)
    book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    services.issue_ticket(category=category_a)
    services.call_next(window=window, by=clerk)
    recorded = audits()
    for name, obj, reason in (("servicecategory", category_a, "已有号票或预约，不能删除"),
                              ("appointmentslot", slot, "已有预约记录，不能删除"),
                              ("window", window, "正在处理 A001，不能删除")):
        page = admin_client.get(url(name, "delete", obj.pk)).content.decode()
        assert reason in page, f"the delete page of {name} says why it cannot go"
        admin_client.post(url(name, "delete", obj.pk), {"post": "yes"})
        selected = admin_client.post(url(name, "changelist"), {"action": "delete_selected",
                                                                ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"})
        assert reason in selected.content.decode()
        assert type(obj).objects.filter(pk=obj.pk).exists(), f"{name} was deleted"
    assert audits() == recorded


def test_only_center_administrators_edit_the_configuration(client, hall, category_a):
    clerk = UserFactory(role=Role.CLERK, is_staff=True)
    client.force_login(clerk)
    assert client.post(url("servicecategory", "add"), category_form(hall, prefix="B")).status_code == 403
    assert client.post(url("servicecategory", "delete", category_a.pk), {"post": "yes"}).status_code == 403
    assert ServiceCategory.objects.filter(pk=category_a.pk).exists()
    assert audits() == []
    with pytest.raises(PermissionDenied):
        acts.save_category(ServiceCategory(hall=hall, name="另一类", prefix="C"), by=clerk)


def test_the_acts_refuse_the_same_input_without_the_admin(hall, category_a, window):
    with pytest.raises(InvalidInput) as taken:
        acts.save_category(ServiceCategory(hall=hall, name="重复", prefix="A"), by=None)
    assert taken.value.fields == {"prefix": "taken"}
    with pytest.raises(InvalidInput):
        acts.save_slot(AppointmentSlot(category=category_a, day=TOMORROW, start=dt.time(10), end=dt.time(9),
                                       capacity=1), by=None)
    with pytest.raises(InvalidInput):
        acts.save_window(Window(hall=hall, number=window.number), by=None)
    services.issue_ticket(category=category_a)
    with pytest.raises(Conflict) as in_use:
        acts.delete_category(category_a, by=None)
    assert in_use.value.code == "in_use"
    assert ServiceCategory.objects.count() == 1 and AppointmentSlot.objects.count() == 0
    assert audits() == ["ticket.issue"]


def test_a_booked_slot_keeps_its_time_and_cannot_drop_below_its_bookings(hall, category_a):
    slot = AppointmentSlot.objects.create(category=category_a, day=TOMORROW, start=dt.time(9), end=dt.time(10),
                                          capacity=2)
    book_confirmed(slot=slot, identity_number=valid_id(1), mobile="13800000001")
    slot.refresh_from_db()
    slot.start = dt.time(8)
    with pytest.raises(InvalidInput, match="只能调整可约人数"):
        acts.save_slot(slot, by=None)
    slot.refresh_from_db()
    slot.capacity = 0
    with pytest.raises(InvalidInput, match="可约人数须至少为 1"):
        acts.save_slot(slot, by=None)
    slot.refresh_from_db()
    slot.capacity, slot.booked = 4, 0  # the booked count is the bookings', whatever the caller says
    acts.save_slot(slot, by=None)
    slot.refresh_from_db()
    assert (slot.start, slot.capacity, slot.booked) == (dt.time(9), 4, 1)


def test_every_hall_admin_page_opens(admin_client, hall, category_a, window):
    slot = AppointmentSlot.objects.create(category=category_a, day=TOMORROW, start=dt.time(9), end=dt.time(10),
                                          capacity=2)
    policy = HallPolicy.objects.create(hall=hall)
    for name, obj in (("hallpolicy", policy), ("servicecategory", category_a), ("window", window),
                      ("appointmentslot", slot)):
        assert admin_client.get(url(name, "changelist")).status_code == 200, name
        assert admin_client.get(url(name, "add")).status_code == 200, name
        assert admin_client.get(url(name, "change", obj.pk)).status_code == 200, name
    for name in ("ticket", "appointment", "founditem"):
        assert admin_client.get(url(name, "changelist")).status_code == 200, name


def test_rows_deleted_together_go_all_or_none_and_once_each(admin_client, hall, category_a, category_b):
    services.issue_ticket(category=category_b)
    recorded = audits()

    with pytest.raises(Conflict):
        services.delete_configuration([ServiceCategory.objects.get(pk=category_a.pk), category_b],
                                      delete_act=acts.delete_category, by=None)
    assert ServiceCategory.objects.filter(pk=category_a.pk).exists(), "the row deleted before the refusal came back"
    assert audits() == recorded

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.delete_configuration([category_a], delete_act=acts.delete_category, by=None)
    assert ServiceCategory.objects.filter(pk=category_a.pk).exists()

    spare = CategoryFactory(hall=hall, prefix="C")
    response = admin_client.post(url("servicecategory", "changelist"), {
        "action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [category_a.pk, spare.pk]})
    assert response.status_code == 302
    assert audits() == [*recorded, "category.delete", "category.delete"]
    assert not ServiceCategory.objects.filter(pk__in=[category_a.pk, spare.pk]).exists()
