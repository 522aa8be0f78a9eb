"""A package's sub-cases belong to the package: "my cases" lists the package as one entry linking to its page, not
its sub-cases; a sub-case's own page shows its true state and links to the package, and offers none of the acts
the package performs for it (no 重新提交申请, no materials, no withdrawal) — posting one anyway changes nothing."""

from django.test import Client

from onewindow.bundles import services
from onewindow.bundles.tests.factories import apply, at, sub_case
from onewindow.cases.lifecycle import State


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_cases_lists_the_package_once_linking_to_its_page_and_none_of_its_sub_cases(world):
    package = apply(world)
    html = _client(world.citizen).get("/my/cases/").content.decode()
    assert f'href="/bundles/packages/{package.number}/"' in html and "开饭店" in html
    for key in ("licence", "env", "food", "fire", "drain"):
        assert sub_case(package, key).number not in html, f"the {key} sub-case is listed through its package"


def test_a_sub_case_waiting_for_correction_offers_no_resubmission_of_its_own(world):
    package = apply(world, names=["申请书"])
    services.request_package_correction(package, by=world.window, note="请补齐", at=at("2025-09-01", 11))
    case = sub_case(package, "licence")
    assert case.state == State.CORRECTION_REQUESTED
    client = _client(world.citizen)
    html = client.get(f"/my/cases/{case.number}/").content.decode()
    assert case.state_label in html, "its true state"
    assert f'href="/bundles/packages/{package.number}/"' in html, "the way to the package"
    assert "重新提交申请" not in html and 'value="submit"' not in html and 'value="add_material"' not in html
    assert 'value="withdraw"' not in html
    response = client.post(f"/my/cases/{case.number}/", {"action": "submit", "expected_version": case.version})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == State.CORRECTION_REQUESTED, "posting the package's act on a sub-case changes nothing"
