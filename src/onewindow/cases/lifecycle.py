"""The case lifecycle (办件流程) as one table: action → from-states → to-state, and who may do it.

Pure module, no framework import. Every act consults `transition_refusal` (through `cases.acts.base.refusal`);
the action registry (`cases.actions`) is built on the table; the tests walk both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from onewindow.core.errors import IllegalTransition, PermissionDenied


def gettext_noop(message: str) -> str:
    """Marks a label for the message catalog (`makemessages`) without importing Django; pages translate it."""
    return message



class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    IN_REVIEW = "in_review"
    SUSPENDED = "suspended"
    APPROVED = "approved"
    DENIED = "denied"
    RESULT_ISSUED = "result_issued"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"


STATE_LABELS: dict[str, str] = {
    State.DRAFT: gettext_noop("草稿"),
    State.SUBMITTED: gettext_noop("已提交（待受理）"),
    State.CORRECTION_REQUESTED: gettext_noop("待补正"),
    State.ACCEPTED: gettext_noop("已受理"),
    State.NOT_ACCEPTED: gettext_noop("不予受理"),
    State.IN_REVIEW: gettext_noop("审查中"),
    State.SUSPENDED: gettext_noop("特别程序（计时暂停）"),
    State.APPROVED: gettext_noop("准予许可"),
    State.DENIED: gettext_noop("不予许可"),
    State.RESULT_ISSUED: gettext_noop("已出证"),
    State.DELIVERED: gettext_noop("已办结（已送达）"),
    State.WITHDRAWN: gettext_noop("已撤回"),
    State.TERMINATED: gettext_noop("已终止"),
}

# Roles are the values of core.models.Role; repeated here as strings so this module stays pure.
CITIZEN, CLERK, REVIEWER, LEADER = "citizen", "clerk", "reviewer", "leader"
_DESK = frozenset({CLERK, REVIEWER, LEADER})
_DECIDERS = frozenset({CLERK, REVIEWER, LEADER})  # a clerk decides only where the window is authorized
_REVIEW = frozenset({REVIEWER, LEADER})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (extension, reassignment)
    roles: frozenset[str]
    label: str


_RUNNING = {State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED}
_BEFORE_DECISION = {State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED} | _RUNNING

ALLOWED_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", frozenset({State.DRAFT, State.CORRECTION_REQUESTED}), State.SUBMITTED,
                   frozenset({CITIZEN, CLERK}), gettext_noop("提交申请")),
        Transition("accept", frozenset({State.SUBMITTED}), State.ACCEPTED, _DESK, gettext_noop("受理")),
        Transition("request_correction", frozenset({State.SUBMITTED}), State.CORRECTION_REQUESTED, _DESK,
                   gettext_noop("补正告知（一次性告知）")),
        Transition("refuse", frozenset({State.SUBMITTED}), State.NOT_ACCEPTED, _DESK, gettext_noop("不予受理")),
        Transition("assign", frozenset({State.ACCEPTED, State.IN_REVIEW}), State.IN_REVIEW, _REVIEW, gettext_noop("分派审查")),
        Transition("suspend", frozenset({State.IN_REVIEW}), State.SUSPENDED, _REVIEW, gettext_noop("启动特别程序（计时暂停）")),
        Transition("resume", frozenset({State.SUSPENDED}), State.IN_REVIEW, _REVIEW, gettext_noop("特别程序结束（恢复计时）")),
        # Hearings (听证, 第四十七、四十八条): the notice of the right starts a special procedure of kind hearing; the
        # record, a waiver or the lapse of the 5 days ends it. A party's request is made by the applicant online or
        # recorded at the desk for the applicant or an interested party.
        Transition("notify_hearing_right", frozenset({State.IN_REVIEW}), State.SUSPENDED, _REVIEW, gettext_noop("告知听证权利")),
        Transition("request_hearing", frozenset({State.SUSPENDED}), None, frozenset({CITIZEN}) | _DESK, gettext_noop("申请听证")),
        Transition("schedule_hearing", frozenset({State.SUSPENDED}), None, _REVIEW, gettext_noop("通知听证时间地点")),
        Transition("record_hearing", frozenset({State.SUSPENDED}), State.IN_REVIEW, _REVIEW, gettext_noop("听证笔录（听证结束）")),
        Transition("waive_hearing", frozenset({State.SUSPENDED}), State.IN_REVIEW, frozenset({CITIZEN}) | _DESK,
                   gettext_noop("放弃听证")),
        Transition("lapse_hearing", frozenset({State.SUSPENDED}), State.IN_REVIEW, _REVIEW, gettext_noop("逾期未申请听证")),
        Transition("extend", frozenset(_RUNNING), None, frozenset({LEADER}), gettext_noop("延期")),
        Transition("approve", frozenset({State.ACCEPTED, State.IN_REVIEW}), State.APPROVED, _DECIDERS, gettext_noop("准予许可")),
        Transition("deny", frozenset({State.ACCEPTED, State.IN_REVIEW}), State.DENIED, _DECIDERS, gettext_noop("不予许可")),
        Transition("issue_result", frozenset({State.APPROVED}), State.RESULT_ISSUED, _DESK, gettext_noop("出具结果（制证）")),
        # A denial's result is the written decision with its reasons and the rights of review and litigation
        # (第三十八条): no licence, no licence number.
        Transition("issue_denial", frozenset({State.DENIED}), State.RESULT_ISSUED, _DESK, gettext_noop("出具不予许可决定书")),
        Transition("deliver", frozenset({State.RESULT_ISSUED}), State.DELIVERED, _DESK, gettext_noop("送达（办结）")),
        Transition("withdraw", frozenset(_BEFORE_DECISION), State.WITHDRAWN, frozenset({CITIZEN, CLERK}),
                   gettext_noop("撤回申请")),
        Transition("terminate", frozenset(_BEFORE_DECISION - {State.DRAFT}), State.TERMINATED,
                   frozenset({LEADER}), gettext_noop("终止办理")),
        # The way out of an approval whose tolerated (容缺) material is overdue: the leader revokes it (撤销).
        Transition("revoke_approval", frozenset({State.APPROVED}), State.TERMINATED, frozenset({LEADER}),
                   gettext_noop("撤销准予许可决定（容缺材料逾期未补齐）")),
    ]
}

# States in which the authority's clock runs (the light shows), and states that end a case.
CLOCK_STATES = frozenset({State.SUBMITTED, State.ACCEPTED, State.IN_REVIEW, State.SUSPENDED})
DECIDED_STATES = frozenset({State.APPROVED, State.DENIED, State.RESULT_ISSUED, State.DELIVERED})
CLOSED_STATES = frozenset({State.NOT_ACCEPTED, State.DELIVERED, State.WITHDRAWN, State.TERMINATED})


def transition_refusal(action: str, state: str, role: str) -> IllegalTransition | PermissionDenied | None:
    """Why the table refuses `action` from `state` for `role` (IllegalTransition 409, PermissionDenied 403), or None."""
    transition = ALLOWED_TRANSITIONS.get(action)
    if transition is None:
        return IllegalTransition(f"未知的办件操作“{action}”", fields={"action": action})
    if state not in transition.sources:
        allowed = "、".join(STATE_LABELS[s] for s in State if s in transition.sources)
        return IllegalTransition(
            f"办件当前状态为“{STATE_LABELS.get(state, state)}”，不能“{transition.label}”（仅限：{allowed}）",
            fields={"state": state, "action": action},
        )
    if role not in transition.roles:
        return PermissionDenied(f"当前角色无权“{transition.label}”", fields={"role": role, "action": action})
    return None


def target_state(action: str, state: str) -> str:
    transition = ALLOWED_TRANSITIONS[action]
    return transition.target or state
