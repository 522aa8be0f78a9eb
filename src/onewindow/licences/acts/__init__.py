"""Composable acts of the licence register (证照): each runs inside its caller's transaction, consults the table
(`licences.lifecycle`), updates a licence only at the version that was read, appends to the audit chain and tells
the holder after commit. `licences.services` publishes the ones a person (or the scheduler) performs; the
receivers of the case engine's events (`acts.receivers`) write the entries that follow a case's acts."""

from onewindow.licences.acts.decisions import cancel_licence, decision_refusal, revoke_licence
from onewindow.licences.acts.register import deem_renewed, expire_licence, register_licence, renew_by_issued_result
from onewindow.licences.acts.renewal import RenewalTooLate, apply_for_renewal, renewal_refusal
from onewindow.licences.acts.sweep import deem_overdue_renewals, expire_licences, send_expiry_reminders

__all__ = [
    "RenewalTooLate", "apply_for_renewal", "cancel_licence", "decision_refusal", "deem_overdue_renewals",
    "deem_renewed", "expire_licence", "expire_licences", "register_licence", "renew_by_issued_result",
    "renewal_refusal", "revoke_licence", "send_expiry_reminders",
]
