"""The holder sees their own licences (我的证照, `GET /api/v1/licences`), the issuing department its own; nobody
sees or acts on anyone else's — a licence outside one's scope is 404, whether it exists or not. Identity numbers are
whole only for the issuing department's staff. Bad input is a clear 4xx and changes nothing."""

import json

import time_machine

from onewindow.cases.tests.factories import at
from onewindow.core.models import AuditEvent
from onewindow.licences.models import Licence, LicenceState, Renewal
from onewindow.licences.tests.factories import api, issued_licence, signed_in

BASIS_69 = "《中华人民共和国行政许可法》第六十九条第一款第（四）项"


def test_the_holder_lists_their_licences_and_another_citizen_sees_none(world):
    licence = issued_licence(world)
    mine = api(world.citizen).get("/api/v1/licences").json()
    assert [(row["number"], row["state"], row["valid_until"]) for row in mine] == [
        ("SC2025-0001", "valid", "2026-08-31")]
    assert mine[0]["renewal_deadline"] == "2026-08-01"
    assert "*" in mine[0]["holder_id_number"], "masked, even to the holder"
    assert api(world.citizen2).get("/api/v1/licences").json() == []
    assert api(world.citizen2).get(f"/api/v1/licences/{licence.pk}").status_code == 404
    assert api(world.citizen2).get(f"/api/v1/licences/{licence.pk}/history").status_code == 404
    assert api(world.citizen2).get("/api/v1/licences/999999").status_code == 404


def test_staff_see_their_departments_licences_with_the_whole_identity_number(world):
    licence = issued_licence(world)
    row = api(world.clerk_a).get(f"/api/v1/licences/{licence.pk}").json()
    assert row["holder_id_number"] == licence.holder_id_number
    assert api(world.reviewer_b).get("/api/v1/licences").json() == []
    assert api(world.reviewer_b).get(f"/api/v1/licences/{licence.pk}").status_code == 404
    center = api(world.supervisor).get(f"/api/v1/licences/{licence.pk}").json()
    assert "*" in center["holder_id_number"]


def test_the_history_lists_every_act(world):
    licence = issued_licence(world)
    history = api(world.citizen).get(f"/api/v1/licences/{licence.pk}/history").json()
    assert [e["action"] for e in history] == ["licence.register"]


def test_a_bad_filter_is_422(world):
    issued_licence(world)
    response = api(world.citizen).get("/api/v1/licences?state=lost")
    assert response.status_code == 422 and response.json()["error"]["fields"] == {"state": "choice"}
    assert api(world.citizen).get("/api/v1/licences?limit=0").status_code == 422
    assert api(world.citizen).get("/api/v1/licences?state=valid").json()[0]["number"] == "SC2025-0001"


def test_without_a_token_the_register_is_401():
    from django.test import Client

    assert Client().get("/api/v1/licences").status_code == 401


def test_the_holder_applies_for_renewal_through_the_api(world):
    licence = issued_licence(world)
    with time_machine.travel(at("2026-07-20"), tick=False):
        response = api(world.citizen).post(f"/api/v1/licences/{licence.pk}/renew", "{}",
                                           content_type="application/json")
        assert response.status_code == 201, response.content
        (renewal,) = response.json()["renewals"]
        assert renewal["outcome"] == "pending" and renewal["latest_on"] == "2026-08-01"
        assert renewal["case_state"] == "draft" and renewal["applied_on"] is None


def test_a_renewal_too_late_through_the_api_is_409_and_nothing_is_written(world):
    licence = issued_licence(world)
    client = api(world.citizen)
    events = AuditEvent.objects.count()
    with time_machine.travel(at("2026-08-02"), tick=False):
        response = client.post(f"/api/v1/licences/{licence.pk}/renew", '{"submit": true}',
                                           content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "renewal_too_late" and error["fields"]["latest_on"] == "2026-08-01"
    assert AuditEvent.objects.count() == events and not Renewal.objects.exists()


def test_another_citizen_cannot_renew_someone_elses_licence(world):
    licence = issued_licence(world)
    response = api(world.citizen2).post(f"/api/v1/licences/{licence.pk}/renew", "{}", content_type="application/json")
    assert response.status_code == 404 and not Renewal.objects.exists()


def test_an_unknown_item_for_the_renewal_is_422(world):
    licence = issued_licence(world)
    response = api(world.citizen).post(f"/api/v1/licences/{licence.pk}/renew", '{"item_code": "NOPE"}',
                                       content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["fields"] == {"item_code": "not_found"}


def test_revoke_and_cancel_through_the_api(world):
    licence = issued_licence(world)
    body = json.dumps({"reason": "申请人不具备法定条件", "legal_basis": BASIS_69, "expected_version": licence.version})
    response = api(world.leader_a).post(f"/api/v1/licences/{licence.pk}/revoke", body,
                                        content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "revoked"
    assert response.json()["state_basis"] == BASIS_69
    response = api(world.leader_a).post(f"/api/v1/licences/{licence.pk}/revoke", body,
                                        content_type="application/json")
    assert response.status_code == 409


def test_the_holder_and_other_departments_cannot_revoke_or_cancel_through_the_api(world):
    licence = issued_licence(world)
    body = json.dumps({"reason": "理由", "legal_basis": BASIS_69})
    assert api(world.citizen).post(f"/api/v1/licences/{licence.pk}/revoke", body,
                                   content_type="application/json").status_code == 403
    assert api(world.clerk_a).post(f"/api/v1/licences/{licence.pk}/cancel", body,
                                   content_type="application/json").status_code == 403
    assert api(world.leader_b).post(f"/api/v1/licences/{licence.pk}/cancel", body,
                                    content_type="application/json").status_code == 404
    missing = api(world.leader_a).post(f"/api/v1/licences/{licence.pk}/cancel", json.dumps({"reason": "理由"}),
                                       content_type="application/json")
    assert missing.status_code == 422 and missing.json()["error"]["fields"] == {"legal_basis": "required"}
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID and licence.version == 1


# -- pages ------------------------------------------------------------------------------------------------------
def test_my_licences_page_lists_mine_and_not_anothers(world):
    licence = issued_licence(world)
    page = signed_in(world.citizen).get("/my/licences/")
    assert page.status_code == 200 and "SC2025-0001" in page.content.decode()
    assert "SC2025-0001" not in signed_in(world.citizen2).get("/my/licences/").content.decode()
    assert signed_in(world.citizen2).get(f"/my/licences/{licence.pk}/").status_code == 404
    assert signed_in(world.clerk_a).get("/my/licences/").status_code == 403, "staff use the register"


def test_the_holder_applies_for_renewal_on_the_page_and_lands_on_the_new_case(world):
    licence = issued_licence(world)
    client = signed_in(world.citizen)
    with time_machine.travel(at("2026-07-20"), tick=False):
        page = client.get(f"/my/licences/{licence.pk}/").content.decode()
        assert "申请延续" in page and "2026-08-01" in page
        response = client.post(f"/my/licences/{licence.pk}/", {"action": "renew", "item": str(world.item_a.pk)})
    renewal = Renewal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/my/cases/{renewal.case.number}/"


def test_a_renewal_posted_too_late_on_the_page_is_409_with_the_reason(world):
    licence = issued_licence(world)
    client = signed_in(world.citizen)
    with time_machine.travel(at("2026-08-05"), tick=False):
        page = client.get(f"/my/licences/{licence.pk}/").content.decode()
        assert 'value="renew"' not in page, "the page offers no renewal it would refuse"
        response = client.post(f"/my/licences/{licence.pk}/", {"action": "renew", "item": str(world.item_a.pk)})
    assert response.status_code == 409 and "2026-08-01" in response.content.decode()
    assert not Renewal.objects.exists()


def test_the_leader_revokes_on_the_register_page_and_a_clerk_has_no_such_button(world):
    licence = issued_licence(world)
    leader = signed_in(world.leader_a)
    page = leader.get(f"/workbench/licences/{licence.pk}/").content.decode()
    assert 'value="revoke"' in page and 'value="cancel"' in page
    clerk_page = signed_in(world.clerk_a).get(f"/workbench/licences/{licence.pk}/").content.decode()
    assert 'value="revoke"' not in clerk_page
    refused = leader.post(f"/workbench/licences/{licence.pk}/", {"action": "revoke", "revoke-reason": "",
                                                                  "revoke-legal_basis": BASIS_69})
    assert refused.status_code == 422
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID
    done = leader.post(f"/workbench/licences/{licence.pk}/", {"action": "revoke", "revoke-reason": "超越法定职权",
                                                               "revoke-legal_basis": BASIS_69,
                                                               "revoke-expected_version": str(licence.version)})
    assert done.status_code == 302
    licence.refresh_from_db()
    assert licence.state == LicenceState.REVOKED
    assert "超越法定职权" in leader.get(f"/workbench/licences/{licence.pk}/").content.decode()


def test_a_clerk_posting_a_revocation_is_403_and_another_department_404(world):
    licence = issued_licence(world)
    post = {"action": "revoke", "revoke-reason": "理由", "revoke-legal_basis": BASIS_69}
    assert signed_in(world.clerk_a).post(f"/workbench/licences/{licence.pk}/", post).status_code == 403
    assert signed_in(world.leader_b).post(f"/workbench/licences/{licence.pk}/", post).status_code == 404
    assert signed_in(world.leader_b).get("/workbench/licences/").status_code == 200
    assert Licence.objects.get().state == LicenceState.VALID


def test_the_pages_in_english(world):
    licence = issued_licence(world)
    client = signed_in(world.citizen)
    client.cookies["django_language"] = "en"
    page = client.get(f"/my/licences/{licence.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My licences" in page and "Valid" in page
