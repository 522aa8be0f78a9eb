"""A package's own working-day dates follow the year's notice once it is loaded (issue 9 §7): the promised date and
the light of a running package, audited, the applicant told; its sub-cases are recounted by the case engine."""

from __future__ import annotations

import datetime as dt

from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import accepted
from onewindow.cases.models import Notice
from onewindow.cases.tests.test_calendar_recount import load_notice
from onewindow.core.models import AuditEvent
from onewindow.workdays import selectors

D = dt.date.fromisoformat


def test_loading_the_notice_moves_a_running_package_and_tells_its_applicant(
        world, tmp_path, django_capture_on_commit_callbacks):
    world.theme.promised_days = 4
    world.theme.save()
    package = accepted(world, when="2026-12-29")
    # Provisional 2027: 30, 31 Dec, 4, 5 Jan.
    assert package.due_on == D("2027-01-05") and selectors.is_provisional(package.due_on)
    version = Package.objects.get(pk=package.pk).version

    with django_capture_on_commit_callbacks(execute=True):
        load_notice(tmp_path)  # 4 Jan a bridging holiday, Saturday 9 Jan a working day

    stored = Package.objects.get(pk=package.pk)
    assert stored.due_on == D("2027-01-06") and stored.clock_due_on == D("2027-01-06")
    assert not selectors.is_provisional(stored.due_on)
    assert stored.version == version + 1
    assert AuditEvent.objects.filter(action="package.recount", object_id=str(package.pk)).exists()
    notice = Notice.objects.get(kind="calendar_changed", recipient=world.citizen, case=None)
    assert "2027-01-05 → 2027-01-06" in notice.body
