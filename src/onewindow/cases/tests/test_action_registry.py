"""The action registry walked with every kind of person over cases in every state: an action is offered on the
person's own page (the staff case page, the applicant's "my case" page) and allowed by the API exactly when its
act accepts it — performed (then rolled back) when offered, refused through the API with the act's own status,
and nothing changed, when not."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from onewindow.cases import acts
from onewindow.cases.actions import ACTIONS, allowed
from onewindow.cases.lifecycle import ALLOWED_TRANSITIONS, State
from onewindow.cases.models import Case
from onewindow.cases.selectors import missing_materials
from onewindow.cases.tests.factories import (
    PDF,
    at,
    case_in_state,
    complete_materials,
    correction_items,
    hearing_case,
    tolerated_approval,
)
from onewindow.cases.tests.one_call import api_client
from onewindow.catalog.models import Department, Material
from onewindow.core.errors import DomainError

# Who walks the registry: (name, attribute of the world).
PEOPLE = [
    ("the applicant", "citizen"), ("a clerk of the department", "clerk_a"),
    ("a comprehensive window clerk", "window_clerk"), ("a clerk of another department", "clerk_b"),
    ("the assigned reviewer", "reviewer_a"), ("another reviewer of the department", "reviewer_a2"),
    ("the department leader", "leader_a"), ("a supervisor", "supervisor"), ("an admin", "admin"),
]
FORM_ID = re.compile(r'id="action-(\w+)"')


class RolledBack(Exception):
    """Raised to undo an act that was performed only to show it is accepted."""


def _valid_input(name: str, case: Case, by, world) -> dict:
    """Input the act of `name` accepts on `case` from `by` whenever it accepts the person at all (only that act's
    input is built: the others' need queries, and this runs for every act, person and state)."""

    def accept() -> dict:
        tolerated = [m.pk for m in missing_materials(case) if m.requirement == Material.Requirement.TOLERATED]
        return {"tolerated": tolerated, "tolerance_due_on": at("2025-09-10").date() if tolerated else None}

    inputs = {
        "accept": accept,
        "request_correction": lambda: {"items": correction_items(case)},
        "refuse": lambda: {"reason": "不属于本机关职权范围"},
        "assign": lambda: {"reviewer": by if by.role == "reviewer" else world.reviewer_a},
        "suspend": lambda: {"kind": "expert_review", "reason": "组织专家评审", "expected_days": 10},
        "notify_hearing_right": lambda: {"matter": "涉及相邻住户的采光权", "interested_parties": "李四"},
        "request_hearing": lambda: {"party": "李四"},
        "schedule_hearing": lambda: {"hearing_at": at("2025-09-15", 9), "place": "中心三楼听证室",
                                     "presiding_officer": world.leader_a},
        "record_hearing": lambda: {"record": "申请人与利害关系人陈述意见并质证", "signed_by": "张三、李四"},
        "revoke_approval": lambda: {"reason": "容缺材料逾期未补交", "legal_basis": "《某条例》第十二条"},
        "extend": lambda: {"days": 3, "reason": "情况复杂"},
        "deny": lambda: {"reason": "不符合条件", "legal_basis": "某条例第五条"},
        "issue_result": lambda: {"licence_number": "SC2025-0001"} if case.state == State.APPROVED else {},
        "deliver": lambda: {"pickup_code": case.pickup_code},
        "terminate": lambda: {"reason": "主体资格消灭", "legal_basis": "行政许可法第七十条"},
        "add_material": lambda: {"content": PDF, "filename": "a.pdf", "material_id": _material_to_add(case).pk},
    }
    return inputs[name]() if name in inputs else {}


def _material_to_add(case: Case):
    """The item's first material; after an approval, the tolerated one still owed (the only one taken then)."""
    owed = [entry["id"] for entry in case.tolerated_materials]
    materials = case.item_version.materials.order_by("order")
    if case.state == State.APPROVED and owed:
        return materials.filter(pk__in=owed).first()
    return materials.first()


def _act_accepts(name: str, case_pk: int, by, world) -> bool:
    """Perform the act with valid input inside a savepoint and undo it: True if it went through."""
    case = Case.objects.get(pk=case_pk)
    act = getattr(acts, name, None) or getattr(acts, f"{name}_case")
    try:
        with transaction.atomic():
            act(case, by=by, **_valid_input(name, case, by, world))
            raise RolledBack
    except RolledBack:
        return True
    except DomainError:
        return False


def _api_post(client, name: str, case: Case, by, world):
    if name == "add_material":
        material = _material_to_add(case)
        return client.post(f"/api/v1/cases/{case.number}/materials",
                           data={"file": SimpleUploadedFile("a.pdf", PDF), "material_id": material.pk})
    body = {k: (v.pk if hasattr(v, "pk") else v) for k, v in _valid_input(name, case, by, world).items()}
    if name == "assign":
        body = {"reviewer_id": body.pop("reviewer")}
    if name == "schedule_hearing":
        body["presiding_officer_id"] = body.pop("presiding_officer")
    if name == "request_correction":
        body["items"] = [{"material_id": i.material_id, "name": i.name, "problem": i.problem} for i in body["items"]]
    return client.post(f"/api/v1/cases/{case.number}/{ACTIONS[name].path}", data=body,
                       content_type="application/json")


def _offered_on_page(client, case: Case, user) -> set[str] | None:
    """The actions the person's own page offers on the case (None: the page is not theirs to see)."""
    client.force_login(user)
    if user.role == "citizen":
        page = client.get(reverse("cases:my_case", args=[case.number]))
        if page.status_code == 404:
            return None
        return set(re.findall(r'name="action" value="(\w+)"', page.content.decode()))
    page = client.get(reverse("cases:case", args=[case.number]))
    if page.status_code == 404:
        return None
    return set(FORM_ID.findall(page.content.decode()))


def test_the_registry_is_the_lifecycle_table_plus_add_material_in_the_tables_order():
    assert list(ACTIONS) == [*ALLOWED_TRANSITIONS, "add_material"]
    with translation.override("zh-hans"):  # whatever language an earlier page left active in this thread
        for name, transition in ALLOWED_TRANSITIONS.items():
            assert str(ACTIONS[name].label) == transition.label, "the page shows the table's label"


# Stages beyond the lifecycle's states: a hearing at each of its steps, an approval owing a tolerated material.
STAGES = {
    **{f"hearing {stage}": (lambda world, stage=stage: hearing_case(world, stage)) for stage in
       ("notified", "requested", "scheduled", "lapsable")},
    "approved owing a tolerated material": lambda world: tolerated_approval(
        world, accepted="2025-08-15", due="2025-09-10", approved="2025-08-20"),
    "approved with a tolerated material overdue": lambda world: tolerated_approval(world, due="2025-08-20"),
}


@pytest.mark.parametrize("state", [*(s.value for s in State), "submitted with every material", *STAGES])
def test_each_person_is_offered_and_allowed_exactly_what_the_acts_accept(client, world, state):
    with time_machine.travel(at("2025-09-02"), tick=False):
        if state in STAGES:
            case = STAGES[state](world)
        else:
            case = case_in_state(world, state.split()[0], when=at("2025-09-01"))
        if state.endswith("every material"):
            complete_materials(case, by=world.clerk_a)
        people = {label: getattr(world, attr) for label, attr in PEOPLE}
        clients = {label: api_client(user) for label, user in people.items()}
        for label, user in people.items():
            case = Case.objects.get(pk=case.pk)
            may = {action.name for action in allowed(case, user)}
            accepted = {name for name in ACTIONS if _act_accepts(name, case.pk, user, world)}
            assert may == accepted, f"{label} on a {state} case: registry {sorted(may)} ≠ acts {sorted(accepted)}"

            offered = _offered_on_page(client, case, user)
            if offered is None:
                assert not may, f"{label} may act on a {state} case they cannot see"
            else:
                assert offered == may, f"{label} on a {state} case: page offers {sorted(offered)}, may {sorted(may)}"
                detail = clients[label].get(f"/api/v1/cases/{case.number}").json()
                assert set(detail["allowed_actions"]) == may, f"{label}: the API lists {detail['allowed_actions']}"

            for name in set(ACTIONS) - may:
                before = Case.objects.filter(pk=case.pk).values("state", "version").get()
                response = _api_post(clients[label], name, case, user, world)
                refusal = ACTIONS[name].refusal(case, user)
                assert response.status_code == refusal.status, (label, state, name, response.content)
                assert response.json()["error"]["code"] == refusal.code, (label, state, name)
                assert Case.objects.filter(pk=case.pk).values("state", "version").get() == before


def test_a_clerk_decides_only_where_the_window_is_authorized(client, world):
    case = case_in_state(world, State.ACCEPTED)
    client.force_login(world.clerk_a)
    assert "action-approve" not in client.get(reverse("cases:case", args=[case.number])).content.decode()

    Department.objects.filter(pk=world.dept_a.pk).update(window_authorized=True)
    case = Case.objects.get(pk=case.pk)

    assert {"approve", "deny"} <= {a.name for a in allowed(case, world.clerk_a)}
    assert "action-approve" in client.get(reverse("cases:case", args=[case.number])).content.decode()
    response = client.post(reverse("cases:case_action", args=[case.number, "approve"]),
                           {"expected_version": case.version, "legal_basis": "《某条例》第十条"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.APPROVED


def test_the_window_clerk_is_not_shown_the_decision_forms_that_would_fail(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.clerk_a)

    offered = set(FORM_ID.findall(client.get(reverse("cases:case", args=[case.number])).content.decode()))

    assert offered == {"withdraw", "add_material"}


def test_the_actions_offered_are_named_in_the_readers_language(client, world, settings):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.leader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("cases:case", args=[case.number])).content.decode()

    for english in ("Start a special procedure (clock paused)", "Terminate the case", "Assign for review"):
        assert english in page, english
    assert "终止办理" not in page
