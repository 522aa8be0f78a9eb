"""The webhook settings are named SUPERVISION_WEBHOOK_*; their names of the previous release (BUNDLES_WEBHOOK_*)
are read for one release, and a deployment check says so."""

from onewindow import settings as project_settings
from onewindow.supervision.checks import previous_setting_names


def test_a_setting_under_its_previous_name_is_read_when_the_new_name_is_unset(monkeypatch):
    monkeypatch.delenv("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", raising=False)
    monkeypatch.setenv("BUNDLES_WEBHOOK_MAX_ATTEMPTS", "5")
    assert project_settings.env_int("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", 8) == 5
    monkeypatch.setenv("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", "3")
    assert project_settings.env_int("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", 8) == 3, "the new name wins"
    monkeypatch.delenv("BUNDLES_WEBHOOK_MAX_ATTEMPTS")
    monkeypatch.delenv("SUPERVISION_WEBHOOK_MAX_ATTEMPTS")
    assert project_settings.env_int("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", 8) == 8


def test_the_deployment_check_names_each_setting_still_under_its_previous_name(monkeypatch):
    for name in project_settings.RENAMED_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(project_settings.RENAMED_ENVIRONMENT[name], raising=False)
    assert previous_setting_names() == []
    monkeypatch.setenv("BUNDLES_WEBHOOK_TIMEOUT", "10")
    [warning] = previous_setting_names()
    assert warning.id == "supervision.W001"
    assert "BUNDLES_WEBHOOK_TIMEOUT" in warning.msg and "SUPERVISION_WEBHOOK_TIMEOUT" in warning.msg
    monkeypatch.setenv("SUPERVISION_WEBHOOK_TIMEOUT", "10")
    assert previous_setting_names() == [], "set under the new name: nothing to say"
