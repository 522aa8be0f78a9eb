"""一件事 test fixtures: the 2024–2026 working-day calendar, media in a temporary folder, the restaurant world."""

import pytest

from onewindow.bundles.tests.factories import make_world


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
