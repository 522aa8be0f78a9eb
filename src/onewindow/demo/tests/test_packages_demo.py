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


def test_the_demo_packages_answer_their_themes_one_form_each_shared_element_once(district):
    from onewindow.demo import services
    from onewindow.demo.forms import case_answers
    from onewindow.demo.forms_data import theme_item_names
    from onewindow.forms.selectors import spec_of
    from onewindow.forms.validation import problems_of

    services.seed_forms("forms_themes", theme_item_names(), seed=2018)
    summary = seed_bundles_demo(seed=2018, today=dt.date(2025, 11, 28), answers=case_answers)
    assert summary["created"] == 36 and summary["saving"] >= 0.25, summary
    for state in ("submitted", "correction_requested", "accepted", "decided", "delivered"):
        assert summary[f"packages_{state}"] > 0, (state, summary)
    for package in Package.objects.prefetch_related("sub_cases__case__form_version"):
        cases = [sub.case for sub in package.sub_cases.all()]
        assert cases and all(c.form_version is not None for c in cases), package.number
        shared: dict[str, set] = {}
        for case in cases:
            spec = spec_of(case.form_version)
            assert case.answers and problems_of(spec, case.answers)[1] == [], case.number
            for field in spec.fields:
                if field.element and field.key in case.answers:
                    shared.setdefault(field.element, set()).add(repr(case.answers[field.key]))
        assert all(len(values) == 1 for values in shared.values()), f"{package.number}: {shared}"
        assert len([e for e in shared if e in {"applicant_name", "contact_mobile"}]) == 2
