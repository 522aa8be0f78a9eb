"""The kit's versioned update on a case: the optimistic lock, the version bump and the audit event."""

import pytest

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import new_case
from onewindow.core import kit
from onewindow.core.errors import VersionConflict
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_versioned_update_bumps_the_version_and_audits_before_and_after(world):
    case = new_case(world)
    version = case.version
    kit.versioned_update(case, action="note", by=world.clerk_a, changes={"decision_reason": "已核实"}, reason="备注",
                         extra={"source": "test"})
    assert case.version == version + 1 and Case.objects.get(pk=case.pk).version == version + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "case.note" and event.reason == "备注"
    assert event.before == {"decision_reason": ""} and event.after == {"decision_reason": "已核实", "source": "test"}


def test_a_versioned_update_on_a_stale_row_changes_nothing(world):
    case = new_case(world)
    stale = Case.objects.get(pk=case.pk)
    kit.versioned_update(case, action="note", by=world.clerk_a, changes={"decision_reason": "一"})
    events = AuditEvent.objects.count()
    with pytest.raises(VersionConflict, match="办件刚被他人更新"):
        kit.versioned_update(stale, action="note", by=world.clerk_a, changes={"decision_reason": "二"})
    assert Case.objects.get(pk=case.pk).decision_reason == "一" and AuditEvent.objects.count() == events
    with pytest.raises(VersionConflict) as caught:
        kit.check_version(case, case.version - 1)
    assert caught.value.fields == {"version": str(case.version)}
