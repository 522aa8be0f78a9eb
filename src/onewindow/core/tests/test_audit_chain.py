"""The audit chain: each event hashes the one before; an edited or removed row is found."""

import pytest
from django.core.management import call_command

from onewindow.core import audit
from onewindow.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def make_events(n=5):
    user = User.objects.create(username="clerk1", role="clerk")
    return [
        audit.record("case.accept", object_type="cases.case", object_id=str(i), by=user,
                     before={"state": "submitted"}, after={"state": "accepted", "due": "2025-10-09"})
        for i in range(n)
    ]


def test_each_event_links_to_the_previous_one():
    events = make_events(3)
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit.verify_chain().ok


def test_an_edited_row_is_reported_at_its_position():
    events = make_events(5)
    AuditEvent.objects.filter(pk=events[2].pk).update(after={"state": "approved"})
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == events[2].pk
    assert report.checked == 2
    assert "修改" in report.problem


def test_a_deleted_row_is_reported_at_the_next_one():
    events = make_events(5)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[2].pk


def test_audit_verify_exits_0_when_whole_and_1_when_broken(capsys):
    events = make_events(3)
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    AuditEvent.objects.filter(pk=events[0].pk).update(reason="tampered")
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    assert f"第 {events[0].pk} 号记录" in capsys.readouterr().err


def test_the_admin_cannot_add_change_or_delete_events(admin_client):
    event = make_events(1)[0]
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
