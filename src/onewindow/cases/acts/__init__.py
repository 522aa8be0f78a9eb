"""Composable acts of the case engine (办件): each runs inside its caller's transaction, consults the lifecycle
table (`cases.lifecycle`), checks who may act, moves the stored clock dates, updates the case only at the version
that was read (optimistic lock: two clerks, one case → one wins, the other gets 409), appends to the audit chain
and sends its declared event (`cases.events`). Notices to people go out after commit.

`cases.services` publishes them as the public services (one durable transaction each); a 一件事 package composes
them so that a package act and the acts on its sub-cases commit or roll back together. `at` back-dates an act
(the demo, imports); it defaults to now.

`refusal(case, by, action)` says, without raising, why an act would refuse `by` whatever they fill in (the
lifecycle table, scope, department, the action's own rule): the acts raise it, the action registry asks it.
"""

from onewindow.cases.acts.acceptance import accept_case, deem_accepted, refuse_case, request_correction
from onewindow.cases.acts.base import (
    CITIZEN_CHANNELS,
    CLERK_CHANNELS,
    MATERIAL_STATES,
    QUERY_CODE_ALPHABET,
    Agent,
    Applicant,
    CorrectionItem,
    Problem,
    refusal,
)
from onewindow.cases.acts.decision import (
    approve_case,
    deliver_case,
    deny_case,
    issue_denial,
    issue_result,
    revoke_approval,
    terminate_case,
    withdraw_case,
)
from onewindow.cases.acts.hearing import (
    lapse_hearing,
    notify_hearing_right,
    record_hearing,
    request_hearing,
    schedule_hearing,
    waive_hearing,
)
from onewindow.cases.acts.intake import (
    CheckedMaterial,
    Decision,
    Delivery,
    Intake,
    MaterialStatus,
    Scan,
    SuppliedMaterial,
    WindowDecision,
    apply_online,
    checklist_problems,
    create_case,
    file_application_form,
    record_corrected_answers,
    resubmit_with_corrections,
    submit_case,
    supply_problems,
    take_in_at_window,
)
from onewindow.cases.acts.materials import (
    add_material,
    fetch_shared_material,
    may_act_for_applicant,
    record_authorization,
    require_acting_for_applicant,
    reuse_material,
)
from onewindow.cases.acts.notices import mark_notice_read, record_document_printed
from onewindow.cases.acts.review import assign_case, extend_case, resume_case, suspend_case
from onewindow.cases.acts.staging import discard_staged, stage_upload

__all__ = [
    "CITIZEN_CHANNELS", "CLERK_CHANNELS", "MATERIAL_STATES", "QUERY_CODE_ALPHABET", "Agent", "Applicant",
    "CheckedMaterial", "CorrectionItem", "Decision", "Delivery", "Intake", "MaterialStatus", "Problem", "Scan",
    "SuppliedMaterial", "WindowDecision", "accept_case", "add_material", "apply_online", "approve_case",
    "assign_case", "checklist_problems", "create_case", "deem_accepted", "deliver_case", "deny_case", "extend_case",
    "fetch_shared_material", "issue_result", "mark_notice_read", "record_document_printed", "refusal", "refuse_case",
    "file_application_form",
    "record_corrected_answers", "request_correction", "resubmit_with_corrections", "resume_case", "reuse_material",
    "submit_case",
    "may_act_for_applicant", "record_authorization", "require_acting_for_applicant",
    "supply_problems", "suspend_case", "take_in_at_window", "terminate_case", "withdraw_case",
    "issue_denial", "revoke_approval", "notify_hearing_right", "request_hearing", "schedule_hearing",
    "record_hearing", "waive_hearing", "lapse_hearing", "stage_upload", "discard_staged",
]
