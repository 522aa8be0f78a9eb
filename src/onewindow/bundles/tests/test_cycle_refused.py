"""Prerequisites form a DAG: a theme whose prerequisites loop is refused when someone applies for it."""

import pytest

from onewindow.bundles import services
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import company, form_files
from onewindow.cases.models import Case
from onewindow.catalog.dag import CycleError
from onewindow.core.errors import Conflict


def test_applying_for_a_theme_with_a_prerequisite_loop_is_refused_and_creates_nothing(world):
    world.entries["licence"].requires.add(world.entries["fire"])  # licence ← fire ← licence
    with pytest.raises(Conflict) as caught:
        services.apply_for_theme(by=world.citizen, theme=world.theme, applicant=company(), channel="online",
                                 materials=form_files())
    assert caught.value.code == "cycle"
    assert "licence许可" in caught.value.message and "fire许可" in caught.value.message
    assert Package.objects.count() == 0
    assert Case.objects.count() == 0


def test_the_theme_figures_refuse_a_loop_too(world):
    from onewindow.bundles.selectors import theme_figures

    world.entries["env"].requires.add(world.entries["drain"])
    with pytest.raises(CycleError):
        theme_figures(world.theme)
