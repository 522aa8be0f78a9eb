"""Correction once (一次性告知): one notice for the whole package, and each material supplied once for every
sub-case that asks for it. A department's own correction request on its sub-case joins the same notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from onewindow.bundles import selectors
from onewindow.bundles.acts.base import (
    WAITING_STATES,
    CorrectionLine,
    PackageFile,
    check_window,
    desk_actor,
    fresh_case,
    material_actor,
    missing_lines,
    move,
    share_material,
    tell,
)
from onewindow.bundles.lifecycle import PackageState, package_transition
from onewindow.bundles.models import Package, PackageCorrection, PackageMaterial, SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases.acts.answers import corrected_answers, raise_all
from onewindow.cases.acts.base import Problem
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CorrectionNotice
from onewindow.cases.selectors import missing_materials
from onewindow.catalog.models import Material
from onewindow.core import audit, kit
from onewindow.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from onewindow.core.models import Role, User
from onewindow.forms.spec import split
from onewindow.forms.validation import problems_of

# Package states in which a sub-case may still be asked for correction (after acceptance, only a sub-case that
# started later and waits in its department's acceptance queue can be).
OPEN_STATES = frozenset({PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED, PackageState.ACCEPTED})


@dataclass(frozen=True)
class NoticeLine:
    """A line as the package notice lists it: a merged material by its merged name, or a field of the package's
    one form (`field`, its merged key; `name` its label)."""

    name: str
    problem: str
    field: str = ""


def _line_key(name: str, field: str) -> str:
    """Lines are one and the same when they name the same merged material, or the same field of the package form
    (a field's label may equal a material's name, and two items' own fields may share a label)."""
    return f"field:{field}" if field else name


@kit.composable
def request_package_correction(
    package: Package, *, by: User, lines: Sequence[CorrectionLine] = (), note: str = "",
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> PackageCorrection:
    """One correction notice for the whole package (一次性告知): the window's findings — merged materials, and
    fields of the package's one form by their key there (`CorrectionLine.field`; a shared element is asked of every
    sub-case that has it) — plus every material any sub-case still lacks; each waiting sub-case gets its own engine
    notice (a field by its key on that item's form), the applicant gets one."""
    check_window(by, package)
    kit.check_version(package, expected_version)
    package_transition("request_correction", package.state)
    when, _ = kit.moment(at)
    subs = selectors.sub_cases_of(package)
    aliases = selectors.material_aliases(package.theme)
    found = missing_lines(subs, aliases)
    view = selectors.package_answers(package, subs)
    _add_window_findings(found, lines, package=package, subs=subs, view=view)
    if not found:
        raise InvalidInput("材料齐全：没有需要补正的材料。请列出有问题的材料或申请表字段", fields={"lines": "required"})
    items = list(found.values())
    # What each waiting sub-case's own notice will list, decided before anything is written, so that the package
    # notice already holds every line of them: their `correction_requested` then adds nothing, and the applicant
    # is told once, below.
    notices = {sub.case_id: _engine_lines(sub, items, aliases, view) for sub in subs
               if sub.case.state == State.SUBMITTED}
    for sub in subs:
        items, _ = merge_lines(items, [line for line, _item in notices.get(sub.case_id, [])], sub.case.number)
    correction = PackageCorrection.objects.create(package=package, items=items, note=(note or "").strip(),
                                                  requested_at=when, requested_by=by)
    move(package, "request_correction", by=by, reason=note, extra={"correction": correction.pk, "items": items})
    for sub in subs:
        case_lines = [line for _, line in notices.get(sub.case_id, [])]
        if case_lines:
            case_acts.request_correction(sub.case, by=desk_actor(by, sub.case), items=case_lines, note=note,
                                         at=when)
    _tell_notice(package, items)
    return correction


def _add_window_findings(found: dict[str, dict[str, Any]], lines: Sequence[CorrectionLine], *, package: Package,
                         subs: list[SubCase], view: selectors.PackageAnswers) -> None:
    """The window's own findings join the notice, each for every sub-case whose item asks for that material or
    has that field (a shared element: every item that uses it)."""
    merged = {m.name: m for m in selectors.merged_materials(package.theme)}
    for index, line in enumerate(lines):
        problem = kit.require_text(line.problem, f"lines.{index}.problem", "补正要求", 500)
        if line.field:
            field = view.spec.field(line.field) if view.spec is not None else None
            if field is None:
                raise InvalidInput(f"一件事申请表中没有字段“{line.field}”", fields={f"lines.{index}.field": "unknown"})
            numbers = [s.case.number for s in subs if line.field in view.keys.get(_code(s), {}).values()]
            found[_line_key(field.label_zh, line.field)] = {"name": field.label_zh, "problem": problem,
                                                             "cases": sorted(numbers), "field": line.field}
            continue
        name = kit.require_text(line.name, f"lines.{index}.name", "材料名称", 200)
        if name not in merged:
            raise InvalidInput(f"材料“{name}”不在本一件事的申请材料中", fields={f"lines.{index}.name": "unknown"})
        wanted = {entry.pk for entry, _ in merged[name].entries}
        numbers = [s.case.number for s in subs if s.theme_item_id in wanted]
        entry = found.setdefault(name, {"name": name, "problem": problem, "cases": []})
        entry["problem"] = problem
        entry["cases"] = sorted(set(entry["cases"]) | set(numbers))


def _code(sub: SubCase) -> str:
    return sub.theme_item.item.implementation_code


def _engine_lines(sub: SubCase, items: list[dict], aliases: dict[str, str], view: selectors.PackageAnswers
                  ) -> list[tuple[NoticeLine, case_acts.CorrectionItem]]:
    """The package notice's lines that concern this case, as the engine wants them (every missing material
    listed; a field by its key on this item's form), each as the package notice lists it."""
    case = sub.case
    if not any(case.number in i["cases"] for i in items):
        return []
    by_key: dict[str, Material] = {}
    for own in case.item_version.materials.all():
        by_key.setdefault(selectors.material_key(own.name, aliases), own)
    own_keys = {merged: key for key, merged in view.keys.get(_code(sub), {}).items()}
    result: list[tuple[NoticeLine, case_acts.CorrectionItem]] = []
    listed: set[int] = set()
    for item in items:
        if case.number not in item["cases"]:
            continue
        line = NoticeLine(item["name"], item["problem"], item.get("field", ""))
        if line.field:
            if line.field in own_keys:
                result.append((line, case_acts.CorrectionItem(problem=line.problem, field=own_keys[line.field])))
            continue
        material = by_key.get(item["name"])
        if material is not None and material.pk not in listed:
            listed.add(material.pk)
            result.append((line, case_acts.CorrectionItem(problem=item["problem"], material_id=material.pk)))
    for material in missing_materials(case):
        if material.pk not in listed:
            listed.add(material.pk)
            result.append((NoticeLine(selectors.material_key(material.name, aliases), "未提交"),
                           case_acts.CorrectionItem(problem="未提交", material_id=material.pk)))
    return result


def merge_lines(items: list[dict], lines: Iterable[NoticeLine], number: str) -> tuple[list[dict], list[str]]:
    """`items` of a package notice with the `lines` of case `number` added: a new line, or the case number on a
    line already there. Returns the items and the names of the lines that are new."""
    merged = {_line_key(item["name"], item.get("field", "")): {**item, "cases": list(item["cases"])}
              for item in items}
    new: list[str] = []
    for line in lines:
        key = _line_key(line.name, line.field)
        item = merged.get(key)
        if item is None:
            merged[key] = {"name": line.name, "problem": line.problem, "cases": [number],
                           **({"field": line.field} if line.field else {})}
            new.append(line.name)
        elif number not in item["cases"]:
            item["cases"] = sorted({*item["cases"], number})
    return list(merged.values()), new


def gather_case_correction(package: Package, *, case: Case, notice: CorrectionNotice, by: User | None) -> None:
    """A sub-case's correction notice joins the package's open notice (一次性告知). The package records every
    change of its notice; the applicant is told the whole notice again only when it lists a new material."""
    if package.state not in OPEN_STATES:
        return
    aliases = selectors.material_aliases(package.theme)
    lines = [NoticeLine(selectors.material_key(line["name"], aliases), line["problem"]) for line in notice.items
             if not line.get("field")]
    named = [line for line in notice.items if line.get("field")]
    if named:
        sub = next(s for s in selectors.sub_cases_of(package) if s.case_id == case.pk)
        keys = selectors.package_answers(package).keys.get(_code(sub), {})
        lines += [NoticeLine(line["name"], line["problem"], keys.get(line["field"], line["field"])) for line in named]
    open_notice = PackageCorrection.objects.filter(package=package, resolved_at__isnull=True).order_by("-id").first()
    if open_notice is None:
        open_notice = PackageCorrection(package=package, items=[], note=notice.note, requested_at=notice.requested_at,
                                        requested_by=by or case.created_by)
    items, new = merge_lines(open_notice.items, lines, case.number)
    if items == open_notice.items:
        return
    open_notice.items = items
    open_notice.save()
    if package.state != PackageState.ACCEPTED:
        move(package, "request_correction", by=by,
             extra={"correction": open_notice.pk, "from_case": case.number, "new": new})
    if new:
        _tell_notice(package, items)


def _tell_notice(package: Package, items: list[dict]) -> None:
    listing = "；".join(f"{i['name']}：{i['problem']}" for i in items)
    tell(package, "package_correction", "一次性补正告知", f"请一次性补正以下材料（一份材料各事项共用）：{listing}")


@kit.composable
def supply_package_material(
    package: Package, *, by: User, name: str, content: bytes, filename: str, at: dt.datetime | None = None,
) -> PackageMaterial:
    """Supply one material once (补正): every sub-case that asks for it gets it; every sub-case whose notice is
    now fully answered resumes (is resubmitted); when nothing is missing the package is back with the window."""
    _check_applicant_or_window(by, package)
    if package.state not in (PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED):
        raise IllegalTransition(f"一件事当前状态为“{package.state_label}”，不能再补充材料",
                                fields={"state": package.state, "action": "supply"})
    when, _ = kit.moment(at)
    name = kit.require_text(name, "name", "材料名称", 200)
    merged = {m.name: m for m in selectors.merged_materials(package.theme)}
    line = merged.get(name)
    if line is None:
        raise InvalidInput(f"材料“{name}”不在本一件事的申请材料中", fields={"name": "unknown"})
    subs = selectors.sub_cases_of(package)
    shared = share_material(package, line, PackageFile(name, content, filename), subs=subs, by=by, when=when)
    resumed = _resume_answered(subs, by=by, when=when, fields_answered=_fields_answered(package))
    audit.record("package.supply_material", obj=package, by=by,
                 after={"name": name, "sha256": shared.sha256, "resumed": resumed})
    _close_correction_if_answered(package, by=by, when=when)
    return shared


@kit.composable
def answer_package_correction(
    package: Package, *, by: User, answers: Mapping[str, Any], at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Package:
    """补正申请表 once for the package: `answers` is the package's whole form (as `selectors.package_answers`
    shows it) with only the fields the open notice names changed — checked against the sub-cases' own forms merged
    (FormInvalid, 422, every `answers.<key>` at once; a change to a field not named is `not_asked`; nothing
    written then). Each sub-case that has a changed field and is still with the applicant or the window gets it (a
    shared element: every such sub-case), keeping its first answers beside; every sub-case whose notice is now
    answered is resubmitted, and when nothing is missing the package is back with the window."""
    _check_applicant_or_window(by, package)
    kit.check_version(package, expected_version)
    notices = list(PackageCorrection.objects.filter(package=package, resolved_at__isnull=True).order_by("id"))
    asked = {item["field"] for notice in notices for item in notice.items if item.get("field")}
    if package.state not in OPEN_STATES or not asked:
        raise IllegalTransition("一件事没有待补正的申请表字段", fields={"state": package.state, "action": "answer"})
    when, _ = kit.moment(at)
    subs = selectors.sub_cases_of(package)
    view = selectors.package_answers(package, subs)
    assert view.spec is not None  # a notice names its fields only on a package filed with a form
    cleaned, errors = problems_of(view.spec, answers)
    moved = sorted(k for k in set(cleaned) | set(view.answers)
                   if k not in asked and cleaned.get(k) != view.answers.get(k))
    raise_all([Problem(f"answers.{key}", "not_asked", "补正只能修改补正告知中列出的字段：“%(name)s”未列出",
                       {"name": field.label_zh if (field := view.spec.field(key)) else key}) for key in moved], errors)
    changed = []
    for sub in subs:
        case, names = fresh_case(sub.case_id), view.keys.get(_code(sub))
        if names is None or case.state not in WAITING_STATES:
            continue
        own = corrected_answers(case, split(cleaned, names), [key for key, m in names.items() if m in asked])
        if own != case.answers:
            case_acts.record_corrected_answers(case, by=material_actor(by, case), answers=own)
            changed.append(case.number)
    for notice in notices:
        notice.items = [{**item, "answered": True} if item.get("field") else item for item in notice.items]
        notice.save(update_fields=["items"])
    resumed = _resume_answered(subs, by=by, when=when, fields_answered=True)
    audit.record("package.correct_answers", obj=package, by=by,
                 after={"fields": sorted(k for k in asked if cleaned.get(k) != view.answers.get(k)),
                        "cases": changed, "resumed": resumed})
    _close_correction_if_answered(package, by=by, when=when)
    return package


def _check_applicant_or_window(by: User, package: Package) -> None:
    kit.require_signed_in(by)
    if not (by.role == Role.CITIZEN and package.applicant_user_id == by.pk) and not selectors.is_window(
            by, package.theme):
        raise PermissionDenied("只有申请人本人或受理窗口可以补正")


def _fields_answered(package: Package) -> bool:
    """Every field the package's open notices name has been answered (or none is named)."""
    return all(item.get("answered") for notice in PackageCorrection.objects.filter(package=package,
                                                                                  resolved_at__isnull=True)
               for item in notice.items if item.get("field"))


def _resume_answered(subs: list[SubCase], *, by: User, when: dt.datetime, fields_answered: bool) -> list[str]:
    """Resubmit every sub-case waiting for correction whose notice is now answered; their numbers."""
    resumed = []
    for sub in subs:
        case = fresh_case(sub.case_id)
        if case.state == State.CORRECTION_REQUESTED and _answered(case, fields_answered=fields_answered):
            case_acts.submit_case(case, by=material_actor(by, case), at=when)
            resumed.append(case.number)
    return resumed


def _answered(case: Case, *, fields_answered: bool) -> bool:
    """The case's open notice is answered: nothing missing, every listed material given again since, and the
    fields it names answered on the package's form."""
    notice = CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).order_by("-id").first()
    if notice is None or missing_materials(case):
        return False
    if not fields_answered and any(line.get("field") for line in notice.items):
        return False
    since = set(case.materials.filter(added_at__gte=notice.requested_at).values_list("material_id", flat=True))
    names = set(case.materials.filter(added_at__gte=notice.requested_at).values_list("name", flat=True))
    return all((line.get("material_id") in since) or (line.get("name") in names) for line in notice.items
               if not line.get("field"))


def _close_correction_if_answered(package: Package, *, by: User | None, when: dt.datetime) -> None:
    """Every sub-case answered and every line of the package notice given: the package waits for the window."""
    if package.state != PackageState.CORRECTION_REQUESTED:
        return
    open_notices = list(PackageCorrection.objects.filter(package=package, resolved_at__isnull=True))
    subs = selectors.sub_cases_of(package)
    if any(s.case.state == State.CORRECTION_REQUESTED for s in subs):
        return
    if missing_lines(subs, selectors.material_aliases(package.theme)):
        return
    for notice in open_notices:
        given = set(PackageMaterial.objects.filter(package=package, added_at__gte=notice.requested_at)
                    .values_list("name", flat=True))
        if any(not item.get("answered") if item.get("field") else
               item["name"] not in given and item.get("problem") != "未提交" for item in notice.items):
            return
    PackageCorrection.objects.filter(pk__in=[n.pk for n in open_notices]).update(resolved_at=when)
    move(package, "resubmit", by=by)
    tell(package, "package_resubmitted", "补正材料已齐", "补正材料已收齐，等待窗口受理。")
