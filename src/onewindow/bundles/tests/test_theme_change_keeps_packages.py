"""A theme changes like an item's version (issue 10 §1): an item taken out of a theme that packages were applied
for is retired, not deleted; those packages keep their sub-case and its prerequisites, new ones leave it out."""

import json

from django.test import Client

from onewindow.bundles.tests.factories import FORM, apply
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import ThemeItem
from onewindow.core.services import create_token


def package_items(user, number):
    _, token = create_token(user)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(f"/api/v1/packages/{number}")
    assert response.status_code == 200, response.content
    return {sub["item_code"]: sorted(sub["requires"]) for sub in json.loads(response.content)["sub_cases"]}


def test_an_item_taken_out_of_a_theme_is_retired_for_the_packages_applied_for_it(world):
    package = apply(world)
    before = package_items(world.citizen, package.number)
    items = world.items
    drain = world.entries["drain"]

    catalog_services.set_theme_items(
        world.theme,
        [(items["licence"], []), (items["env"], []), (items["food"], [items["licence"]]),
         (items["fire"], [items["licence"]])],
        by=world.admin,
    )

    drain.refresh_from_db()
    assert drain.retired_at is not None
    assert not ThemeItem.objects.filter(pk=drain.pk).exists(), "the theme no longer lists the item"
    assert package_items(world.citizen, package.number) == before, "the package keeps its sub-cases as applied"
    assert sorted(before[items["drain"].implementation_code]) == sorted(
        [items["licence"].implementation_code, items["env"].implementation_code])
    # The drainage plan (排水设施图) was asked only by the item taken out: the form no longer has it.
    later = apply(world, when="2025-09-02", n=2, names=[name for name in FORM if name != "排水设施图"])
    assert items["drain"].implementation_code not in package_items(world.citizen, later.number)
