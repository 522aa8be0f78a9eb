"""Materials (申请材料): uploaded and checked, fetched by data sharing (数据共享), or reused from an earlier case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.cases import limits
from onewindow.cases.acts.base import MATERIAL_STATES, check_actor
from onewindow.cases.models import (
    Case,
    CaseMaterial,
)
from onewindow.cases.uploads import check_upload, files_discarded_on_failure, store
from onewindow.catalog.models import Material
from onewindow.core import kit
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable
from onewindow.core.models import User


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
    """Mark a government-issued material as fetched by data sharing (数据共享获取) instead of uploaded."""
    check_actor(case, by, "add_material")
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
    """Reuse a verified material from the same applicant's earlier case (材料复用), instead of uploading again."""
    check_actor(case, by, "add_material")
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
