"""Renewal (延续, art. 50): a case of the licence's item opened through the case engine and linked to the licence,
applied for (submitted) at least 30 days before expiry — later it is refused with a clear error; an approved
renewal continues the licence with its new number and validity; a renewal the department has not decided by the
last day of validity is deemed granted by the scheduler's job, recorded and told. The licence here is valid
2025-09-01 – 2026-08-31: the last day to apply is Saturday 2026-08-01."""

import pytest

from onewindow.cases import services as case_services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, Notice
from onewindow.cases.tests.factories import at, correction_items, make_item
from onewindow.core.errors import ErrorCode, IllegalTransition, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.licences import services
from onewindow.licences.models import Licence, LicenceState, Renewal, RenewalOutcome
from onewindow.licences.selectors import licence_history
from onewindow.licences.tests.factories import accepted, day, decide_renewal, issued_licence, sweep, term


def test_the_holder_opens_a_renewal_case_of_the_licences_item_linked_to_the_licence(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-15"))
    case = renewal.case
    assert (case.state, case.item, case.applicant_user, case.channel) == (State.DRAFT, world.item_a, world.citizen,
                                                                        "online")
    assert case.applicant_id_number == licence.holder_id_number
    assert (renewal.licence, renewal.latest_on, renewal.applied_on) == (licence, day("2026-08-01"), None)
    case_services.submit_case(case, by=world.citizen, at=at("2026-07-20"))
    renewal.refresh_from_db()
    assert renewal.applied_on == day("2026-07-20"), "the application is made when the case is submitted"
    assert [e.action for e in licence_history(licence)][-2:] == ["licence.apply_renewal", "licence.renewal_submitted"]


def test_a_renewal_may_be_applied_for_on_the_last_day_thirty_days_before_expiry(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-08-01", 17))
    assert renewal.case.state == State.SUBMITTED and renewal.case.channel == "window"
    assert renewal.applied_on == day("2026-08-01")


def test_a_renewal_applied_for_29_days_before_expiry_is_refused_and_nothing_is_recorded(world):
    licence = issued_licence(world)
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Exception) as refused:
        services.apply_for_renewal(licence, by=world.citizen, at=at("2026-08-02"))
    assert refused.value.code == ErrorCode.RENEWAL_TOO_LATE and refused.value.status == 409
    assert "最迟申请日为 2026-08-01" in refused.value.message and "第五十条" in refused.value.message
    assert (Case.objects.count(), AuditEvent.objects.count(), Renewal.objects.count()) == (cases, events, 0)


def test_a_renewal_draft_submitted_after_the_last_day_is_refused_and_stays_a_draft(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-31"))
    with pytest.raises(Exception) as refused:
        case_services.submit_case(renewal.case, by=world.citizen, at=at("2026-08-03"))
    assert refused.value.code == ErrorCode.RENEWAL_TOO_LATE
    renewal.refresh_from_db()
    renewal.case.refresh_from_db()
    assert renewal.case.state == State.DRAFT and renewal.applied_on is None


def test_an_item_whose_law_provides_otherwise_uses_its_own_lead_time(world):
    term(world, 1, renewal_lead_days=20, lead_days_basis="某条例第十二条：有效期届满20日前")
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-08-11"))
    assert renewal.latest_on == day("2026-08-11")
    other = issued_licence(world, number="SC2025-0002", n=2)
    with pytest.raises(Exception) as refused:
        services.apply_for_renewal(other, by=world.clerk_a, at=at("2026-08-12"))
    assert refused.value.code == ErrorCode.RENEWAL_TOO_LATE and "某条例第十二条" in refused.value.message


def test_one_renewal_at_a_time_and_none_for_a_licence_without_a_term(world):
    licence = issued_licence(world)
    services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-01"))
    with pytest.raises(Exception) as refused:
        services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-02"))
    assert refused.value.code == ErrorCode.RENEWAL_PENDING
    Licence.objects.filter(pk=licence.pk).update(valid_until=None)
    licence.refresh_from_db()
    with pytest.raises(Exception) as refused:
        services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-02"))
    assert refused.value.code == ErrorCode.NOT_RENEWABLE


def test_an_item_of_another_matter_cannot_carry_the_renewal(world):
    licence = issued_licence(world)
    other = make_item(world.dept_a, code="SC-0099")
    with pytest.raises(InvalidInput) as refused:
        services.apply_for_renewal(licence, by=world.clerk_a, item=other, at=at("2026-07-01"))
    assert refused.value.fields == {"item_code": "not_for_renewal"}
    assert not Renewal.objects.exists()


def test_the_same_matters_renewal_item_may_carry_it(world):
    licence = issued_licence(world)
    renewal_item = make_item(world.dept_a, code="SC-0001-R")
    type(renewal_item).objects.filter(pk=renewal_item.pk).update(basic_code=world.item_a.basic_code)
    renewal_item.refresh_from_db()
    renewal = services.apply_for_renewal(licence, by=world.citizen, item=renewal_item, at=at("2026-07-01"))
    assert renewal.case.item == renewal_item


def test_an_approved_renewal_continues_the_licence_with_its_new_number_and_validity(world,
                                                                                 django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-07-15"))
    with django_capture_on_commit_callbacks(execute=True):
        decide_renewal(world, renewal.case, day="2026-08-10", number="SC2026-0100")
    licence.refresh_from_db()
    renewal.refresh_from_db()
    new = renewal.successor
    assert licence.state == LicenceState.RENEWED
    assert (new.number, new.valid_from, new.valid_until, new.renewed_from, new.deemed) == (
        "SC2026-0100", day("2026-09-01"), day("2027-08-31"), licence, False)
    assert new.state == LicenceState.VALID and new.holder_user == world.citizen and new.item == world.item_a
    assert renewal.outcome == RenewalOutcome.RENEWED
    assert Licence.objects.count() == 2, "the renewal case's licence is not registered a second time"
    assert Notice.objects.filter(recipient=world.citizen, kind="licence_renewed").exists()
    assert sweep("2026-09-01")["expired"] == 0, "a renewed licence does not expire"


def test_an_undecided_renewal_is_deemed_granted_the_day_after_the_last_day_of_validity(
        world, django_capture_on_commit_callbacks):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-07-15"))
    accepted(world, renewal.case, day="2026-07-16")
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep("2026-08-31", hour=23) == {"deemed_renewed": 0, "expired": 0, "reminded": 0}
        assert sweep("2026-09-01", hour=1) == {"deemed_renewed": 1, "expired": 0, "reminded": 0}
        assert sweep("2026-09-02")["deemed_renewed"] == 0
    licence.refresh_from_db()
    renewal.refresh_from_db()
    new = renewal.successor
    assert licence.state == LicenceState.RENEWED and "视为准予延续" in licence.state_reason
    assert "第五十条" in licence.state_basis
    assert (new.number, new.valid_from, new.valid_until, new.deemed) == (
        licence.number, day("2026-09-01"), day("2027-08-31"), True)
    assert renewal.outcome == RenewalOutcome.DEEMED
    told = Notice.objects.filter(kind="licence_deemed_renewed")
    assert told.filter(recipient=world.citizen).exists() and told.filter(recipient=world.leader_a).exists()
    assert [e.action for e in licence_history(licence)][-1] == "licence.renew"


def test_a_decision_after_a_deemed_renewal_issues_the_document_in_the_deemed_entrys_place(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-07-15"))
    accepted(world, renewal.case, day="2026-07-16")
    sweep("2026-09-01")
    renewal.refresh_from_db()
    deemed = renewal.successor
    case_services.approve_case(renewal.case, by=world.leader_a, at=at("2026-09-03"))
    case_services.issue_result(renewal.case, by=world.clerk_a, licence_number="SC2026-0200", at=at("2026-09-03", 16))
    deemed.refresh_from_db()
    renewal.refresh_from_db()
    assert deemed.state == LicenceState.RENEWED
    assert (renewal.successor.number, renewal.successor.valid_from, renewal.successor.valid_until) == (
        "SC2026-0200", day("2026-09-01"), day("2027-08-31"))


def test_a_renewal_waiting_for_the_applicants_correction_is_not_deemed_granted(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-07-15"))
    case_services.request_correction(renewal.case, by=world.clerk_a, items=correction_items(renewal.case),
                                     at=at("2026-07-16"))
    assert sweep("2026-09-01") == {"deemed_renewed": 0, "expired": 1, "reminded": 0}
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED


def test_a_denied_renewal_leaves_the_licence_to_expire(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-07-15"))
    decide_renewal(world, renewal.case, day="2026-08-10", approve=False)
    renewal.refresh_from_db()
    assert renewal.outcome == RenewalOutcome.DENIED
    assert sweep("2026-09-01") == {"deemed_renewed": 0, "expired": 1, "reminded": 0}


def test_a_withdrawn_renewal_ends_and_the_holder_may_apply_again_in_time(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-01"))
    case_services.withdraw_case(renewal.case, by=world.citizen, at=at("2026-07-02"))
    renewal.refresh_from_db()
    assert renewal.outcome == RenewalOutcome.ENDED
    assert services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-03")).outcome == RenewalOutcome.PENDING


def test_an_expired_or_revoked_licence_cannot_be_renewed(world):
    licence = issued_licence(world)
    services.revoke_licence(licence, by=world.leader_a, reason="以欺骗手段取得", legal_basis="行政许可法第六十九条第二款",
                            at=at("2026-07-01"))
    with pytest.raises(IllegalTransition):
        services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-02"))


def test_reminders_stop_while_a_submitted_renewal_runs(world):
    licence = issued_licence(world)
    services.apply_for_renewal(licence, by=world.clerk_a, submit=True, at=at("2026-06-20"))
    assert sweep("2026-07-02")["reminded"] == 0
    assert licence.reminders.count() == 0


def test_a_renewal_draft_of_a_cancelled_licence_ends_with_it_and_its_case_is_an_ordinary_application(world):
    licence = issued_licence(world)
    renewal = services.apply_for_renewal(licence, by=world.citizen, at=at("2026-07-01"))
    services.cancel_licence(licence, by=world.leader_a, reason="持证人申请注销", legal_basis="行政许可法第七十条第（六）项",
                            at=at("2026-07-02"))
    renewal.refresh_from_db()
    assert renewal.outcome == RenewalOutcome.ENDED
    case_services.submit_case(renewal.case, by=world.citizen, at=at("2026-08-20"))
    renewal.refresh_from_db()
    assert renewal.applied_on is None, "no renewal left to apply for: the submission is not refused as too late"
