"""Acceptance (受理): accept (and 容缺受理), ask once for every correction (一次性告知), or refuse (不予受理)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from onewindow.cases import limits
from onewindow.cases.acts.base import (
    CorrectionItem,
    check_actor,
    clock_columns,
    commit,
    deadline_columns,
    not_before,
    optional_text,
    tell_applicant,
)
from onewindow.cases.lifecycle import State
from onewindow.cases.models import (
    Case,
    CorrectionNotice,
)
from onewindow.cases.selectors import missing_materials
from onewindow.core import kit
from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.kit import composable
from onewindow.core.models import User


@composable
def accept_case(
    case: Case, *, by: User, at: dt.datetime | None = None, tolerated: Sequence[int] = (),
    tolerance_due_on: dt.date | None = None, expected_version: int | None = None,
) -> Case:
    """Accept the case (受理) and start its clock; `tolerated` materials may follow by `tolerance_due_on` (容缺受理)."""
    check_actor(case, by, "accept")
    kit.check_version(case, expected_version)
    when, day = kit.moment(at)
    not_before(day, case.submitted_on, "提交日期")
    missing = missing_materials(case)  # none of them required: the acceptance rule saw to that
    tolerated_ids = set(tolerated)
    unknown = tolerated_ids - {m.pk for m in missing}
    if unknown:
        raise InvalidInput("容缺材料只能是本事项尚未提交的“容缺后补”材料", fields={"tolerated": "invalid"})
    undeclared = [m for m in missing if m.pk not in tolerated_ids]
    if undeclared:
        names = "、".join(m.name for m in undeclared)
        raise InvalidInput(f"材料“{names}”未提交：容缺受理须列明并约定补齐日期", code=ErrorCode.MATERIALS_MISSING,
                           fields={"tolerated": names})
    changes: dict[str, Any] = {"state": State.ACCEPTED, "accepted_at": when, "accepted_on": day, "accepted_by": by}
    changes.update(deadline_columns(case, accepted_on=day))
    if tolerated_ids:
        check_tolerance_due_on(tolerance_due_on, accepted_on=day, legal_due_on=changes["legal_due_on"])
        changes.update(
            tolerated_materials=[{"id": m.pk, "name": m.name} for m in missing],
            tolerance_due_on=tolerance_due_on,
        )
    changes.update(clock_columns(case, state=State.ACCEPTED, today=day, due_on=changes["due_on"]))
    case.materials.update(verified=True)
    commit(case, action="accept", by=by, changes=changes, at=when)
    body = f"您的申请已受理，承诺办结日 {case.due_on:%Y-%m-%d}。"
    if tolerated_ids:
        body += f"容缺材料请于 {tolerance_due_on:%Y-%m-%d} 前补齐。"
    tell_applicant(case, "accepted", "已受理", body)
    return case


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
    check_actor(case, by, "request_correction")
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
        if item.material_id is not None:
            material = materials.get(item.material_id)
            if material is None:
                raise InvalidInput("补正材料不属于本办件的事项版本", fields={f"items.{index}.material_id": "invalid"})
            lines.append({"material_id": material.pk, "name": material.name, "problem": problem})
        else:
            lines.append({"material_id": None, "problem": problem,
                          "name": kit.require_text(item.name, f"items.{index}.name", "材料名称",
                                                   max_length=limits.MATERIAL_NAME)})
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


@composable
def refuse_case(
    case: Case, *, by: User, reason: str, legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Refuse to accept (不予受理) with a reason."""
    check_actor(case, by, "refuse")
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
