"""On a case page several action forms stand side by side: every field keeps an id of its own, and every visible
field has a label that names and focuses it — not a field of another form (issue 15, accessibility)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import case_in_state, complete_materials, hearing_case


class _Fields(HTMLParser):
    """Every id on the page, every form control (its id and type), every label's `for`, and the controls that sit
    inside a label or a group labelled by another element."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.controls: list[tuple[str, str]] = []
        self.label_for: set[str] = set()
        self.wrapped: set[str] = set()
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls.append((attrs.get("id") or "", attrs.get("name") or ""))
            if self._open_labels:
                self.wrapped.add(attrs.get("id") or attrs.get("name") or "")

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels = max(0, self._open_labels - 1)


def _parse(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def _page(client, user, case, name="cases:case"):
    client.force_login(user)
    response = client.get(reverse(name, args=[case.number]))
    assert response.status_code == 200
    return response.content.decode()


def _assert_unique_and_labelled(html: str, who: str) -> None:
    parsed = _parse(html)
    repeated = sorted(i for i, n in Counter(parsed.ids).items() if n > 1)
    assert not repeated, f"{who}: ids repeated on the page: {repeated}"
    unlabelled = [name for control_id, name in parsed.controls
                  if control_id not in parsed.label_for and (control_id or name) not in parsed.wrapped]
    assert not unlabelled, f"{who}: fields without a label of their own: {unlabelled}"


@pytest.mark.parametrize("state", [State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED])
def test_the_leaders_case_page_repeats_no_id_and_labels_every_field(client, world, state):
    case = case_in_state(world, state)

    html = _page(client, world.leader_a, case)

    assert html.count('id="action-') >= 2, "several action forms are on the page"
    _assert_unique_and_labelled(html, f"the leader on a {state} case")


def test_the_deny_forms_reason_and_legal_basis_are_labelled_by_their_own_labels(client, world):
    case = case_in_state(world, State.IN_REVIEW)

    html = _page(client, world.reviewer_a, case)

    for field in ("reason", "legal_basis"):
        assert f'<label for="id_deny-{field}">' in html, f"the deny form's {field} has its own label"
        assert f'id="id_deny-{field}"' in html
    assert 'id="id_reason"' not in html, "no form leaves its field on the bare id that three forms shared"


def test_a_submitted_case_with_every_material_shows_unique_fields_to_its_clerk(client, world):
    case = case_in_state(world, State.SUBMITTED)
    complete_materials(case, by=world.clerk_a)

    _assert_unique_and_labelled(_page(client, world.clerk_a, case), "the clerk")


def test_the_applicants_case_page_repeats_no_id_while_a_hearing_is_offered(client, world):
    case = hearing_case(world, "notified")

    html = _page(client, world.citizen, case, "cases:my_case")

    assert html.count('name="action"') >= 2, "the applicant is offered several forms"
    _assert_unique_and_labelled(html, "the applicant")


def test_a_refused_form_shown_again_keeps_its_own_ids(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.reviewer_a)

    response = client.post(reverse("cases:case_action", args=[case.number, "deny"]),
                           {"expected_version": case.version, "reason": "", "legal_basis": ""})

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_deny-reason"' in html
    _assert_unique_and_labelled(html, "the reviewer after a refused denial")
