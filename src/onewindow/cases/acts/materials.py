"""Materials (申请材料): uploaded and checked, fetched by data sharing (数据共享), or reused from an earlier case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.cases import limits
from onewindow.cases.acts.base import MATERIAL_STATES, check_actor
from onewindow.cases.models import (
    Authorization,
    Case,
    CaseMaterial,
)
from onewindow.cases.selectors import forget_rows
from onewindow.cases.uploads import check_upload, files_discarded_on_failure, store
from onewindow.catalog.models import Material
from onewindow.core import kit
from onewindow.core.errors import InvalidInput, NotTheHolder, PermissionDenied
from onewindow.core.kit import composable
from onewindow.core.models import STAFF_ROLES, Role, User


def may_act_for_applicant(case: Case, by: User) -> bool:
    """Whether `by` may use the applicant's own records on this case (材料复用, 数据共享): the applicant's own
    实名 account (its verified identity number is the applicant's), an agent whose 授权委托 is recorded on the
    case, or staff, who take the material in after checking the person's identity documents at the window."""
    if by.is_superuser or by.role in STAFF_ROLES:
        return True
    if by.holds_identity(case.applicant_id_number):
        return True
    return Authorization.objects.filter(case=case, agent=by, principal_id_number=case.applicant_id_number,
                                        scope=Authorization.Scope.MATERIALS).exists()


def require_acting_for_applicant(case: Case, by: User) -> None:
    """NotTheHolder (403, `not_the_holder`) unless `by` may use the applicant's records (`may_act_for_applicant`)."""
    if not may_act_for_applicant(case, by):
        raise NotTheHolder(
            "只有申请人本人（已实名的账号）或在本办件登记了授权委托的代办人，才能复用或通过数据共享调取申请人的材料",
            fields={"applicant": "not_the_holder"})


@composable
def record_authorization(
    case: Case, *, by: User, agent: User, scope: str = Authorization.Scope.MATERIALS, at: dt.datetime | None = None,
) -> Authorization:
    """Record a 授权委托 on the case (登记授权委托): `agent`'s account may act in the applicant's name in `scope`.

    A clerk, reviewer or leader who may handle the case records it after checking the signed 授权委托书 and both
    identity documents. The agent's account must carry its holder's verified identity (实名); when the case names
    an agent (代办人), it must be that person. Raises PermissionDenied (403) for a citizen, InvalidInput (422)
    naming `agent` or `scope`. Recording the same authorization again returns the one on record.
    """
    check_actor(case, by, "add_material")
    if by.role not in (Role.CLERK, Role.REVIEWER, Role.LEADER) and not by.is_superuser:
        raise PermissionDenied("授权委托由窗口人员核验委托书后登记")
    if scope not in Authorization.Scope.values:
        raise InvalidInput(f"委托事项“{scope}”无效", fields={"scope": "choice"})
    if not agent.identity_number:
        raise InvalidInput("受托人账号尚未实名：请先核验并登记其身份证号", fields={"agent": "not_verified"})
    if agent.holds_identity(case.applicant_id_number):
        raise InvalidInput("受托人就是申请人本人，无需授权委托", fields={"agent": "is_principal"})
    if case.agent_id_number and not agent.holds_identity(case.agent_id_number):
        raise InvalidInput("受托人账号的实名身份与本办件登记的代办人不一致", fields={"agent": "not_the_agent"})
    existing = Authorization.objects.filter(case=case, agent=agent, scope=scope).first()
    if existing is not None:
        return existing
    when, _day = kit.moment(at)
    row = Authorization.objects.create(case=case, agent=agent, principal_id_number=case.applicant_id_number,
                                       scope=scope, recorded_at=when, recorded_by=by)
    kit.versioned_update(case, action="record_authorization", by=by, changes={},
                         extra={"authorization": row.pk, "agent": agent.username, "scope": scope})
    return row


def _catalog_material(case: Case, material_id: int | None) -> Material | None:
    return None if material_id is None else _material_of(case, material_id)


def _only_tolerated_after_decision(case: Case, material: Material | None) -> None:
    """After the approval only the tolerated (容缺) materials still owed may come in, until the result is issued."""
    if case.state in MATERIAL_STATES:
        return
    owed = {entry["id"] for entry in case.tolerated_materials}
    if material is None or material.pk not in owed:
        names = "、".join(entry["name"] for entry in case.tolerated_materials)
        raise InvalidInput(f"办件已准予许可，只能补交容缺材料：{names}", fields={"material_id": "not_tolerated"})


def _material_of(case: Case, material_id: int) -> Material:
    """One material of the case's item version, else InvalidInput (422)."""
    material = Material.objects.filter(pk=material_id, version_id=case.item_version_id).first()
    if material is None:
        raise InvalidInput("该材料不属于本办件的事项版本", fields={"material_id": "invalid"})
    return material


def _record_material(case: Case, row: CaseMaterial, *, action: str, by: User, day: dt.date,
                     extra: dict[str, Any]) -> None:
    """The case moves to its next version with the material on record (so a view read before it is stale), and a
    tolerated material that arrives may complete the 容缺 promise."""
    forget_rows(case, "materials")
    changes: dict[str, Any] = {}
    if row.material_id is not None and case.tolerated_materials and case.tolerance_resolved_on is None:
        wanted = {entry["id"] for entry in case.tolerated_materials}
        provided = set(case.materials.filter(material_id__in=wanted).values_list("material_id", flat=True))
        if wanted <= provided:
            changes["tolerance_resolved_on"] = day
    kit.versioned_update(case, action=action, by=by, changes=changes, extra={"material": row.pk, **extra})


@composable
def add_material(
    case: Case, *, by: User, content: bytes, filename: str, material_id: int | None = None, name: str = "",
    at: dt.datetime | None = None,
) -> CaseMaterial:
    """Upload one material: PDF / JPEG / PNG / OFD by content, within MAX_UPLOAD_BYTES; sha256 kept."""
    check_actor(case, by, "add_material")
    material = _catalog_material(case, material_id)
    _only_tolerated_after_decision(case, material)
    label = material.name if material else kit.require_text(name, "name", "材料名称", max_length=limits.MATERIAL_NAME)
    checked = check_upload(content, filename)
    when, day = kit.moment(at)
    with files_discarded_on_failure():
        stored = store(f"cases/materials/{case.number}/{checked.sha256[:16]}{checked.extension}", checked.content)
        row = CaseMaterial.objects.create(
            case=case, material=material, name=label, provision=CaseMaterial.Provision.UPLOADED, file=stored,
            original_name=(filename or "")[:200], content_type=checked.content_type, size=checked.size,
            sha256=checked.sha256, added_at=when, added_by=by,
        )
        _record_material(case, row, action="add_material", by=by, day=day,
                         extra={"name": row.name, "sha256": row.sha256, "size": row.size,
                                "content_type": row.content_type})
    return row


@composable
def fetch_shared_material(
    case: Case, *, by: User, material_id: int, at: dt.datetime | None = None
) -> CaseMaterial:
    """Mark a government-issued material as fetched by data sharing (数据共享获取) instead of uploaded.

    Only for the applicant's 实名 account, an authorized agent or staff (`require_acting_for_applicant`, 403).
    """
    check_actor(case, by, "add_material")
    require_acting_for_applicant(case, by)
    material = _material_of(case, material_id)
    _only_tolerated_after_decision(case, material)
    if material.source != Material.Source.GOVERNMENT:
        raise InvalidInput(f"“{material.name}”不是政府部门核发的材料，不能通过数据共享获取",
                           fields={"material_id": "not_shared"})
    when, day = kit.moment(at)
    row = CaseMaterial.objects.create(case=case, material=material, name=material.name,
                                      provision=CaseMaterial.Provision.SHARED, verified=True, added_at=when,
                                      added_by=by)
    _record_material(case, row, action="fetch_shared_material", by=by, day=day,
                     extra={"name": row.name, "issuer": material.issuer})
    return row


@composable
def reuse_material(
    case: Case, *, by: User, source_id: int, material_id: int | None = None, at: dt.datetime | None = None
) -> CaseMaterial:
    """Reuse a verified material from the same applicant's earlier case (材料复用), instead of uploading again.

    Only for the applicant's 实名 account, an authorized agent or staff (`require_acting_for_applicant`, 403
    `not_the_holder`): opening a case in another person's identity number gives no access to their materials.
    """
    check_actor(case, by, "add_material")
    require_acting_for_applicant(case, by)
    source = CaseMaterial.objects.select_related("case").filter(pk=source_id).first()
    if (
        source is None
        or not source.verified
        or source.provision != CaseMaterial.Provision.UPLOADED
        or source.case.applicant_id_number != case.applicant_id_number
        or source.case_id == case.pk
    ):
        raise InvalidInput("只能复用同一申请人以前办件中已核验的材料", fields={"source_id": "invalid"})
    material = _catalog_material(case, material_id if material_id is not None else None)
    if material is None and source.material_id is not None:
        # The same catalog material under this case's version, matched by name (versions differ in ids).
        material = Material.objects.filter(version_id=case.item_version_id, name=source.name).first()
    _only_tolerated_after_decision(case, material)
    when, day = kit.moment(at)
    row = CaseMaterial.objects.create(
        case=case, material=material, name=material.name if material else source.name,
        provision=CaseMaterial.Provision.REUSED, file=source.file.name, original_name=source.original_name,
        content_type=source.content_type, size=source.size, sha256=source.sha256, reused_from=source,
        verified=True, added_at=when, added_by=by,
    )
    _record_material(case, row, action="reuse_material", by=by, day=day,
                     extra={"name": row.name, "reused_from": source.pk, "sha256": row.sha256})
    return row
