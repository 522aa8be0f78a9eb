"""Acceptance (受理): accept (and 容缺受理), ask once for every correction (一次性告知), or refuse (不予受理)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from onewindow.cases import limits
from onewindow.cases.acts.base import (
    CorrectionItem,
    acceptance_lapsed,
    check_actor,
    clock_columns,
    commit,
    deadline_columns,
    not_before,
    optional_text,
    tell_applicant,
)
from onewindow.cases.clock import Light
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    AlertKind,
    Case,
    CaseAlert,
    CaseMaterial,
    CorrectionNotice,
)
from onewindow.cases.notifications import notify_on_commit, supervisors_and_leader_ids
from onewindow.cases.selectors import forget_rows, is_known, know_rows, missing_materials
from onewindow.core import kit
from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.kit import composable
from onewindow.core.models import Role, User
from onewindow.forms.selectors import spec_of


@composable
def deem_accepted(case: Case, *, at: dt.datetime | None = None) -> bool:
    """视为受理 (行政许可法第三十二条第一款第四项): a received application left without acceptance, refusal or a
    correction notice past its 5-working-day limit counts as accepted from the day of receipt.

    Writes, once (returns False when there is nothing to do): `deemed_accepted`, `accepted_on` = `submitted_on`
    (the day of receipt), `due_on` / `legal_due_on` counted from it in working days (art. 42, art. 82), the
    running clock on `due_on`; a supervision alert of kind `acceptance_lapsed` that is never cleared; inbox
    notices to the applicant, the department's leaders and clerks and the center's supervisors (after commit).
    The state stays `submitted`: the department still records its acceptance (`accept_case`), which keeps
    these dates. The dates depend only on the receipt day and the item, so the scheduler's sweep
    (`deem_lapsed_acceptances`) and the first act after the lapse (lazily) give the same ones."""
    when, day = kit.moment(at)
    if case.deemed_accepted or not acceptance_lapsed(case, day) or case.submitted_on is None \
            or case.acceptance_due_on is None:
        return False
    start = case.submitted_on
    changes: dict[str, Any] = {"deemed_accepted": True, "accepted_on": start}
    changes.update(deadline_columns(case, accepted_on=start))
    changes.update(clock_columns(case, state=State.SUBMITTED, today=day, due_on=changes["due_on"], deemed=True))
    CaseAlert.objects.get_or_create(
        case=case, kind=AlertKind.ACCEPTANCE_LAPSED, light=Light.RED, clock_due_on=case.acceptance_due_on,
        defaults={"department_id": case.department_id, "created_at": when})
    commit(case, action="deem_accept", by=None, changes=changes, at=when,
           reason=f"受理期限 {case.acceptance_due_on:%Y-%m-%d} 届满未受理、未告知补正，视为受理",
           audit_extra={"acceptance_due_on": case.acceptance_due_on.isoformat()})
    body = (f"您于 {start:%Y-%m-%d} 提交的申请在 {case.acceptance_due_on:%Y-%m-%d} 前未获受理或补正告知，"
            f"依照《行政许可法》第三十二条自 {start:%Y-%m-%d} 起视为受理。承诺办结日 {case.due_on:%Y-%m-%d}，"
            f"法定办结日 {case.legal_due_on:%Y-%m-%d}。")
    tell_applicant(case, "deemed_accepted", "视为受理", body)
    staff = supervisors_and_leader_ids(case.department_id) + list(
        User.objects.filter(is_active=True, role=Role.CLERK, assignment__department_id=case.department_id)
        .values_list("pk", flat=True))
    notify_on_commit(staff, case_id=case.pk, kind="deemed_accepted", title=f"{case.number} 逾期未受理，已视为受理",
                     body=f"{case.item_version.name}：受理期限 {case.acceptance_due_on:%Y-%m-%d} 已过，依法自 "
                          f"{start:%Y-%m-%d} 起视为受理，承诺办结日 {case.due_on:%Y-%m-%d}，法定办结日 "
                          f"{case.legal_due_on:%Y-%m-%d}。请登记受理并审查决定。")
    return True


@composable
def accept_case(
    case: Case, *, by: User, at: dt.datetime | None = None, tolerated: Sequence[int] = (),
    tolerance_due_on: dt.date | None = None, expected_version: int | None = None,
) -> Case:
    """Accept the case (受理) and start its clock; `tolerated` materials may follow by `tolerance_due_on` (容缺受理)."""
    known = _know_before_acceptance(case)
    try:
        return _accept(case, by=by, at=at, tolerated=tolerated, tolerance_due_on=tolerance_due_on,
                       expected_version=expected_version)
    finally:
        # Later acts on this instance add suspensions, hearings… without forgetting them: they stay unknown.
        forget_rows(case, *known)
        if "extension" in known:
            case._state.fields_cache.pop("extension", None)


def _accept(case: Case, *, by: User, at: dt.datetime | None, tolerated: Sequence[int],
            tolerance_due_on: dt.date | None, expected_version: int | None) -> Case:
    check_actor(case, by, "accept", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    not_before(day, case.submitted_on, "提交日期")
    deem_accepted(case, at=at)  # lazily, when the sweep has not yet seen the lapse: the same dates
    deemed = case.deemed_accepted
    missing = missing_materials(case)  # none of them required, unless deemed accepted: the rule saw to that
    tolerated_ids = set(tolerated)
    unknown = tolerated_ids - {m.pk for m in missing}
    if unknown:
        raise InvalidInput("容缺材料只能是本事项尚未提交的“容缺后补”材料", fields={"tolerated": "invalid"})
    undeclared = [m for m in missing if m.pk not in tolerated_ids]
    if undeclared and not deemed:
        names = "、".join(m.name for m in undeclared)
        raise InvalidInput(f"材料“{names}”未提交：容缺受理须列明并约定补齐日期", code=ErrorCode.MATERIALS_MISSING,
                           fields={"tolerated": names})
    changes: dict[str, Any] = {"state": State.ACCEPTED, "accepted_at": when, "accepted_by": by}
    if deemed:
        # Accepted by law from the day of receipt: recording the act moves no date (art. 32).
        changes.update(accepted_on=case.accepted_on, due_on=case.due_on, legal_due_on=case.legal_due_on)
    else:
        changes["accepted_on"] = day
        changes.update(deadline_columns(case, accepted_on=day))
    if tolerated_ids:
        check_tolerance_due_on(tolerance_due_on, accepted_on=day, legal_due_on=changes["legal_due_on"])
        changes.update(
            tolerated_materials=[{"id": m.pk, "name": m.name} for m in missing],
            tolerance_due_on=tolerance_due_on,
        )
    changes.update(clock_columns(case, state=State.ACCEPTED, today=day, due_on=changes["due_on"]))
    rows = list(case.materials.all())
    if rows:
        case.materials.update(verified=True)
        for row in rows:
            row.verified = True
    commit(case, action="accept", by=by, changes=changes, at=when, audit_extra={"deemed_accepted": deemed})
    body = f"您的申请已受理，承诺办结日 {case.due_on:%Y-%m-%d}。"
    if deemed:
        body = (f"您的申请已登记受理（自 {case.accepted_on:%Y-%m-%d} 起视为受理），"
                f"承诺办结日 {case.due_on:%Y-%m-%d}，法定办结日 {case.legal_due_on:%Y-%m-%d}。")
    if tolerated_ids:
        body += f"容缺材料请于 {tolerance_due_on:%Y-%m-%d} 前补齐。"
    tell_applicant(case, "accepted", "已受理", body)
    return case


def known_after_acceptance(case: Case, version_before: int) -> None:
    """What an answer may take as known of a case just accepted from `submitted` at `version_before`: no suspension,
    hearing or extension (it never ran), and no correction notice when it was at version 2 (see
    `_know_before_acceptance`). For the caller's answer only: acts after it must not rely on it."""
    know_rows(case, suspensions=[], hearings=[], extension=[], corrections=[] if version_before == 2 else None)


def _know_before_acceptance(case: Case) -> tuple[str, ...]:
    """Read the case's materials once for the rule, the act and the answer (`selectors.know_rows`). A submitted case
    has never run (`lifecycle`: it comes from a draft or a correction notice, both before acceptance): it has no
    suspension, hearing or extension. At version 2 it was opened and submitted and nothing else — no material
    added, no correction notice (each moves the version)."""
    if not is_known(case, "materials"):
        # One case's materials in their order (`CaseMaterial.Meta.ordering` is case, id), without joining the case.
        know_rows(case, materials=list(case.materials.order_by("id")))
    if case.state != State.SUBMITTED or case.pk is None:
        return ()
    known = ("suspensions", "hearings", "extension", *(("corrections",) if case.version == 2 else ()))
    known_after_acceptance(case, case.version)
    return tuple(name for name in known if name != "extension") + ("extension",)


def check_tolerance_due_on(due_on: dt.date | None, *, accepted_on: dt.date, legal_due_on: dt.date) -> None:
    """The 容缺 promise: a date after the day of acceptance and not after the case's statutory due date (法定办结日).

    The catalog states no period of its own for bringing a tolerated material, so the statutory limit of the case
    caps it: the result cannot be issued before the material arrives, and the law's limit is not to be passed."""
    if due_on is None or due_on <= accepted_on:
        raise InvalidInput("容缺受理须约定晚于受理日的补齐日期", fields={"tolerance_due_on": "required"})
    if due_on > legal_due_on:
        raise InvalidInput(f"容缺材料补齐日期不能晚于本办件的法定办结日 {legal_due_on:%Y-%m-%d}",
                           fields={"tolerance_due_on": "after_legal_due_on"})


@composable
def request_correction(
    case: Case, *, by: User, items: Sequence[CorrectionItem], note: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> CorrectionNotice:
    """Ask for correction (补正告知), listing every missing or faulty material at once (一次性告知)."""
    check_actor(case, by, "request_correction", at=at)
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    not_before(day, case.submitted_on, "提交日期")
    if not items:
        raise InvalidInput("补正告知须列明需补正的材料", fields={"items": "required"})
    materials = {m.pk: m for m in case.item_version.materials.all()}
    lines = []
    for index, item in enumerate(items):
        problem = kit.require_text(item.problem, f"items.{index}.problem", "补正要求",
                                   max_length=limits.CORRECTION_PROBLEM)
        if item.field:
            lines.append(field_line(case, item.field, problem, f"items.{index}.field"))
        elif item.material_id is not None:
            material = materials.get(item.material_id)
            if material is None:
                raise InvalidInput("补正材料不属于本办件的事项版本", fields={f"items.{index}.material_id": "invalid"})
            lines.append({"material_id": material.pk, "name": material.name, "problem": problem})
        else:
            lines.append({"material_id": None, "problem": problem,
                          "name": kit.require_text(item.name, f"items.{index}.name", "材料名称",
                                                   max_length=limits.MATERIAL_NAME)})
    check_only_new_since_last_notice(case, [line for line in lines if not line.get("field")])
    listed = {line["material_id"] for line in lines}
    omitted = [m for m in missing_materials(case) if m.pk not in listed]
    if omitted:
        names = "、".join(m.name for m in omitted)
        raise InvalidInput(f"一次性告知须列出全部缺失材料，未列入：{names}", code=ErrorCode.CORRECTION_INCOMPLETE,
                           fields={"items": names})
    note = optional_text(note, "note", "补正说明", limits.CORRECTION_NOTE)
    notice = CorrectionNotice.objects.create(case=case, items=lines, note=note, requested_at=when, requested_by=by)
    changes = {"state": State.CORRECTION_REQUESTED, **clock_columns(case, state=State.CORRECTION_REQUESTED,
                                                                     today=day)}
    commit(case, action="request_correction", by=by, changes=changes, at=when, notice=notice,
            audit_extra={"items": lines}, reason=note)
    listing = "；".join(f"{line['name']}：{line['problem']}" for line in lines)
    tell_applicant(case, "correction", "补正告知", f"请一次性补正以下材料后重新提交：{listing}")
    return notice


def field_line(case: Case, key: str, problem: str, where: str) -> dict[str, Any]:
    """A correction line naming a field of the case's application form (its key and label)."""
    spec = spec_of(case.form_version) if case.form_version is not None else None
    field = spec.field(key) if spec else None
    if field is None:
        raise InvalidInput(f"申请表中没有字段“{key}”", fields={where: "invalid"})
    return {"material_id": None, "field": field.key, "name": field.label_zh, "problem": problem}


def check_only_new_since_last_notice(case: Case, lines: list[dict[str, Any]]) -> None:
    """一次告知 (行政许可法第三十二条第一款第四项): a later correction notice may name only materials supplied or
    changed after the previous notice. A material that was on file when that notice went out and has not been
    supplied again since (no newer upload, share or reuse) was there to be judged then: naming it now is refused
    (InvalidInput 422, code `correction_already_told`, naming the material and its line `items.N`).

    Catalog materials are matched by id; free-text lines by the name of a non-catalog material on file. Materials
    still missing may be named again (they are still missing; the notice must list them)."""
    previous = case.corrections.order_by("-requested_at", "-id").first()
    if previous is None:
        return
    by_material: dict[int, list[CaseMaterial]] = {}
    by_name: dict[str, list[CaseMaterial]] = {}
    for row in case.materials.all():
        if row.material_id is not None:
            by_material.setdefault(row.material_id, []).append(row)
        else:
            by_name.setdefault(row.name.strip(), []).append(row)
    for index, line in enumerate(lines):
        rows = by_material.get(line["material_id"], []) if line["material_id"] is not None \
            else by_name.get(line["name"].strip(), [])
        on_file = any(r.added_at <= previous.requested_at for r in rows)
        changed = any(r.added_at > previous.requested_at for r in rows)
        if on_file and not changed:
            raise InvalidInput(
                f"材料“{line['name']}”在 {timezone.localtime(previous.requested_at):%Y-%m-%d} 告知补正时已提交且此后未更改，"
                f"应在该次一次性告知中提出，不能再次要求补正",
                code=ErrorCode.CORRECTION_ALREADY_TOLD, fields={f"items.{index}": line["name"]})


@composable
def refuse_case(
    case: Case, *, by: User, reason: str, legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Refuse to accept (不予受理) with a reason."""
    check_actor(case, by, "refuse", at=at)
    kit.check_version(case, expected_version)
    reason = kit.require_text(reason, "reason", "不予受理理由", max_length=limits.CLOSED_REASON)
    legal_basis = optional_text(legal_basis, "legal_basis", "依据", limits.LEGAL_BASIS)
    when, day = kit.moment(at)
    not_before(day, case.submitted_on, "提交日期")
    changes = {"state": State.NOT_ACCEPTED, "closed_reason": reason, "legal_basis": legal_basis,
               "closed_at": when, **clock_columns(case, state=State.NOT_ACCEPTED, today=day)}
    commit(case, action="refuse", by=by, changes=changes, at=when, reason=reason)
    tell_applicant(case, "refused", "不予受理", f"理由：{reason}")
    return case
