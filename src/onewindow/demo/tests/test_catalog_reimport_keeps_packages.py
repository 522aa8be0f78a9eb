"""The demo packages: every phase for the four demo themes, idempotent, well under the serial sum, each answering
its theme's one form (一表申请) with every shared data element the same in all its sub-cases. What
`onewindow catalog export` writes, `onewindow catalog import` reads back unchanged, also once 一件事 packages exist
(issue 10 §1); a theme used by packages changes like an item's version: the entries the packages were applied for
are retired, never deleted under them.

One module, so that the district and its packages are seeded once for all three (the seeding is most of their
time)."""

import copy
import datetime as dt

import pytest

from onewindow.bundles import selectors as bundle_selectors
from onewindow.bundles.demo import seed_bundles_demo
from onewindow.bundles.models import Package, SubCase
from onewindow.catalog import selectors
from onewindow.catalog.importexport import catalog_to_xlsx, export_catalog, import_catalog, xlsx_to_catalog
from onewindow.catalog.models import Theme, ThemeItem
from onewindow.demo.forms import case_answers, seed_forms
from onewindow.demo.forms_data import theme_item_names
from onewindow.forms.selectors import spec_of
from onewindow.forms.validation import problems_of


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The district and its packages, seeded once for the module inside a transaction rolled back at its end (as
    Django's `TestCase.setUpTestData` does): each test runs in a savepoint within it, so what one test changes is
    undone before the next, and seeding (the bulk of these tests' time) is paid once."""
    from django.test import TestCase, override_settings

    from onewindow.demo.district import build_district
    from onewindow.workdays.services import seed_from_package

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomics = TestCase._enter_atomics()
        try:
            seed_from_package(years=[2024, 2025, 2026])
            import_catalog(build_district(2018), by=None)
            # As the demo command does: the themes' forms online first, the packages answering them.
            seed_forms(theme_item_names(), by=None)
            yield seed_bundles_demo(seed=2018, today=dt.date(2025, 11, 28), answers=case_answers)
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture
def demo_with_packages(_seeded_once, db):
    """The seeded district, as the module's seeding left it; the seeding's summary."""
    return _seeded_once


def test_the_demo_seeds_every_phase_of_every_theme_once_and_beats_the_serial_sum(demo_with_packages):
    summary = demo_with_packages
    assert summary["created"] == 36
    for state in ("submitted", "correction_requested", "accepted", "decided", "delivered"):
        assert summary[f"packages_{state}"] > 0, (state, summary)
    assert set(Package.objects.values_list("theme__code", flat=True)) == {"hotel", "restaurant", "entertainment",
                                                                          "construction"}
    # Working days (the packages' own figures), not the seeding's speed.
    assert summary["saving"] >= 0.25, f"average total time must be ≥25 % below the serial sum: {summary}"
    count = Package.objects.count()
    again = seed_bundles_demo(seed=2018, today=dt.date(2025, 11, 28))
    assert again["created"] == 0 and Package.objects.count() == count


def test_the_demo_packages_answer_their_themes_one_form_each_shared_element_once(demo_with_packages):
    packages = Package.objects.prefetch_related("sub_cases__case__form_version")
    assert packages.count() == 36
    for package in packages:
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
        assert {"applicant_name", "contact_mobile"} <= set(shared)
        assert shared["applicant_name"] == {repr(package.applicant_name)}, "the company applying names itself"


def sub_case_entries():
    return sorted(SubCase.objects.values_list("id", "theme_item_id", "theme_item__item__implementation_code"))


def test_the_demos_own_export_imports_back_unchanged_as_json_and_as_xlsx(demo_with_packages):
    before = sub_case_entries()
    first = export_catalog()

    report = import_catalog(copy.deepcopy(first))
    assert report.items_created == report.items_updated == report.themes_created == report.themes_updated == 0
    assert report.items_unchanged == len(first["items"])
    assert export_catalog() == first

    data, locations, problems = xlsx_to_catalog(catalog_to_xlsx(first))
    assert problems == []
    report = import_catalog(data, locations=locations, known_problems=problems)
    assert report.items_updated == report.themes_updated == 0
    assert export_catalog() == first
    assert sub_case_entries() == before


def test_an_item_taken_out_of_a_theme_with_packages_is_retired_for_them_and_can_come_back(demo_with_packages):
    data = export_catalog()
    theme = next(t for t in data["themes"] if t["code"] == "restaurant")
    used = set(SubCase.objects.filter(package__theme__code="restaurant").values_list(
        "theme_item__item__implementation_code", flat=True))
    dropped = next(ref for ref in theme["items"] if ref["item"] in used and not any(
        ref["item"] in other["requires"] for other in theme["items"]))
    before = sub_case_entries()
    theme["items"].remove(dropped)

    import_catalog(data)

    restaurant = Theme.objects.get(code="restaurant")
    entry = ThemeItem.all_entries.get(theme=restaurant, item__implementation_code=dropped["item"])
    assert entry.retired_at is not None, "the entry the packages were applied for is kept, marked retired"
    assert sub_case_entries() == before, "every package keeps its sub-cases and their entries"
    assert Package.objects.filter(theme=restaurant).exists()
    assert dropped["item"] not in [e.item.implementation_code for e in bundle_selectors.theme_entries(restaurant)]
    assert export_catalog() == data, "the theme now exports without the item"
    shown = selectors.published_themes().get(code="restaurant")
    assert shown.item_count == len(theme["items"])
    assert not selectors.published_items(theme="restaurant").filter(implementation_code=dropped["item"]).exists()

    theme["items"].append(dropped)
    import_catalog(data)

    back = ThemeItem.objects.get(theme=restaurant, item__implementation_code=dropped["item"])
    assert back.pk == entry.pk and back.retired_at is None
    assert export_catalog() == data
