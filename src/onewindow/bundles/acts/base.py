"""What every act on a 一件事 package shares: the inputs, who acts at the window and for which department, the
package's versioned move through its lifecycle table, its clock columns, the materials shared by sub-cases, and
the one message to the applicant."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from onewindow.bundles import selectors
from onewindow.bundles.lifecycle import package_transition
from onewindow.bundles.models import Package, PackageMaterial, SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases import clock
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.notifications import notify_on_commit
from onewindow.cases.selectors import missing_materials
from onewindow.catalog import acts as catalog_acts
from onewindow.catalog.models import Department, Material
from onewindow.catalog.selectors import department_id_of
from onewindow.core import kit
from onewindow.core.errors import InvalidInput, PermissionDenied
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar

AGENT_PREFIX = "yjs-agent-"
# Sub-case states in which the applicant may still be asked for, or still bring, a material.
WAITING_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED})


# -- inputs ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackageFile:
    """One material of the merged form, by its merged name, uploaded once."""

    name: str
    content: bytes
    filename: str


@dataclass(frozen=True)
class CorrectionLine:
    """One line the window adds to the package's correction notice: a merged material, or a field of the package's
    one form (`field`, its key there: 申请表字段), and what is wrong."""

    name: str
    problem: str
    field: str = ""


@dataclass(frozen=True)
class Participant:
    """Someone who took part in a joint review meeting (集中会审), and for which department."""

    department: str
    name: str


# -- who acts ----------------------------------------------------------------------------------------------
def check_window(by: User, package: Package) -> None:
    """Signed in (401) and the lead department's or a comprehensive window (403)."""
    kit.require_signed_in(by)
    if not selectors.is_window(by, package.theme):
        raise PermissionDenied("只有牵头部门窗口或综合窗口可以办理一件事的受理、补正和送达",
                               fields={"department": "scope"})


def agent_for(department: Department) -> User:
    """The department's 一件事联办 service account: acts on its sub-cases for the one window; cannot sign in."""
    username = f"{AGENT_PREFIX}{department.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = catalog_acts.create_staff(username=username, role=Role.CLERK, department=department, by=None,
                                         display_name=f"一件事联办（{department.short_name or department.name}）")
    return user


def desk_actor(human: User | None, case: Case) -> User:
    """Who performs a window act on a sub-case: the person if the case engine lets them, else the agent."""
    if human is not None and human.role == Role.CLERK:
        if department_id_of(human) == case.department_id:
            return human
        if department_id_of(human) is None and case.item_version.central_acceptance:
            return human
    return agent_for(case.department)


def material_actor(human: User, case: Case) -> User:
    """Who adds a material or resubmits: the applicant for their own case, else a window actor."""
    if human.role == Role.CITIZEN and case.applicant_user_id == human.pk:
        return human
    return desk_actor(human, case)


def fresh_case(case_id: int) -> Case:
    """A sub-case as stored now: an act or a reaction earlier in the same transaction may have moved it."""
    return Case.objects.select_related("item_version", "department", "created_by").get(pk=case_id)


# -- the package's own state ----------------------------------------------------------------------------------
def move(package: Package, action: str, *, by: User | None, changes: dict[str, Any] | None = None,
         reason: str = "", extra: dict[str, Any] | None = None) -> Package:
    """Take the package through `action` of its lifecycle table (IllegalTransition, 409, if the state does not
    allow it), at the version that was read (VersionConflict, 409), audited as `package.<action>`."""
    target = package_transition(action, package.state).target
    return kit.versioned_update(package, action=action, by=by, changes={"state": target, **(changes or {})},
                                reason=reason, extra=extra)


def locked(package_id: int) -> Package:
    """The package row, locked until the transaction ends: concurrent reactions to its sub-cases take turns."""
    return Package.objects.select_for_update().select_related("theme").get(pk=package_id)


def clock_columns(package: Package, due_on: dt.date | None) -> dict[str, Any]:
    """The stored columns of the package's own light: due date and the day it turns yellow (None: no light)."""
    if due_on is None:
        return {"clock_due_on": None, "clock_warn_on": None}
    threshold = selectors.yellow_threshold(package.promised_days)
    return {"clock_due_on": due_on, "clock_warn_on": clock.warn_on(get_calendar(), due_on, threshold)}


def tell(package: Package, kind: str, title: str, body: str) -> None:
    """One message to the applicant about the whole package, after commit."""
    if package.applicant_user_id:
        notify_on_commit([package.applicant_user_id], case_id=None, kind=kind,
                         title=f"{package.number} {package.theme.name}：{title}", body=body)


# -- materials ----------------------------------------------------------------------------------------------
def missing_lines(subs: list[SubCase], aliases: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every material the applicant still has to bring, merged across sub-cases: name → {problem, cases}.

    Government-issued materials are fetched by data sharing (免提交) and never asked of the applicant.
    """
    lines: dict[str, dict[str, Any]] = {}
    for sub in subs:
        if sub.case.state not in WAITING_STATES:
            continue
        for material in missing_materials(sub.case):
            if material.source != Material.Source.APPLICANT:
                continue
            key = selectors.material_key(material.name, aliases)
            line = lines.setdefault(key, {"name": key, "problem": "未提交", "cases": []})
            if sub.case.number not in line["cases"]:
                line["cases"].append(sub.case.number)
    return lines


def fetch_shared(case: Case, *, actor: User, when: dt.datetime) -> None:
    """Government-issued materials are fetched by data sharing (免提交), never asked of the applicant."""
    if not case_acts.may_act_for_applicant(case, actor):
        return  # not the applicant's own account: the window fetches them after checking who applies
    for material in missing_materials(case):
        if material.source == Material.Source.GOVERNMENT:
            case_acts.fetch_shared_material(case, by=actor, material_id=material.pk, at=when)


def share_material(package: Package, line: selectors.MergedMaterial, upload: PackageFile, *, subs: list[SubCase],
                   by: User, when: dt.datetime) -> PackageMaterial:
    """Give one uploaded material to every sub-case whose item asks for it (collected once, shared by all)."""
    wanted = {entry.pk: material for entry, material in line.entries}
    rows: list[CaseMaterial] = []
    for sub in subs:
        material = wanted.get(sub.theme_item_id)
        if material is None:
            continue
        case = fresh_case(sub.case_id)
        if case.item_version_id != material.version_id:
            continue
        rows.append(case_acts.add_material(case, by=material_actor(by, case), content=upload.content,
                                           filename=upload.filename, material_id=material.pk, at=when))
    if not rows:
        raise InvalidInput(f"没有子办件需要材料“{line.name}”", fields={"name": "unused"})
    shared = PackageMaterial.objects.create(
        package=package, name=line.name, original_name=(upload.filename or "")[:200],
        sha256=hashlib.sha256(upload.content).hexdigest(), size=len(upload.content), added_at=when, added_by=by,
    )
    shared.case_materials.set(rows)
    return shared
