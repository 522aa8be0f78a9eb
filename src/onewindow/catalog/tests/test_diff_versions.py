import pytest

from onewindow.catalog import selectors, services
from onewindow.catalog.models import ItemVersion
from onewindow.catalog.tests.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(editor):
    item = ServiceItemFactory(name="食品经营许可", publish__n_materials=0, publish__n_steps=0)
    first = ItemVersion.objects.get(pk=item.published_version_id)
    draft = services.start_draft(item, by=editor)
    services.update_draft(
        draft,
        by=editor,
        materials=[{"name": "申请书"}, {"name": "身份证明", "copies": 1}, {"name": "场地证明"}],
        steps=[{"name": "受理", "role": "accept", "days": 1}, {"name": "审查", "role": "review", "days": 5}],
    )
    services.publish_version(draft, by=editor, reason="补充材料与环节")
    second = services.start_draft(item, by=editor)
    services.update_draft(
        second,
        by=editor,
        name="食品经营许可（告知承诺）",
        promised_days=5,
        mode_online=True,
        materials=[{"name": "申请书"}, {"name": "身份证明", "copies": 2}, {"name": "承诺书"}],
        steps=[{"name": "受理", "role": "accept", "days": 1}, {"name": "审查", "role": "review", "days": 2}],
    )
    draft.refresh_from_db()
    return first, draft, second


def test_the_diff_names_every_changed_element_with_before_and_after(versions):
    _, published, draft = versions

    diff = selectors.diff_versions(published, draft)

    changes = {c.field: (c.label, c.before, c.after) for c in diff.elements}
    assert changes == {
        "name": ("事项名称", "食品经营许可", "食品经营许可（告知承诺）"),
        "promised_days": ("承诺办结时限（工作日）", "10", "5"),
        "mode_online": ("网上办", "否", "是"),
    }
    assert (diff.a_number, diff.b_number) == (2, 3)


def test_the_diff_lists_added_removed_and_changed_materials(versions):
    _, published, draft = versions

    diff = selectors.diff_versions(published, draft)

    assert diff.materials.added == ["承诺书"]
    assert diff.materials.removed == ["场地证明"]
    assert [(c.name, [(x.label, x.before, x.after) for x in c.changes]) for c in diff.materials.changed] == [
        ("身份证明", [("份数", "1", "2")])
    ]


def test_the_diff_lists_changed_steps(versions):
    _, published, draft = versions

    diff = selectors.diff_versions(published, draft)

    assert diff.steps.added == [] and diff.steps.removed == []
    assert [(c.name, [(x.before, x.after) for x in c.changes]) for c in diff.steps.changed] == [("审查", [("5", "2")])]


def test_materials_added_since_the_first_version_show_as_added(versions):
    first, published, _ = versions

    diff = selectors.diff_versions(first, published)

    assert diff.materials.added == ["申请书", "身份证明", "场地证明"]
    assert diff.steps.added == ["受理", "审查"]
    assert diff.elements == []


def test_a_version_compared_with_itself_has_no_changes(versions):
    _, published, _ = versions

    assert selectors.diff_versions(published, published).empty
