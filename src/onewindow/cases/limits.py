"""字数上限: the longest text each free-text input of the case engine takes, from one place.

Each limit is the column's that keeps the text (a reason, a legal basis, a note have a stated maximum declared on
their text columns, `models.REASON_MAX` and `models.LEGAL_BASIS_MAX`); a problem line of a correction notice is kept
in JSON and has its own stated maximum here. The acts check them (`kit.require_text(…, max_length=…)`,
`acts.base.optional_text`), the page forms and the API schemas declare them, so a text the page takes is a text the
API takes.
"""

from __future__ import annotations

from typing import Any

from onewindow.cases.models import Case, CaseMaterial, CorrectionNotice, Extension, Hearing, Suspension
from onewindow.catalog.models import ServiceItem
from onewindow.core.params import column_limit, text

_column = column_limit


NUMBER = _column(Case, "number")  # 办件编号
APPLICANT_KIND = _column(Case, "applicant_kind")  # 申请人类型
CHANNEL = _column(Case, "channel")  # 申报渠道
DELIVERY_METHOD = _column(Case, "delivery_method")  # 送达方式
ITEM_CODE = _column(ServiceItem, "implementation_code")  # 事项实施编码
APPLICANT_NAME = _column(Case, "applicant_name")  # 申请人名称
LEGAL_REPRESENTATIVE = _column(Case, "legal_representative")  # 法定代表人
AGENT_NAME = _column(Case, "agent_name")  # 代办人姓名
POSTAL_ADDRESS = _column(Case, "postal_address")  # 邮寄地址
TRACKING_NUMBER = _column(Case, "tracking_number")  # 快递单号
LICENCE_NUMBER = _column(Case, "licence_number")  # 证照编号
PICKUP_CODE = _column(Case, "pickup_code")  # 取件码
QUERY_CODE = _column(Case, "query_code")  # 查询码
IDEMPOTENCY_KEY = _column(Case, "idempotency_key")  # 幂等键
DECISION_REASON = _column(Case, "decision_reason")  # 审查意见、不予许可理由
CLOSED_REASON = _column(Case, "closed_reason")  # 不予受理、撤回、终止理由
LEGAL_BASIS = _column(Case, "legal_basis")  # 法律依据
CORRECTION_NOTE = _column(CorrectionNotice, "note")  # 补正说明
SUSPENSION_REASON = _column(Suspension, "reason")  # 特别程序事由
EXTENSION_REASON = _column(Extension, "reason")  # 延期理由
HEARING_MATTER = _column(Hearing, "matter")  # 听证：涉及的重大利益
HEARING_PARTIES = _column(Hearing, "interested_parties")  # 利害关系人
HEARING_PARTY = _column(Hearing, "requested_by_name")  # 听证申请人
HEARING_PLACE = _column(Hearing, "place")  # 听证地点
HEARING_RECORD = _column(Hearing, "record")  # 听证笔录
HEARING_SIGNED_BY = _column(Hearing, "record_signed_by")  # 笔录签字人
MATERIAL_NAME = _column(CaseMaterial, "name")  # 材料名称 (a material outside the item's list)
CORRECTION_PROBLEM = 300  # one line of 一次性告知: what is wrong with a material and what to bring
FILE_NAME = 255  # an uploaded file's name, as the request names it (longer names are cut by the server)


def schema_text(max_length: int, description: str, default: Any = "") -> Any:
    """A text field of an API schema that declares its limit (`maxLength`, and in its description) and refuses a
    longer text (422 `too_long` naming the field, `core.params.text`), as the act does for the pages;
    `default=...` makes it required."""
    return text(max_length, description, default)
