"""Before expiry the holder is reminded (到期提醒) by the scheduler's job, 60 and 30 days ahead by default
(`LICENCES_REMINDER_DAYS`), once each; the day after the last day of validity the licence expires, the holder told.
The licence here is valid 2025-09-01 – 2026-08-31."""

from onewindow.cases.models import Notice
from onewindow.licences.models import ExpiryReminder, LicenceState
from onewindow.licences.selectors import licence_history
from onewindow.licences.tests.factories import issued_licence, sweep


def _reminders(world):
    return list(Notice.objects.filter(recipient=world.citizen, kind="licence_expiring").order_by("id"))


def test_the_holder_is_reminded_sixty_and_thirty_days_before_expiry_once_each(world, django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep("2026-07-01")["reminded"] == 0, "61 days before: too early"
        assert sweep("2026-07-02")["reminded"] == 1
        assert sweep("2026-07-02", hour=14)["reminded"] == 0, "once"
        assert sweep("2026-07-20")["reminded"] == 0
        assert sweep("2026-08-01")["reminded"] == 1
        assert sweep("2026-08-02")["reminded"] == 0
    notices = _reminders(world)
    assert len(notices) == 2
    assert "2026-08-31" in notices[0].body and "还有 60 天" in notices[0].body
    assert "请于 2026-08-01 前提出延续申请" in notices[0].body
    assert "还有 30 天" in notices[1].body
    assert sorted(ExpiryReminder.objects.filter(licence=licence).values_list("days_before", flat=True)) == [30, 60]
    assert [e.after["days_before"] for e in licence_history(licence) if e.action == "licence.remind"] == [[60], [30]]


def test_a_scheduler_that_missed_days_sends_one_notice_for_the_nearest_reminder(world, django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep("2026-08-10")["reminded"] == 1
        assert sweep("2026-08-11")["reminded"] == 0
    (notice,) = _reminders(world)
    assert "还有 21 天" in notice.body and "已过延续申请期限" in notice.body
    assert ExpiryReminder.objects.filter(licence=licence).count() == 2


def test_the_reminder_days_are_a_setting(world, settings, django_capture_on_commit_callbacks):
    settings.LICENCES_REMINDER_DAYS = [90]
    issued_licence(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep("2026-06-01")["reminded"] == 0
        assert sweep("2026-06-02")["reminded"] == 1, "90 days before 2026-08-31"
        assert sweep("2026-08-01")["reminded"] == 0, "no 30-day reminder configured"


def test_the_licence_expires_the_day_after_its_last_day_and_the_holder_is_told(world, django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep("2026-08-31", hour=23)["expired"] == 0, "still valid on its last day"
        assert sweep("2026-09-01", hour=0)["expired"] == 1
        assert sweep("2026-09-02")["expired"] == 0
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED
    assert Notice.objects.filter(recipient=world.citizen, kind="licence_expired").count() == 1
    assert [e.action for e in licence_history(licence)][-1] == "licence.expire"


def test_a_licence_without_a_fixed_validity_never_expires_nor_is_reminded(world):
    from onewindow.licences.models import LicenceTerm

    LicenceTerm.objects.create(item=world.item_a, validity_years=None)
    licence = issued_licence(world)
    assert sweep("2099-12-31") == {"deemed_renewed": 0, "expired": 0, "reminded": 0}
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID
