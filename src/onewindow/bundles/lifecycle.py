"""The package (一件事办件) lifecycle as one table, pure. The sub-cases follow the case engine's own table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from onewindow.core.errors import IllegalTransition


def gettext_noop(message: str) -> str:
    """Marks a label for the message catalog (`makemessages`) without importing Django; pages translate it."""
    return message



class PackageState(StrEnum):
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    ACCEPTED = "accepted"
    DECIDED = "decided"
    DELIVERED = "delivered"
    NOT_ACCEPTED = "not_accepted"


PACKAGE_STATE_LABELS: dict[str, str] = {
    PackageState.SUBMITTED: gettext_noop("已提交（待受理）"),
    PackageState.CORRECTION_REQUESTED: gettext_noop("待补正"),
    PackageState.ACCEPTED: gettext_noop("并联审批中"),
    PackageState.DECIDED: gettext_noop("已全部决定（待统一送达）"),
    PackageState.DELIVERED: gettext_noop("已办结（统一送达）"),
    PackageState.NOT_ACCEPTED: gettext_noop("不予受理"),
}


@dataclass(frozen=True)
class PackageTransition:
    action: str
    sources: frozenset[str]
    target: str
    label: str


PACKAGE_TRANSITIONS: dict[str, PackageTransition] = {
    t.action: t
    for t in [
        PackageTransition("request_correction", frozenset({PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED}),
                          PackageState.CORRECTION_REQUESTED, gettext_noop("一次性告知补正")),
        PackageTransition("resubmit", frozenset({PackageState.CORRECTION_REQUESTED}), PackageState.SUBMITTED,
                          gettext_noop("补正材料已齐")),
        PackageTransition("accept", frozenset({PackageState.SUBMITTED}), PackageState.ACCEPTED, gettext_noop("一窗受理")),
        PackageTransition("refuse", frozenset({PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED}),
                          PackageState.NOT_ACCEPTED, gettext_noop("不予受理")),
        PackageTransition("finish", frozenset({PackageState.ACCEPTED}), PackageState.DECIDED, gettext_noop("全部事项已决定")),
        PackageTransition("deliver", frozenset({PackageState.DECIDED}), PackageState.DELIVERED, gettext_noop("统一送达（一口办结）")),
    ]
}

# States in which the package's own clock runs and shows a light.
PACKAGE_CLOCK_STATES = frozenset({PackageState.ACCEPTED})


def package_transition(action: str, state: str) -> PackageTransition:
    """The transition `action` from `state`, else IllegalTransition (409) naming what is allowed."""
    transition = PACKAGE_TRANSITIONS.get(action)
    if transition is None:
        raise IllegalTransition(f"未知的一件事操作“{action}”", fields={"action": action})
    if state not in transition.sources:
        allowed = "、".join(PACKAGE_STATE_LABELS[s] for s in PackageState if s in transition.sources)
        raise IllegalTransition(
            f"一件事当前状态为“{PACKAGE_STATE_LABELS.get(state, state)}”，不能“{transition.label}”（仅限：{allowed}）",
            fields={"state": state, "action": action},
        )
    return transition
