"""The demo seeder: cases in every state through the services, some yellow and red, staff for every role,
and a second run that creates nothing."""

from __future__ import annotations

import time_machine

from onewindow.cases.demo import seed_cases_demo
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import DepartmentFactory, at, make_item
from onewindow.core.audit import verify_chain
from onewindow.core.models import User


def test_the_demo_creates_cases_in_every_state_once_and_accounts_for_every_role(calendar_loaded):
    scj = DepartmentFactory(code="SCJ", name="区市场监管局")
    gh = DepartmentFactory(code="GH", name="区规划自然资源局")
    for n in range(3):
        make_item(scj, code=f"SCJ-{n}", promised_days=5 + 5 * n, statutory_days=20)
        make_item(gh, code=f"GH-{n}", promised_days=8, statutory_days=20, delivery_post=False)
    make_item(scj, code="SCJ-NOW", promised_days=0, statutory_days=0, case_kind="instant", materials=[])
    with time_machine.travel(at("2025-11-20", 17), tick=False):
        summary = seed_cases_demo(seed=7, count=60)
        again = seed_cases_demo(seed=7, count=60)
    assert summary["created"] == 60 and summary["cases"] == 60
    assert set(summary["states"]) == {s.value for s in State}, summary["states"]
    assert summary["lights"]["red"] > 0 and summary["lights"]["yellow"] + summary["lights"]["green"] > 0
    assert (again["created"], again["cases"]) == (0, 60)
    assert Case.objects.count() == 60
    roles = set(User.objects.filter(username__in=summary["usernames"]).values_list("role", flat=True))
    assert roles == {"clerk", "reviewer", "leader", "supervisor", "citizen"}
    assert {"scj-clerk", "gh-leader", "supervisor", "window", "citizen"} <= set(summary["usernames"])
    assert all(a.get("password") for a in summary["accounts"]), "new accounts come with their password"
    assert not any(a.get("password") for a in again["accounts"]), "existing accounts are left as they are"
    for citizen in User.objects.filter(role="citizen"):
        names = set(Case.objects.filter(applicant_user=citizen).values_list("applicant_name", "applicant_id_number"))
        assert names <= {(citizen.display_name, citizen.identity_number)}, \
            f"{citizen.username}'s cases are applied for in its own name (我的办件 shows one applicant)"
    assert verify_chain().ok
