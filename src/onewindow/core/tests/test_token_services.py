"""API tokens are issued and revoked by the kernel's public services, each the outermost transaction; the admin
shows tokens read-only and revokes the selected ones through the service, audited once each."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction

from onewindow.core import services
from onewindow.core.auth import user_for_token
from onewindow.core.errors import PermissionDenied
from onewindow.core.models import ApiToken, AuditEvent, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return User.objects.create(username="reviewer1", role=Role.REVIEWER)


def test_token_services_called_inside_another_transaction_refuse_and_write_nothing(reviewer):
    token, value = services.create_token(reviewer, name="移动端")
    events = AuditEvent.objects.count()

    for call in (lambda: services.create_token(reviewer), lambda: services.revoke_token(value),
                 lambda: services.revoke_tokens([token])):
        with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
            call()

    assert ApiToken.objects.count() == 1 and user_for_token(value) == reviewer
    assert AuditEvent.objects.count() == events


def test_the_admin_revokes_the_selected_tokens_through_the_service_once_each(admin_client, reviewer):
    tokens = [services.create_token(reviewer, name=name)[0] for name in ("甲", "乙")]
    kept, kept_value = services.create_token(reviewer, name="丙")
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    response = admin_client.post("/admin/core/apitoken/",
                                 {"action": "revoke", ACTION_CHECKBOX_NAME: [t.pk for t in tokens]})

    assert response.status_code == 302
    events = AuditEvent.objects.filter(id__gt=last)
    assert sorted((e.action, e.object_id) for e in events) == sorted(("token.revoke", str(t.pk)) for t in tokens)
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2
    assert user_for_token(kept_value) == reviewer, "the token not selected still works"


def test_the_admin_neither_edits_nor_deletes_a_token(admin_client, reviewer):
    token, value = services.create_token(reviewer, name="移动端")

    assert admin_client.get(f"/admin/core/apitoken/{token.pk}/change/").status_code == 200  # view only
    assert admin_client.post(f"/admin/core/apitoken/{token.pk}/change/", {"name": "改名"}).status_code == 403
    assert admin_client.post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/core/apitoken/add/").status_code == 403
    assert ApiToken.objects.get(pk=token.pk).name == "移动端" and user_for_token(value) == reviewer


def test_only_the_owner_or_an_administrator_revokes_a_token(reviewer):
    token, value = services.create_token(reviewer)
    clerk = User.objects.create(username="clerk1", role=Role.CLERK)

    with pytest.raises(PermissionDenied):
        services.revoke_tokens([token], by=clerk)
    assert user_for_token(value) == reviewer

    assert services.revoke_tokens([token], by=reviewer) == 1
    assert user_for_token(value) is None
    event = AuditEvent.objects.get(action="token.revoke")
    assert event.actor == reviewer
