"""A notice is issued by its act — the acceptance notice by whoever accepted, a decision by whoever decided — and
recorded once as that act. Printing or downloading a copy, from the case page, "my case" or the API, is recorded
as a copy taken by that person and never makes them its issuer: a reviewer who downloads the acceptance notice does
not appear as the one who issued it. Every kind of notice is walked."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.documents import ISSUING_ACTS, NoticeKind
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.selectors import case_timeline
from onewindow.cases.tests.factories import at, case_in_state, hearing_case
from onewindow.cases.tests.one_call import api_client
from onewindow.cases.views.case_page import _timeline


def _extended(world) -> Case:
    case = case_in_state(world, State.IN_REVIEW)
    services.extend_case(case, by=world.leader_a, days=3, reason="情况复杂", at=at("2025-09-02"))
    return Case.objects.get(pk=case.pk)


def _approved(world) -> Case:
    case = case_in_state(world, State.IN_REVIEW)
    services.approve_case(case, by=world.reviewer_a, legal_basis="《某条例》第十条", at=at("2025-09-02"))
    return Case.objects.get(pk=case.pk)


# Each kind of notice: a case that has it.
CASES = {
    NoticeKind.ACCEPTANCE: lambda world: case_in_state(world, State.ACCEPTED),
    NoticeKind.CORRECTION: lambda world: case_in_state(world, State.CORRECTION_REQUESTED),
    NoticeKind.REFUSAL: lambda world: case_in_state(world, State.NOT_ACCEPTED),
    NoticeKind.APPROVAL: _approved,
    NoticeKind.DENIAL: lambda world: case_in_state(world, State.DENIED),
    NoticeKind.SUSPENSION: lambda world: case_in_state(world, State.SUSPENDED),
    NoticeKind.HEARING_RIGHT: lambda world: hearing_case(world, "notified"),
    NoticeKind.HEARING_NOTICE: lambda world: hearing_case(world, "scheduled"),
    NoticeKind.EXTENSION: _extended,
}


# The 申请表 is the applicant's own form printed from their answers: the center issues every other kind.
ISSUED_BY_THE_CENTER = set(NoticeKind) - {NoticeKind.APPLICATION_FORM}


def test_every_kind_of_notice_has_the_act_that_issues_it():
    assert set(ISSUING_ACTS.values()) == ISSUED_BY_THE_CENTER
    assert set(CASES) == ISSUED_BY_THE_CENTER


def _issuers(case: Case, kind: NoticeKind) -> list[str]:
    """Who the case page's record names as having issued `kind`."""
    return [row["who"] for row in _timeline(case) if row["issued"] == kind.title]


def _downloads(world, case: Case, kind: NoticeKind):
    """The reviewer's copy from the case page, the supervisor's through the API, the applicant's from my case."""
    reviewer = Client()
    reviewer.force_login(world.reviewer_a2)
    applicant = Client()
    applicant.force_login(world.citizen)
    return [
        ("a reviewer who took no part", world.reviewer_a2,
         reviewer.get(reverse("cases:notice", args=[case.number, kind.value]))),
        ("a supervisor", world.supervisor,
         api_client(world.supervisor).get(f"/api/v1/cases/{case.number}/notices/{kind.value}")),
        ("the applicant", world.citizen, applicant.get(reverse("cases:my_notice", args=[case.number, kind.value]))),
    ]


@pytest.mark.parametrize("kind", sorted(ISSUED_BY_THE_CENTER), ids=str)
def test_a_copy_taken_by_anyone_is_recorded_as_printed_and_never_as_issued(world, kind):
    with time_machine.travel(at("2025-09-02", 15), tick=False):
        case = CASES[kind](world)
        issuing = case_timeline(case).filter(action=f"case.{_act_of(case, kind)}").last()
        before = list(case_timeline(case).values_list("action", flat=True))

        downloads = _downloads(world, case, kind)

    for who, _user, response in downloads:
        assert response.status_code == 200, f"{who} prints the {kind.title}: {response.status_code}"
        assert response["Content-Type"] == "application/pdf"
    added = list(case_timeline(case).exclude(pk__in=case_timeline(case)[:len(before)].values("pk")))
    assert [e.action for e in added] == ["case.document_printed"] * 3, "each copy is one 'printed' fact, no issue"
    assert [e.actor_id for e in added] == [user.pk for _who, user, _r in downloads]
    assert {e.after["kind"] for e in added} == {kind.value}
    assert _issuers(case, kind) == [issuing.actor_label], \
        f"the {kind.title} is issued once, by {issuing.actor_label}, whoever printed it"


def _act_of(case: Case, kind: NoticeKind) -> str:
    """The act on this case that issued `kind` (acceptance: `accept`, unless deemed)."""
    acts = [action for action, issued in ISSUING_ACTS.items() if issued == kind]
    recorded = set(case_timeline(case).values_list("action", flat=True))
    return next(a for a in acts if f"case.{a}" in recorded)


def test_the_reviewer_who_downloads_the_acceptance_notice_is_not_shown_as_its_issuer(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.reviewer_a)

    client.get(reverse("cases:notice", args=[case.number, "acceptance"]))
    page = client.get(reverse("cases:case", args=[case.number])).content.decode()

    record = page[page.index('class="timeline"'):]
    accepted = record[record.index("出具受理通知书") - 400:record.index("出具受理通知书")]
    assert world.clerk_a.display_name in accepted or "clerk_a" in accepted, "the acceptance notice's issuer is the clerk"
    assert record.count("出具受理通知书") == 1
    assert "出具文书" not in page
