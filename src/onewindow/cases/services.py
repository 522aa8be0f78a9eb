"""The public services of the case engine (办件): one durable transaction each, for views, the API, commands.

Each is the composable act of the same name in `cases.acts` (see there for what every act does); the docstring
of each service is its act's. A 一件事 package composes `cases.acts` instead, inside its own transaction.
The typed inputs (`Applicant`, `CheckedMaterial`, `WindowDecision`…) and the pure check of a window's checklist
(`checklist_problems`, which the intake form asks before posting) come with them.
"""

from __future__ import annotations

from onewindow.cases import acts
from onewindow.cases.acts import (
    CITIZEN_CHANNELS,
    CLERK_CHANNELS,
    MATERIAL_STATES,
    QUERY_CODE_ALPHABET,
    Agent,
    Applicant,
    CheckedMaterial,
    CorrectionItem,
    Decision,
    Delivery,
    Intake,
    MaterialStatus,
    Problem,
    Scan,
    SuppliedMaterial,
    WindowDecision,
    checklist_problems,
)
from onewindow.core.kit import service

__all__ = [
    "CITIZEN_CHANNELS", "CLERK_CHANNELS", "MATERIAL_STATES", "QUERY_CODE_ALPHABET", "Agent", "Applicant",
    "CheckedMaterial", "CorrectionItem", "Decision", "Delivery", "Intake", "MaterialStatus", "Problem", "Scan",
    "SuppliedMaterial", "WindowDecision", "checklist_problems",
]

# -- intake (收件): one step, or a whole intake in one go (all or nothing) -----------------------------------------
create_case = service(acts.create_case)
submit_case = service(acts.submit_case)
take_in_at_window = service(acts.take_in_at_window)
apply_online = service(acts.apply_online)
resubmit_with_corrections = service(acts.resubmit_with_corrections)
# -- acceptance (受理) -----------------------------------------------------------------------------------------
accept_case = service(acts.accept_case)
request_correction = service(acts.request_correction)
refuse_case = service(acts.refuse_case)
deem_accepted = service(acts.deem_accepted)
# -- review (审查) ---------------------------------------------------------------------------------------------
assign_case = service(acts.assign_case)
suspend_case = service(acts.suspend_case)
resume_case = service(acts.resume_case)
extend_case = service(acts.extend_case)
# -- hearings (听证, 第四十七、四十八条) -----------------------------------------------------------------------------
notify_hearing_right = service(acts.notify_hearing_right)
request_hearing = service(acts.request_hearing)
schedule_hearing = service(acts.schedule_hearing)
record_hearing = service(acts.record_hearing)
waive_hearing = service(acts.waive_hearing)
lapse_hearing = service(acts.lapse_hearing)
# -- decision, result, delivery, endings (决定、出证、送达、撤回、终止) --------------------------------------------
approve_case = service(acts.approve_case)
deny_case = service(acts.deny_case)
issue_result = service(acts.issue_result)
issue_denial = service(acts.issue_denial)
revoke_approval = service(acts.revoke_approval)
deliver_case = service(acts.deliver_case)
withdraw_case = service(acts.withdraw_case)
terminate_case = service(acts.terminate_case)
# -- materials (申请材料) ----------------------------------------------------------------------------------------
add_material = service(acts.add_material)
fetch_shared_material = service(acts.fetch_shared_material)
reuse_material = service(acts.reuse_material)
record_authorization = service(acts.record_authorization)
may_act_for_applicant = acts.may_act_for_applicant
# -- documents and notices -----------------------------------------------------------------------------------
record_document_printed = service(acts.record_document_printed)
mark_notice_read = service(acts.mark_notice_read)
# -- files kept across a refused form (暂存上传) ------------------------------------------------------------------
stage_upload = service(acts.stage_upload)
discard_staged = service(acts.discard_staged)
