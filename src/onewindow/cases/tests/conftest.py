"""Case test fixtures: the working-day calendar for 2024–2026 and a small world of departments and people."""

import pytest

from onewindow.cases.tests.factories import make_world


@pytest.fixture
def calendar_loaded(db):
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2024, 2025, 2026])


@pytest.fixture
def world(calendar_loaded):
    return make_world()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
