"""The package page says what each sub-case that has not started waits for: the window's acceptance, its
department, or a prerequisite — never 等待前置事项 for an item that has none."""

import re

from django.test import Client

from onewindow.bundles.tests.factories import accepted, apply, decide


def _waiting_labels(user, package) -> dict[str, str]:
    """Item name → the text of its waiting bar, as the package page shows it."""
    client = Client()
    client.force_login(user)
    html = client.get(f"/bundles/packages/{package.number}/").content.decode()
    labels = {}
    for row in html.split('class="gantt-row"')[1:]:
        waiting = re.search(r'class="gantt-bar waiting"[^>]*>([^<]+)</span>', row)
        if waiting:
            labels[re.search(r"<strong[^>]*>([^<]+)</strong>", row)[1]] = waiting[1].strip()
    return labels


def test_before_acceptance_every_item_waits_for_the_window_not_for_prerequisites(world):
    package = apply(world)
    labels = _waiting_labels(world.citizen, package)
    assert set(labels) == {"licence许可", "env许可", "food许可", "fire许可", "drain许可"}
    assert set(labels.values()) == {"等待一窗受理"}, labels


def test_after_acceptance_only_items_with_unmet_prerequisites_wait_for_them(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    labels = _waiting_labels(world.citizen, package)
    assert labels == {"drain许可": "等待前置事项"}, "licence and env started at acceptance; drain still waits for env"
