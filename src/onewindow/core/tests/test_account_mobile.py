"""An account's mobile is kept in its canonical ASCII form, from the service and from the admin (issue 10 §2)."""

import pytest
from django.db import transaction

from onewindow.core.acts import create_user
from onewindow.core.errors import InvalidInput
from onewindow.core.models import Role, User
from onewindow.core.tests.typed import full_width

pytestmark = pytest.mark.django_db


def test_a_mobile_typed_in_full_width_is_stored_as_ascii_and_a_short_one_is_refused():
    with transaction.atomic():
        user = create_user(username="citizen-a", role=Role.CITIZEN, by=None, mobile="13" + full_width("800138000"))
    assert User.objects.get(pk=user.pk).mobile == "13800138000"
    with pytest.raises(InvalidInput) as err, transaction.atomic():
        create_user(username="citizen-b", role=Role.CITIZEN, by=None, mobile="13" + full_width("80013800"))
    assert err.value.fields == {"mobile": "format"}
    assert not User.objects.filter(username="citizen-b").exists()


def test_the_admin_stores_a_full_width_mobile_as_ascii(admin_client):
    user = User.objects.create_user("citizen-c", role=Role.CITIZEN)
    form = admin_client.get(f"/admin/core/user/{user.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"username": "citizen-c", "role": Role.CITIZEN, "mobile": full_width("13800138000"),
                 "groups": [], "user_permissions": [], "last_login_0": "", "last_login_1": "",
                 "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "is_active": "on"})
    response = admin_client.post(f"/admin/core/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert User.objects.get(pk=user.pk).mobile == "13800138000"
