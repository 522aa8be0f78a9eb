"""Licence test fixtures: the case engine's (calendar 2024–2026, a world of two departments, media in a temporary
folder, fast password hashing)."""

from onewindow.cases.tests.conftest import _media_in_tmp, calendar_loaded, world  # noqa: F401
