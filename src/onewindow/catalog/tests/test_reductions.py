"""三减: materials, steps and promised days cut against the baseline, average promised time, compression rate."""

from decimal import Decimal

import pytest

from onewindow.catalog import selectors, services
from onewindow.catalog.models import ItemVersion
from onewindow.catalog.tests.factories import DepartmentFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


def _revise(item, editor, *, materials: int, steps: int, promised_days: int, reason: str) -> ItemVersion:
    draft = services.start_draft(item, by=editor)
    services.update_draft(
        draft,
        by=editor,
        promised_days=promised_days,
        materials=[{"name": f"材料{i}"} for i in range(materials)],
        steps=[{"name": f"环节{i}", "role": "review", "days": 1} for i in range(steps)],
    )
    return services.publish_version(draft, by=editor, reason=reason)


@pytest.fixture
def department(editor):
    """Item A: v1 5 materials / 4 steps / 15 days (statutory 20) → v2 3 / 2 / 10. Item B: 4 / 3 / 8 (statutory 10), unchanged."""
    department = DepartmentFactory(name="区市场监督管理局")
    a = ServiceItemFactory(
        department=department,
        publish__n_materials=5,
        publish__n_steps=4,
        publish__statutory_days=20,
        publish__promised_days=15,
    )
    _revise(a, editor, materials=3, steps=2, promised_days=10, reason="减材料减环节")
    ServiceItemFactory(
        department=department,
        publish__n_materials=4,
        publish__n_steps=3,
        publish__statutory_days=10,
        publish__promised_days=8,
    )
    DepartmentFactory(name="区民政局")
    return department


def test_an_item_is_measured_against_its_first_published_version(department):
    a = department.items.order_by("pk").first()

    r = selectors.item_reduction(a)

    assert (r.baseline_number, r.current_number) == (1, 2)
    assert (r.materials_cut, r.steps_cut, r.days_cut) == (2, 2, 5)


def test_department_figures_add_up_the_cuts_and_average_the_promised_time(department):
    figures = dict(selectors.department_reductions())[department]

    assert figures.items == 2
    assert (figures.materials_cut, figures.steps_cut, figures.days_cut) == (2, 2, 5)
    assert figures.average_promised_days == Decimal("9.00")  # (10 + 8) / 2
    assert figures.compression_rate == Decimal("0.4000")  # 1 − (10 + 8) / (20 + 10)
    assert figures.compression_percent == Decimal("40.00")


def test_a_department_without_published_items_shows_zeros_and_no_rates(department):
    empty = next(s for d, s in selectors.department_reductions() if d.name == "区民政局")

    assert (empty.items, empty.materials_cut, empty.days_cut) == (0, 0, 0)
    assert empty.average_promised_days is None and empty.compression_rate is None


def test_an_admin_chosen_baseline_replaces_the_first_version(department, editor):
    a = department.items.order_by("pk").first()
    v2 = ItemVersion.objects.get(item=a, number=2)
    _revise(a, editor, materials=2, steps=2, promised_days=6, reason="再减一件材料")

    services.set_baseline_version(a, v2, by=editor)

    r = selectors.item_reduction(a)
    assert (r.baseline_number, r.current_number) == (2, 3)
    assert (r.materials_cut, r.steps_cut, r.days_cut) == (1, 0, 4)
