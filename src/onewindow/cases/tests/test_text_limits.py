"""Every free text of a case act has one limit — its column's, or a stated maximum — that the page form and the
API schema declare alike and the act enforces, naming the field; a 容缺 due date lies after acceptance and not
after the case's statutory due date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onewindow.cases import limits, services
from onewindow.cases.actions import ACTIONS
from onewindow.cases.forms.intake import IntakeForm
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CorrectionNotice
from onewindow.cases.tests.factories import at, case_in_state, complete_materials, correction_items, new_case
from onewindow.cases.tests.one_call import api_client
from onewindow.core.errors import InvalidInput
from onewindow.core.models import User
from onewindow.workdays.selectors import get_calendar

HUGE = "补" * 200_000
# The correction form's lines (one per missing material `p<id>`, one free line) → the API's `items`.
CORRECTION_LINES = {"extra_name": "items.name", "extra_problem": "items.problem"}


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def _schema_limits(schema: type) -> dict[str, int]:
    """Field → maxLength declared by an API schema, nested objects as `parent.field`, list items as `parent.field`."""
    found: dict[str, int] = {}
    document = schema.model_json_schema()
    definitions = document.get("$defs", {})

    def walk(node: dict, prefix: str) -> None:
        for name, spec in node.get("properties", {}).items():
            options = [spec, *spec.get("anyOf", [])]
            for option in options:
                if "maxLength" in option:
                    found[prefix + name] = option["maxLength"]
                reference = option.get("$ref") or option.get("items", {}).get("$ref")
                if reference:
                    walk(definitions[reference.split("/")[-1]], f"{prefix}{name}.")

    walk(document, "")
    return found


def test_a_correction_note_beyond_its_limit_is_refused_on_the_page_through_the_api_and_by_the_act(client, world):
    case = case_in_state(world, State.SUBMITTED)
    api = api_client(world.clerk_a)
    items = [{"material_id": i.material_id, "problem": i.problem} for i in correction_items(case)]

    through_api = api.post(f"/api/v1/cases/{case.number}/request-correction", {"items": items, "note": HUGE},
                           content_type="application/json")
    client.force_login(world.clerk_a)
    on_page = client.post(reverse("cases:case_action", args=[case.number, "request_correction"]), {
        "expected_version": case.version, "note": HUGE,
        **{f"p{i.material_id}": i.problem for i in correction_items(case)}})
    with pytest.raises(InvalidInput) as by_act:
        services.request_correction(case, by=world.clerk_a, items=correction_items(case), note=HUGE)

    assert (through_api.status_code, through_api.json()["error"]["fields"]) == (422, {"note": "too_long"})
    assert on_page.status_code == 422 and "errorlist" in on_page.content.decode()
    assert by_act.value.fields == {"note": "too_long"}
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED and not CorrectionNotice.objects.exists()


def test_each_action_declares_on_its_page_form_the_limit_its_api_schema_declares(world):
    in_review = case_in_state(world, State.IN_REVIEW)
    approved = case_in_state(world, State.APPROVED, n=2)
    submitted = case_in_state(world, State.SUBMITTED, n=3)
    admin = User.objects.get(pk=world.admin.pk)
    for action in ACTIONS.values():
        if action.schema is None:
            continue
        case = {"issue_result": approved, "request_correction": submitted}.get(action.name, in_review)
        form = action.form_for(case, admin)
        declared = _schema_limits(action.schema)
        for name, field in form.fields.items():
            limit = getattr(field, "max_length", None)
            key = CORRECTION_LINES.get(name, "items.problem" if name[1:].isdigit() else name)
            if limit is not None and key in declared:
                assert limit == declared[key], f"{action.name}.{name}: page {limit}, API {declared[key]}"
        texts = {name for name, spec in action.schema.model_json_schema()["properties"].items()
                 if spec.get("type") == "string" and "enum" not in spec and "format" not in spec}
        assert texts <= set(declared), f"{action.name}: every text of the API declares its limit"


def test_the_intake_page_and_the_intake_call_declare_the_same_limits(world):
    from onewindow.cases.api.schemas import IntakeIn

    declared = _schema_limits(IntakeIn)
    version = world.item_a.published_version
    form = IntakeForm(materials=version.material_list, version=version)
    problem = next(name for name in form.fields if name.endswith("_problem"))
    pairs = {"applicant.name": "applicant_name", "applicant.legal_representative": "legal_representative",
             "agent.name": "agent_name", "postal_address": "postal_address", "decision.note": "correction_note",
             "decision.reason": "reason", "decision.legal_basis": "legal_basis", "materials.problem": problem}

    for request_field, form_field in pairs.items():
        assert form.fields[form_field].max_length == declared[request_field], request_field
    assert declared["decision.note"] == limits.CORRECTION_NOTE == CorrectionNotice._meta.get_field("note").max_length
    assert declared["applicant.legal_representative"] == Case._meta.get_field("legal_representative").max_length


@pytest.mark.parametrize(("action", "state", "body", "field"), [
    ("deny", State.IN_REVIEW, {"reason": "不" * 2001, "legal_basis": "某条例"}, "reason"),
    ("approve", State.IN_REVIEW, {"legal_basis": "依" * 1001}, "legal_basis"),
    ("suspend", State.IN_REVIEW, {"kind": "testing", "reason": "检" * 2001, "expected_days": 5}, "reason"),
    ("withdraw", State.SUBMITTED, {"reason": "撤" * 2001}, "reason"),
    ("refuse", State.SUBMITTED, {"reason": "拒" * 2001}, "reason"),
])
def test_a_text_beyond_its_limit_is_refused_by_the_action_and_changes_nothing(world, action, state, body, field):
    case = case_in_state(world, state)
    user = world.citizen if action == "withdraw" else world.leader_a

    response = api_client(user).post(f"/api/v1/cases/{case.number}/{ACTIONS[action].path}", body,
                                     content_type="application/json")

    assert (response.status_code, response.json()["error"]["fields"]) == (422, {field: "too_long"})
    assert Case.objects.get(pk=case.pk).state == state


def test_a_tolerance_due_date_is_capped_by_the_statutory_due_date(world):
    case = new_case(world, when=at("2025-09-02"))
    complete_materials(case, by=world.clerk_a, tolerated=False, when=at("2025-09-02"))
    site = case.item_version.materials.get(name="场地证明")
    client: Client = api_client(world.clerk_a)
    url = f"/api/v1/cases/{case.number}/accept"
    legal_due_on = get_calendar().due_date(dt.date(2025, 9, 2), case.statutory_days)

    too_late = client.post(url, {"tolerated": [site.pk], "tolerance_due_on": get_calendar().due_date(
        legal_due_on, 1).isoformat()}, content_type="application/json")
    same_day = client.post(url, {"tolerated": [site.pk], "tolerance_due_on": "2025-09-02"},
                           content_type="application/json")
    on_the_day = client.post(url, {"tolerated": [site.pk], "tolerance_due_on": legal_due_on.isoformat()},
                             content_type="application/json")

    assert (too_late.status_code, too_late.json()["error"]["fields"]) == (422, {"tolerance_due_on": "after_legal_due_on"})
    assert f"{legal_due_on:%Y-%m-%d}" in too_late.json()["error"]["message"], "it names the latest date allowed"
    assert same_day.status_code == 422
    assert on_the_day.status_code == 200, on_the_day.content
    case.refresh_from_db()
    assert (case.state, case.legal_due_on, case.tolerance_due_on) == (State.ACCEPTED, legal_due_on, legal_due_on)
