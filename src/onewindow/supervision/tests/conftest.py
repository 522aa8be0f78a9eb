"""Supervision test fixtures: the case engine's (calendar, a world of two departments, media in a temporary
folder, fast password hashing). Every result handed off here is a case on its own."""

from onewindow.cases.tests.conftest import _media_in_tmp, calendar_loaded, world  # noqa: F401
