import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from onewindow.core.errors import IllegalTransition, InvalidIdentityNumber, InvalidInput, PermissionDenied
from onewindow.core.models import Role
from onewindow.hall import selectors, services
from onewindow.hall.models import FoundItem, FoundItemState, HallPolicy
from onewindow.hall.tests.factories import UserFactory, valid_id

pytestmark = pytest.mark.django_db


def register(hall, clerk, days_ago=1, **kwargs):
    return services.register_found_item(
        hall=hall, description=kwargs.pop("description", "黑色钱包"), found_place="2号窗口前",
        found_at=timezone.now() - dt.timedelta(days=days_ago), storage_place="服务台柜1", by=clerk,
        finder_note="保安张师傅交来", **kwargs,
    )


def test_the_public_page_shows_found_items_without_personal_data(client, hall, clerk):
    register(hall, clerk)
    page = client.get("/hall/lost-found/").content.decode()
    assert "黑色钱包" in page and "2号窗口前" in page
    assert "张师傅" not in page and "服务台柜1" not in page, "finder and storage place stay internal"


def test_hand_over_needs_a_checked_valid_identity_and_then_leaves_the_public_list(client, hall, clerk):
    item = register(hall, clerk)
    with pytest.raises(InvalidInput):
        services.hand_over_found_item(item=item, owner_name="李先生", identity_number=valid_id(1),
                                      identity_checked=False, by=clerk)
    with pytest.raises(InvalidIdentityNumber):
        services.hand_over_found_item(item=item, owner_name="李先生", identity_number="500103198001010010",
                                      identity_checked=True, by=clerk)
    item.refresh_from_db()
    assert item.state == FoundItemState.STORED
    returned = services.hand_over_found_item(item=item, owner_name="李先生", identity_number=valid_id(1),
                                             identity_checked=True, mobile="13700000000", by=clerk)
    assert returned.owner_identity_masked == valid_id(1)[:4] + "*" * 10 + valid_id(1)[-4:]
    assert returned.owner_mobile_masked == "137****0000"
    assert "黑色钱包" not in client.get("/hall/lost-found/").content.decode()
    with pytest.raises(IllegalTransition):
        services.hand_over_found_item(item=item, owner_name="另一人", identity_number=valid_id(2),
                                      identity_checked=True, by=clerk)


def test_items_past_the_configured_period_are_listed_as_unclaimed(hall, clerk):
    HallPolicy.objects.create(hall=hall, unclaimed_after_days=30)
    register(hall, clerk, days_ago=5, description="雨伞")
    old = register(hall, clerk, days_ago=40, description="保温杯")
    assert selectors.unclaimed_found_items() == [old]
    services.dispose_found_item(item=old, by=clerk, reason="移交公安机关")
    assert selectors.unclaimed_found_items() == []


def test_only_staff_register_and_bad_input_registers_nothing(hall, clerk):
    with pytest.raises(PermissionDenied):
        register(hall, UserFactory(role=Role.CITIZEN))
    with pytest.raises(InvalidInput):
        services.register_found_item(hall=hall, description=" ", found_place="", found_at=timezone.now(),
                                     storage_place="柜", by=clerk)
    with pytest.raises(InvalidInput):
        register(hall, clerk, photo=SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload"))
    assert not FoundItem.objects.exists()


def test_staff_pages_register_and_hand_over(client, hall, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(clerk)
    photo = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
    response = client.post("/hall/lost-found/new/", {
        "hall": hall.pk, "description": "蓝色雨伞", "found_place": "大厅入口", "found_at": "2026-01-05T10:30",
        "storage_place": "柜2", "photo": photo,
    })
    assert response.status_code == 302
    item = FoundItem.objects.get()
    assert client.get(f"/hall/lost-found/{item.pk}/photo").status_code == 200
    client.post("/hall/lost-found/manage/", {"item": item.pk, "action": "return", "owner_name": "赵女士",
                                             "identity_number": valid_id(9), "identity_checked": "on"})
    item.refresh_from_db()
    assert item.state == FoundItemState.RETURNED
    assert client.get(f"/hall/lost-found/{item.pk}/photo").status_code == 404, "returned items are unpublished"
