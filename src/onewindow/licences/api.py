"""证照 API under /api/v1/licences: the register as its caller may see it — a holder their own licences, desk staff
their department's, supervisors and admins every one — with each licence's history; renewal (延续, art. 50),
撤销 (art. 69) and 注销 (art. 70).

Dates are Beijing dates (`YYYY-MM-DD`), validity in calendar days. A licence outside the caller's scope is 404,
whether or not it exists.

(No `from __future__ import annotations` here: each endpoint's annotations name its schema at definition time.)
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from onewindow.catalog.models import ServiceItem
from onewindow.core.auth import api_auth
from onewindow.core.errors import InvalidInput
from onewindow.core.params import Id, column_limit
from onewindow.licences import selectors, services
from onewindow.licences.models import LEGAL_BASIS_MAX, REASON_MAX, Licence

router = Router(tags=["证照 licences"])


class RenewalOut(Schema):
    case_number: str = Field(description="延续办件编号（经办件接口补交材料、提交）")
    case_state: str
    latest_on: dt.date = Field(description="最迟申请日（有效期届满30日前，第五十条）")
    applied_on: dt.date | None = Field(description="提交之日；未提交时为空")
    outcome: str = Field(description="pending / renewed / deemed / denied / ended")
    successor_id: int | None = Field(description="延续后的证照 id")


class LicenceOut(Schema):
    id: int
    number: str
    name: str
    state: str = Field(description="valid 有效 / expired 已过期 / renewed 已延续 / revoked 已撤销 / cancelled 已注销")
    state_label: str
    holder_kind: str
    holder_name: str
    holder_id_number: str = Field(description="发证部门工作人员可见全号，其他人脱敏显示")
    item_code: str
    item_name: str
    department: str
    case_number: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None = Field(description="有效期至（含当日）；为空表示长期有效")
    renewal_deadline: dt.date | None = Field(description="最迟延续申请日；长期有效时为空")
    deemed: bool = Field(description="视为准予延续（第五十条）")
    renewed_from_id: int | None
    state_reason: str
    state_basis: str
    version: int
    renewals: list[RenewalOut]


class HistoryOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    reason: str
    before: Any
    after: Any


class RenewIn(Schema):
    item_code: str | None = Field(None, max_length=64,
                                  description="延续所用事项的实施编码；默认证照本身的事项（同一事项的延续情形亦可）")
    submit: bool = Field(False, description="立即提交；否则为草稿，经办件接口上传材料后提交")


class DecisionIn(Schema):
    reason: str = Field(max_length=REASON_MAX, description="理由")
    legal_basis: str = Field(max_length=LEGAL_BASIS_MAX, description="法律依据（如《行政许可法》第六十九条第一款第四项）")
    expected_version: Id | None = Field(None, description="读取时的证照版本；已被他人更新时 409 version_conflict")


def licence_out(licence: Licence, user: Any) -> dict[str, Any]:
    renewals = [{"case_number": r.case.number, "case_state": r.case.state, "latest_on": r.latest_on,
                 "applied_on": r.applied_on, "outcome": r.outcome, "successor_id": r.successor_id}
                for r in selectors.renewals_of(licence)]
    return {
        "id": licence.pk, "number": licence.number, "name": licence.name, "state": licence.state,
        "state_label": licence.state_label, "holder_kind": licence.holder_kind, "holder_name": licence.holder_name,
        "holder_id_number": selectors.holder_identity_for(licence, user),
        "item_code": licence.item.implementation_code, "item_name": licence.item.name,
        "department": licence.department.code, "case_number": licence.case.number, "issued_on": licence.issued_on,
        "valid_from": licence.valid_from, "valid_until": licence.valid_until,
        "renewal_deadline": selectors.renewal_deadline(licence), "deemed": licence.deemed,
        "renewed_from_id": licence.renewed_from_id, "state_reason": licence.state_reason,
        "state_basis": licence.state_basis, "version": licence.version, "renewals": renewals,
    }


@router.get("", response=list[LicenceOut], auth=api_auth, operation_id="licences_list",
            summary="我的证照（持证人）/ 本部门发放的证照（工作人员）")
def list_licences(request: HttpRequest,
                  state: str | None = Query(None, max_length=column_limit(Licence, "state"),
                                            description="valid / expired / renewed / revoked / cancelled"),
                  number: str | None = Query(None, max_length=column_limit(Licence, "number"), description="证照编号"),
                  limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000)):
    """The caller's licences, newest first; `state` one of valid / expired / renewed / revoked / cancelled (422
    otherwise)."""
    user = request.auth
    licences = selectors.list_licences(user, state=state, number=number)[offset:offset + limit]
    return [licence_out(licence, user) for licence in licences]


@router.get("/{licence_id}", response=LicenceOut, auth=api_auth, operation_id="licences_get", summary="一个证照")
def get_licence(request: HttpRequest, licence_id: Id):
    return licence_out(selectors.get_licence_for(request.auth, licence_id), request.auth)


@router.get("/{licence_id}/history", response=list[HistoryOut], auth=api_auth, operation_id="licences_history",
            summary="证照的全部记录（登记、提醒、延续、撤销、注销、过期）")
def history(request: HttpRequest, licence_id: Id):
    licence = selectors.get_licence_for(request.auth, licence_id)
    return [{"at": e.at, "action": e.action, "actor": e.actor_label, "reason": e.reason, "before": e.before,
             "after": e.after} for e in selectors.licence_history(licence)]


@router.post("/{licence_id}/renew", response={201: LicenceOut}, auth=api_auth, operation_id="licences_renew",
             summary="申请延续（第五十条）：开立延续办件")
def renew(request: HttpRequest, licence_id: Id, payload: RenewIn | None = None):
    """Open the renewal case for the licence (the holder, or the issuing department's window). 409
    `renewal_too_late` later than 30 days before expiry, `renewal_pending`, `not_renewable`, `illegal_transition`;
    422 for an item that is not this licence's matter."""
    user = request.auth
    payload = payload or RenewIn()
    licence = selectors.get_licence_for(user, licence_id)
    item = None
    if payload.item_code:
        item = ServiceItem.objects.filter(implementation_code=payload.item_code.strip()).first()
        if item is None:
            raise InvalidInput(f"事项“{payload.item_code}”不存在", fields={"item_code": "not_found"})
    services.apply_for_renewal(licence, by=user, item=item, submit=payload.submit)
    return Status(201, licence_out(selectors.get_licence_for(user, licence_id), user))


def _decision(action):
    def endpoint(request: HttpRequest, licence_id: Id, payload: DecisionIn):
        user = request.auth
        licence = selectors.get_licence_for(user, licence_id)
        service = services.revoke_licence if action == "revoke" else services.cancel_licence
        service(licence, by=user, reason=payload.reason, legal_basis=payload.legal_basis,
                expected_version=payload.expected_version)
        return licence_out(selectors.get_licence_for(user, licence_id), user)

    return endpoint


router.post("/{licence_id}/revoke", response=LicenceOut, auth=api_auth, operation_id="licences_revoke",
            summary="撤销（第六十九条）", description="发证部门的审核人员或负责人；有效或已过期的证照。403 其他角色或部门，"
            "404 范围之外，409 状态不允许或版本已变，422 缺理由或依据。")(_decision("revoke"))
router.post("/{licence_id}/cancel", response=LicenceOut, auth=api_auth, operation_id="licences_cancel",
            summary="注销（第七十条）", description="发证部门的审核人员或负责人；有效、已过期或已撤销的证照。错误同撤销。"
            )(_decision("cancel"))
