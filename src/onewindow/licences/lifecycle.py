"""The licence's states and the acts that move it (证照状态), in one table the acts consult and the tests walk.

```
valid ─expire (scheduler, the day after valid_until)→ expired
valid|expired ─renew (an approved renewal's licence issued, or deemed renewed by art. 50)→ renewed
valid|expired ─revoke (撤销, art. 69; leader or reviewer of the issuing department)→ revoked
valid|expired|revoked ─cancel (注销, art. 70; leader or reviewer of the issuing department)→ cancelled
```
`renewed` and `cancelled` are final: a renewed period lives on in its successor entry, which is acted on instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.core.errors import IllegalTransition, PermissionDenied
from onewindow.core.models import Role
from onewindow.licences.models import LicenceState

S = LicenceState
# Who decides 撤销 and 注销: the issuing department's reviewers and leaders (窗口人员 do not).
DECIDERS = frozenset({Role.REVIEWER, Role.LEADER})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]  # empty: only the system (the scheduler, a receiver) takes it
    label: str

def gettext_noop(message: str) -> str:
    """Marks a label for the message catalog (`makemessages`) without importing Django; pages translate it."""
    return message



TRANSITIONS: dict[str, Transition] = {
    "expire": Transition(frozenset({S.VALID}), S.EXPIRED, frozenset(), gettext_noop("到期失效")),
    "renew": Transition(frozenset({S.VALID, S.EXPIRED}), S.RENEWED, frozenset(), gettext_noop("延续")),
    "revoke": Transition(frozenset({S.VALID, S.EXPIRED}), S.REVOKED, DECIDERS, gettext_noop("撤销")),
    "cancel": Transition(frozenset({S.VALID, S.EXPIRED, S.REVOKED}), S.CANCELLED, DECIDERS, gettext_noop("注销")),
}
FINAL_STATES = frozenset({S.RENEWED, S.CANCELLED})


def transition_refusal(action: str, state: str, role: str | None) -> IllegalTransition | PermissionDenied | None:
    """Why the table refuses `action` from `state` for `role` (None: the system), or None when it allows it."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        return IllegalTransition(
            f"证照当前状态为“{LicenceState(state).label}”，不能{transition.label}",
            fields={"state": state, "action": action})
    if role is not None and role not in transition.roles:
        return PermissionDenied(f"只有发证部门的审核人员或负责人可以{transition.label}证照",
                                fields={"role": role})
    return None
