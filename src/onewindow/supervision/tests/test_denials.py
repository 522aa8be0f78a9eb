"""审管分离 hands over approvals: a denial's result — the written denial decision, without a licence number — is
issued to the applicant and reaches no supervising department, however it is issued (page or API)."""

from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import case_in_state
from onewindow.supervision.models import SupervisionEvent, WebhookDelivery, WebhookEndpoint
from onewindow.supervision.tests.factories import issued, supervised_by
from onewindow.supervision.tests.test_inbox import _api
from onewindow.supervision.tests.test_inbox import _signed_in as _page


def test_the_leaders_page_issues_a_denial_without_a_licence_number_and_nobody_supervises_it(world):
    supervised_by(world, world.dept_b)
    WebhookEndpoint.objects.create(department=world.dept_b, url="http://127.0.0.1:9/hook", secret="k")
    case = case_in_state(world, State.DENIED)
    client = _page(world.leader_a)

    page = client.get(reverse("cases:case", args=[case.number])).content.decode()
    form = page.split('id="action-issue_denial"')[1].split("</form>")[0]
    assert 'name="licence_number"' not in form, "a denial's result is the written decision: no licence number"
    posted = client.post(reverse("cases:case_action", args=[case.number, "issue_denial"]),
                         {"expected_version": case.version})

    assert posted.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.licence_number) == (State.RESULT_ISSUED, "")
    assert not SupervisionEvent.objects.exists() and not WebhookDelivery.objects.exists()
    inbox = _page(world.reviewer_b).get("/supervision/").content.decode().split("<tbody>")[1]
    assert case.number not in inbox and "准予许可" not in inbox, "the supervising department's list stays empty"
    assert _api(world.reviewer_b).get("/api/v1/supervision/events").json() == []


def test_the_api_refuses_a_licence_number_for_a_denial_and_hands_off_nothing(world):
    case = case_in_state(world, State.DENIED)
    client = _api(world.leader_a)

    refused = client.post(f"/api/v1/cases/{case.number}/issue-result", {"licence_number": "SC2025-9999"},
                          content_type="application/json")

    assert refused.status_code == 409, "a licence is issued for an approval only"
    assert refused.json()["error"]["code"] == "illegal_transition"
    assert Case.objects.get(pk=case.pk).state == State.DENIED, "nothing was issued"
    issued_denial = client.post(f"/api/v1/cases/{case.number}/issue-denial", {}, content_type="application/json")
    assert issued_denial.status_code == 200 and issued_denial.json()["state"] == State.RESULT_ISSUED
    assert not SupervisionEvent.objects.exists()


def test_an_approval_is_handed_off_as_approved_and_a_denial_beside_it_is_not(world):
    approved = issued(world, n=1)
    denied = issued(world, approve=False, n=2)

    events = _api(world.leader_a).get("/api/v1/supervision/events").json()

    assert [(e["case_number"], e["payload"]["case"]["decision"]) for e in events] == [(approved.number, "approved")]
    assert denied.state == State.RESULT_ISSUED and denied.licence_number == ""


def test_an_approval_still_needs_its_licence_number(world):
    case = case_in_state(world, State.APPROVED)

    refused = _api(world.clerk_a).post(f"/api/v1/cases/{case.number}/issue-result", {},
                                       content_type="application/json")

    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"licence_number": "required"}
    assert Case.objects.get(pk=case.pk).state == State.APPROVED and not SupervisionEvent.objects.exists()
