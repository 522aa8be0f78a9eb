"""The demo packages: every phase for the four demo themes, idempotent, well under the serial sum."""

import datetime as dt

import pytest

from onewindow.bundles.demo import seed_bundles_demo
from onewindow.bundles.models import Package


@pytest.fixture
def district(calendar_loaded):
    from onewindow.catalog.importexport import import_catalog
    from onewindow.demo.district import build_district

    import_catalog(build_district(2018), by=None)


def test_the_demo_seeds_every_phase_of_every_theme_once_and_beats_the_serial_sum(district):
    summary = seed_bundles_demo(seed=2018, today=dt.date(2025, 11, 28))
    assert summary["created"] == 36
    for state in ("submitted", "correction_requested", "accepted", "decided", "delivered"):
        assert summary[f"packages_{state}"] > 0, (state, summary)
    assert set(Package.objects.values_list("theme__code", flat=True)) == {"hotel", "restaurant", "entertainment",
                                                                          "construction"}
    assert summary["saving"] >= 0.25, f"average total time must be ≥25 % below the serial sum: {summary}"
    count = Package.objects.count()
    again = seed_bundles_demo(seed=2018, today=dt.date(2025, 11, 28))
    assert again["created"] == 0 and Package.objects.count() == count
