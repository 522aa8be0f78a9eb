"""A case's materials through the API: upload one (multipart), fetch one by data sharing, reuse a verified one;
the 授权委托 that lets an agent's account do the last two in the applicant's name."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from onewindow.cases import limits, selectors, services
from onewindow.cases.api.base import read_scan, user_of
from onewindow.cases.api.schemas import AuthorizationIn, AuthorizationOut, MaterialOut, ReuseIn, SharedIn
from onewindow.core.errors import InvalidInput
from onewindow.core.identity import mask_identity
from onewindow.core.models import User
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


@router.post("/{number}/authorizations", response={201: AuthorizationOut}, summary="登记授权委托（窗口人员）")
def authorize_agent(request: HttpRequest, number: str, payload: AuthorizationIn):
    """Record that the agent's account (`agent`, a username) may reuse and fetch by data sharing the applicant's
    materials on this case (授权委托; clerks, after checking the signed 委托书 and both identity documents).
    422 `invalid` naming `agent` (unknown, not 实名, not the case's agent) or `scope`; 403 for citizens."""
    user = user_of(request)
    case = selectors.get_case_for(user, number)
    agent = User.objects.filter(username=payload.agent, is_active=True).first()
    if agent is None:
        raise InvalidInput(f"账号“{payload.agent}”不存在", fields={"agent": "unknown"})
    row = services.record_authorization(case, by=user, agent=agent, scope=payload.scope)
    return Status(201, {"id": row.pk, "case": case.number, "agent": agent.username, "scope": row.scope,
                        "principal": mask_identity(row.principal_id_number),
                        "recorded_at": row.recorded_at})
