"""The case forms as a screen reader meets them — applying online, intake at the window, correcting and
resubmitting, tracking: no id twice on a page, every hint and error a field points at is there, every field
labelled, the skip link first; after a refused submit the invalid fields say so and the error summary links to
each of them."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import at, case_in_state
from onewindow.catalog.models import ItemVersion
from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def _checked(response, status: int) -> str:
    assert response.status_code == status, response.status_code
    html = response.content.decode()
    assert accessibility_problems(html) == [], response.request["PATH_INFO"]
    return html


def test_the_online_application_form_is_whole_and_a_refused_one_links_its_errors_to_the_fields(client, world):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    client.force_login(world.citizen)
    url = reverse("cases:apply", args=[world.item_a.implementation_code])
    _checked(client.get(url), 200)

    html = _checked(client.post(url, {"applicant_kind": "person", "applicant_name": "",
                                      "applicant_id_number": "12345", "applicant_mobile": "1"}), 422)

    links = error_summary_links(html)
    assert {"#id_applicant_name", "#id_applicant_id_number", "#id_applicant_mobile"} <= set(links), links
    name = attributes_of(html, "id_applicant_name")
    assert name["aria-invalid"] == "true" and "id_applicant_name_error" in name["aria-describedby"].split()


def test_the_window_intake_form_is_whole_and_a_refused_one_links_its_errors_to_the_fields(client, world):
    client.force_login(world.clerk_a)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])
    _checked(client.get(url), 200)

    html = _checked(client.post(url, {"idempotency_key": "k-1", "applicant_kind": "person"}), 422)

    links = error_summary_links(html)
    assert "#id_applicant_name" in links and len(links) >= 3, links


def test_the_correction_and_resubmission_page_is_whole_and_a_refused_resubmission_links_its_errors(client, world):
    case = case_in_state(world, State.CORRECTION_REQUESTED, when=at("2025-09-02"))
    client.force_login(world.citizen)
    url = reverse("cases:my_case", args=[case.number])
    _checked(client.get(url), 200)

    html = _checked(client.post(url, {"action": "submit", "expected_version": case.version}), 422)

    links = error_summary_links(html)
    assert links and all(link.startswith("#id_submit-") for link in links), links


def test_the_tracking_form_is_whole(client, world):
    _checked(client.get(reverse("cases:track")), 200)
