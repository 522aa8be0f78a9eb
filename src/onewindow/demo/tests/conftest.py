"""The demo's tests use the 一件事 fixtures: the 2024–2026 calendar and media in a temporary folder."""

from onewindow.bundles.tests.conftest import _media_in_tmp, calendar_loaded  # noqa: F401 - fixtures, by name
