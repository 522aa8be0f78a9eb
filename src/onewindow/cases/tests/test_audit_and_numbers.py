"""Every state change, assignment and document issue is on the audit chain; an edited event is detected.
Case numbers are `{department code}{YYYYMMDD}{6-digit daily sequence}` with a 6-character query code."""

from __future__ import annotations

import re

from onewindow.cases import services
from onewindow.cases.selectors import case_timeline
from onewindow.cases.tests.factories import at, case_in_state, new_case
from onewindow.core.audit import verify_chain
from onewindow.core.models import AuditEvent


def test_the_timeline_of_a_delivered_case_records_every_step_with_actor_and_before_after(world):
    case = case_in_state(world, "delivered")
    services.record_document_printed(case, by=world.clerk_a, kind="approval", sha256="ab" * 32)
    actions = [e.action for e in case_timeline(case)]
    for expected in ["case.create", "case.submit", "case.add_material", "case.fetch_shared_material",
                     "case.accept", "case.assign", "case.approve", "case.issue_result", "case.deliver",
                     "case.document_printed"]:
        assert expected in actions
    accept = case_timeline(case).get(action="case.accept")
    assert accept.actor == world.clerk_a
    assert accept.before["state"] == "submitted" and accept.after["state"] == "accepted"
    assert accept.after["due_on"] == "2025-09-15"
    assert accept.before["accepted_on"] is None and accept.after["accepted_on"] == "2025-09-01"
    assert verify_chain().ok


def test_editing_an_audit_event_is_detected_by_verify_chain(world):
    case = case_in_state(world, "accepted")
    assert verify_chain().ok
    event = AuditEvent.objects.get(object_id=str(case.pk), action="case.accept")
    AuditEvent.objects.filter(pk=event.pk).update(reason="改过的理由")
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == event.pk
    assert "修改" in report.problem


def test_deleting_an_audit_event_is_detected_by_verify_chain(world):
    case = case_in_state(world, "accepted")
    AuditEvent.objects.filter(object_id=str(case.pk), action="case.submit").delete()
    assert not verify_chain().ok


def test_case_numbers_count_per_department_per_day(world):
    a1 = new_case(world, when=at("2025-09-01"))
    a2 = new_case(world, when=at("2025-09-01", 15))
    b1 = new_case(world, item=world.item_b, clerk=world.clerk_b, when=at("2025-09-01"))
    a3 = new_case(world, when=at("2025-09-02"))
    assert [a1.number, a2.number, b1.number, a3.number] == [
        "SC20250901000001", "SC20250901000002", "WJ20250901000001", "SC20250902000001"]
    assert re.fullmatch(r"[A-Z2-9]{6}", a1.query_code)


def test_the_case_keeps_the_item_version_it_was_submitted_under(world):
    from onewindow.catalog.models import ItemVersion

    case = new_case(world)
    first = case.item_version
    old = world.item_a.published_version
    new_version = ItemVersion.objects.create(
        item=world.item_a, number=2, name=old.name, item_type=old.item_type, department=old.department,
        promised_days=5, statutory_days=20,
    )
    ItemVersion.objects.filter(pk=new_version.pk).update(status="published")
    world.item_a.published_version = new_version
    world.item_a.save()
    case.refresh_from_db()
    assert case.item_version == first and case.promised_days == 10
    later = new_case(world, n=2)
    assert later.item_version == new_version and later.promised_days == 5
