"""A case's materials through the API: upload one (multipart), fetch one by data sharing, reuse a verified one."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from onewindow.cases import limits, selectors, services
from onewindow.cases.api.base import read_scan, user_of
from onewindow.cases.api.schemas import MaterialOut, ReuseIn, SharedIn
from onewindow.core.params import Id

router = Router()


# The name of a material outside the item's list, as a form field of the upload (its column's limit).
_MATERIAL_NAME = Form("", max_length=limits.MATERIAL_NAME, description="材料名称（material_id 留空时必填）")


@router.post("/{number}/materials", response={201: MaterialOut}, summary="上传材料（PDF/JPEG/PNG/OFD，按内容识别）")
def upload_material(
    request: HttpRequest, number: str, file: File[UploadedFile],
    material_id: Form[Id | None] = None,
    name: str = _MATERIAL_NAME,
):
    user = user_of(request)
    case = selectors.get_case_for(user, number)
    scan = read_scan(file, "file")
    return Status(201, services.add_material(case, by=user, content=scan.content, filename=scan.filename,
                                             material_id=material_id, name=name))


@router.post("/{number}/materials/shared", response={201: MaterialOut}, summary="数据共享获取政府核发材料")
def shared_material(request: HttpRequest, number: str, payload: SharedIn):
    user = user_of(request)
    case = selectors.get_case_for(user, number)
    return Status(201, services.fetch_shared_material(case, by=user, material_id=payload.material_id))


@router.post("/{number}/materials/reuse", response={201: MaterialOut}, summary="复用已核验材料")
def reuse(request: HttpRequest, number: str, payload: ReuseIn):
    user = user_of(request)
    case = selectors.get_case_for(user, number)
    return Status(201, services.reuse_material(case, by=user, source_id=payload.source_id,
                                               material_id=payload.material_id))
