"""A theme shows three figures: its promised limit, the serial sum of its items, and the critical path."""

from onewindow.bundles.selectors import theme_figures, theme_guide


def test_the_three_figures_of_the_restaurant_theme_match_the_hand_computed_ones(world):
    figures = theme_figures(world.theme)
    assert figures.promised_days == 10
    assert figures.serial_days == 3 + 1 + 5 + 7 + 5
    # licence 3 → fire 7 = 10 beats licence → food 8, licence → drain 8, env → drain 6.
    assert figures.critical_days == 10
    assert figures.critical_path == [world.entries["licence"].pk, world.entries["fire"].pk]
    assert round(figures.saving_ratio, 3) == round(1 - 10 / 21, 3)


def test_making_the_food_permit_longer_moves_the_critical_path(world):
    from onewindow.catalog.models import ItemVersion

    version = world.items["food"].published_version
    ItemVersion.objects.filter(pk=version.pk).update(promised_days=12)
    figures = theme_figures(world.theme)
    assert (figures.critical_days, figures.critical_path) == (15, [world.entries["licence"].pk,
                                                                   world.entries["food"].pk])


def test_the_guide_marks_the_items_on_the_critical_path_and_their_earliest_start(world):
    guide = theme_guide("restaurant")
    by_code = {row["code"]: row for row in guide["items"]}
    assert by_code["SC-licence"]["critical"] and by_code["XF-fire"]["critical"]
    assert not by_code["WS-food"]["critical"]
    assert by_code["PS-drain"]["earliest_start"] == 3
