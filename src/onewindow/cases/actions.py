"""The actions on a case (办理操作): one registry, derived from the lifecycle table, read by the case page, the API
and the tests.

For each action of `lifecycle.ALLOWED_TRANSITIONS`, in the table's order, and for `add_material` (补充材料, not a
transition), an entry names the page's form, the public service, the API's input schema, and says who may perform
it on this case now (`Action.allows`): the table's state and role and the act's own rules — scope, department, a
comprehensive window only for centrally accepted items, a clerk decides only where the window is authorized, a
reviewer only on an unassigned case or their own, one extension by the leader before the due date… — asked of
the acts themselves (`acts.refusal`), without raising. The case page offers exactly the actions its user may
perform; the API publishes one POST per entry with its schema (`cases.api.actions`); the tests walk it.

Adding an action touches this one place, once its transition is in the table and its act in `cases.acts`: an
entry below with its form (in `cases.forms.actions`, often one that exists) and its input schema (below).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from onewindow.cases import acts, limits, services
from onewindow.cases.forms import actions as forms
from onewindow.cases.limits import schema_text
from onewindow.cases.models import Case, CaseMaterial
from onewindow.core.errors import DomainError, InvalidInput
from onewindow.core.models import User
from onewindow.core.params import Count, Id


# -- the API's input schemas, one per kind of input ------------------------------------------------------------
class ActionIn(Schema):
    """What every action takes: the version of the case that was read."""

    expected_version: Count | None = Field(
        None, description="读取办件时的版本号（version）；与请求头 If-Match 等价。办件已被他人更新时返回 409 version_conflict")

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments besides the case, `by` and `expected_version`."""
        return self.dict(exclude={"expected_version"})


class AcceptIn(ActionIn):
    tolerated: list[Id] = Field(default_factory=list,
                                 description="容缺受理的材料（事项材料 id），只能是尚未提交的“容缺后补”材料")
    tolerance_due_on: dt.date | None = Field(
        None, description="容缺材料承诺补交日期（北京时间日期 YYYY-MM-DD），须晚于受理日、不晚于本办件的法定办结日；"
                          "有容缺材料时必填")


class CorrectionItemIn(Schema):
    material_id: Id | None = Field(None, description="事项材料 id；清单之外的材料留空并填写 name")
    name: str = schema_text(limits.MATERIAL_NAME, "材料名称（material_id 留空时必填）")
    problem: str = schema_text(limits.CORRECTION_PROBLEM, "存在的问题及补正要求", ...)
    field: str = Field("", max_length=48, description="申请表字段标识（补正申请表内容时填写，material_id 与 name 留空）")


class CorrectionIn(ActionIn):
    items: list[CorrectionItemIn] = Field(description="一次性告知：须列出全部尚缺的材料")
    note: str = schema_text(limits.CORRECTION_NOTE, "补正说明")

    def arguments(self) -> dict[str, Any]:
        return {"items": [services.CorrectionItem(problem=i.problem, material_id=i.material_id, name=i.name,
                                                  field=i.field)
                          for i in self.items], "note": self.note}


class RefuseIn(ActionIn):
    reason: str = schema_text(limits.CLOSED_REASON, "不予受理理由", ...)
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "依据")


class DenyIn(ActionIn):
    reason: str = schema_text(limits.DECISION_REASON, "不予许可理由", ...)
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "法律依据", ...)


class TerminateIn(ActionIn):
    reason: str = schema_text(limits.CLOSED_REASON, "终止理由", ...)
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "法律依据", ...)


class ApproveIn(ActionIn):
    reason: str = schema_text(limits.DECISION_REASON, "审查意见")
    legal_basis: str = schema_text(limits.LEGAL_BASIS, "法律依据，写入准予行政许可决定书")


class WithdrawIn(ActionIn):
    reason: str = schema_text(limits.CLOSED_REASON, "撤回原因（默认“申请人撤回”）")


class AssignIn(ActionIn):
    reviewer_id: Id = Field(description="承办人（本部门审核人员或负责人）的用户 id；审核人员只能领取给自己")

    def arguments(self) -> dict[str, Any]:
        reviewer = User.objects.filter(pk=self.reviewer_id).first()
        if reviewer is None:
            raise InvalidInput("承办人不存在", fields={"reviewer_id": "not_found"})
        return {"reviewer": reviewer}


class SuspendIn(ActionIn):
    kind: Literal["tender", "auction", "inspection", "testing", "quarantine", "appraisal", "expert_review"] = Field(
        description="特别程序：招标、拍卖、检验、检测、检疫、鉴定、专家评审（听证用 notify-hearing-right 等听证操作）")
    reason: str = schema_text(limits.SUSPENSION_REASON, "事由；特别程序所需时间不计入办理时限（工作日）", ...)
    expected_days: Count | None = Field(None, description="预计所需工作日（1–250），与 expected_end_on 二选一；"
                                                        "书面告知申请人（第四十五条）")
    expected_end_on: dt.date | None = Field(None, description="预计结束日期（北京时间 YYYY-MM-DD），晚于开始日；"
                                                             "逾期未结束产生监察预警")


class HearingRightIn(ActionIn):
    matter: str = schema_text(limits.HEARING_MATTER, "涉及申请人与他人之间重大利益关系的情形", ...)
    interested_parties: str = schema_text(limits.HEARING_PARTIES, "利害关系人，每行一个")


class RequestHearingIn(ActionIn):
    party: str = schema_text(limits.HEARING_PARTY, "听证申请人（工作人员登记书面申请时必填；申请人本人申请时忽略）")


class ScheduleHearingIn(ActionIn):
    hearing_at: dt.datetime = Field(description="听证时间（带时区，如 2025-09-26T09:30:00+08:00）；须在通知之日后第7个"
                                                "工作日或以后、收到申请后20个工作日内，且为工作日")
    place: str = schema_text(limits.HEARING_PLACE, "听证地点", ...)
    presiding_officer_id: Id = Field(description="听证主持人（本部门审核人员或负责人，不得为本案承办人）的用户 id")

    def arguments(self) -> dict[str, Any]:
        officer = User.objects.filter(pk=self.presiding_officer_id).first()
        if officer is None:
            raise InvalidInput("听证主持人不存在", fields={"presiding_officer_id": "not_found"})
        return {"hearing_at": self.hearing_at, "place": self.place, "presiding_officer": officer}


class RecordHearingIn(ActionIn):
    record: str = schema_text(limits.HEARING_RECORD, "听证笔录（摘要）", ...)
    signed_by: str = schema_text(limits.HEARING_SIGNED_BY, "签字或盖章确认笔录的听证参加人", ...)


class WaiveHearingIn(ActionIn):
    reason: str = schema_text(limits.HEARING_MATTER, "放弃听证说明（默认“当事人放弃听证”）")


class ExtendIn(ActionIn):
    days: Count = Field(description="延长的工作日数：1 至事项规定的最长延期天数；须在法定办结日前（特别程序期间亦可），"
                                  "只能延期一次；承诺办结日已过的，只延长法定期限（行政许可法第四十二条）")
    reason: str = schema_text(limits.EXTENSION_REASON, "延期理由", ...)


class IssueIn(ActionIn):
    licence_number: str = schema_text(limits.LICENCE_NUMBER, "证照编号（必填）；不予许可的办件用 issue-denial")


class DeliverIn(ActionIn):
    method: Literal["pickup", "post", "electronic"] | None = Field(
        None, description="送达方式：pickup 窗口领取 / post 免费邮寄 / electronic 电子送达；默认申请时选择的方式")
    pickup_code: str = schema_text(limits.PICKUP_CODE, "窗口领取时申请人出示的取件码")
    tracking_number: str = schema_text(limits.TRACKING_NUMBER, "免费邮寄时的快递单号")
    postal_address: str = schema_text(limits.POSTAL_ADDRESS, "免费邮寄时的邮寄地址（默认申请时填写的地址）")


# -- the registry -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """One action on a case: its page form, its service, its API input, and who may perform it now."""

    name: str
    label: Promise  # the lifecycle table's label, marked for translation (the pages show it)
    form: type[forms.ActionForm]
    service: Callable[..., Any]
    schema: type[ActionIn] | None  # None: its API is elsewhere (add_material: multipart /materials)
    summary: str = ""  # the API operation's summary
    message: Callable[[Any], str] | None = None  # what the page says when it is done; default "已<label>"

    @property
    def path(self) -> str:
        """The API path segment: `/api/v1/cases/{number}/<path>`."""
        return self.name.replace("_", "-")

    def refusal(self, case: Case, user: User) -> DomainError | None:
        """Why `user` may not perform this action on `case` now, whatever they fill in; None if they may."""
        return acts.refusal(case, user, self.name)

    def allows(self, case: Case, user: User) -> bool:
        return self.refusal(case, user) is None

    def form_for(self, case: Case, user: User, data=None, files=None) -> forms.ActionForm:
        """The page's form of this action on `case` for `user`, bound when `data` is given."""
        args = (data, files) if data is not None else ()
        return self.form(*args, case=case, user=user, auto_id=self.auto_id)

    @property
    def auto_id(self) -> str:
        """The ids of this action's fields (`id_deny-reason`): unique on a page that shows several actions' forms,
        so each label names and focuses its own field; the posted names stay the fields' own."""
        return f"id_{self.name}-%s"

    def perform(self, case: Case, *, by: User, arguments: dict[str, Any], expected_version: int | None = None):
        """Call the service with the arguments of a valid form (`form.arguments()`) or API input."""
        return self.service(case, by=by, expected_version=expected_version, **arguments)

    def done(self, result: Any) -> str:
        return self.message(result) if self.message else gettext("已%(label)s") % {"label": self.label}


def provide_material(case: Case, *, by: User, material_id: int, scan: services.Scan | None,
                     expected_version: int | None = None) -> CaseMaterial:
    """补充材料 on the case page: upload the scan, or, without one, fetch the material by data sharing. Materials
    arrive from several hands at once, so the version the page showed is not held against them."""
    if scan is None:
        return services.fetch_shared_material(case, by=by, material_id=material_id)
    return services.add_material(case, by=by, content=scan.content, filename=scan.filename, material_id=material_id)


# In the order of `lifecycle.ALLOWED_TRANSITIONS`, then add_material (the tests hold the two together).
ACTIONS: dict[str, Action] = {a.name: a for a in [
    Action("submit", _("提交申请"), forms.PlainActionForm, services.submit_case, ActionIn, "提交（或补正后重新提交）"),
    Action("accept", _("受理"), forms.AcceptForm, services.accept_case, AcceptIn, "受理（可容缺受理）"),
    Action("request_correction", _("补正告知（一次性告知）"), forms.CorrectionForm, services.request_correction,
           CorrectionIn, "补正告知（一次性告知）"),
    Action("refuse", _("不予受理"), forms.RefuseForm, services.refuse_case, RefuseIn, "不予受理"),
    Action("assign", _("分派审查"), forms.AssignForm, services.assign_case, AssignIn, "分派承办人（开始审查）"),
    Action("suspend", _("启动特别程序（计时暂停）"), forms.SuspendForm, services.suspend_case, SuspendIn,
           "启动特别程序（计时暂停）"),
    Action("resume", _("特别程序结束（恢复计时）"), forms.PlainActionForm, services.resume_case, ActionIn,
           "特别程序结束（恢复计时）"),
    Action("notify_hearing_right", _("告知听证权利"), forms.HearingRightForm, services.notify_hearing_right,
           HearingRightIn, "告知申请人、利害关系人听证权利（第四十七条，计时暂停）"),
    Action("request_hearing", _("申请听证"), forms.RequestHearingForm, services.request_hearing, RequestHearingIn,
           "申请听证（告知之日起5日内）"),
    Action("schedule_hearing", _("通知听证时间地点"), forms.ScheduleHearingForm, services.schedule_hearing,
           ScheduleHearingIn, "通知听证时间地点（提前7个工作日，申请后20个工作日内举行）"),
    Action("record_hearing", _("听证笔录（听证结束）"), forms.RecordHearingForm, services.record_hearing,
           RecordHearingIn, "听证笔录（听证结束，恢复计时）"),
    Action("waive_hearing", _("放弃听证"), forms.WaiveHearingForm, services.waive_hearing, WaiveHearingIn,
           "放弃听证（恢复计时）"),
    Action("lapse_hearing", _("逾期未申请听证"), forms.PlainActionForm, services.lapse_hearing, ActionIn,
           "逾期未申请听证（5日届满后，恢复计时）"),
    Action("extend", _("延期"), forms.ExtendForm, services.extend_case, ExtendIn, "延期（部门负责人批准，一次）"),
    Action("approve", _("准予许可"), forms.ApproveForm, services.approve_case, ApproveIn, "准予许可"),
    Action("deny", _("不予许可"), forms.DenyForm, services.deny_case, DenyIn, "不予许可（理由和法律依据）"),
    Action("issue_result", _("出具结果（制证）"), forms.IssueForm, services.issue_result, IssueIn,
           "出具结果（准予许可：证照编号）"),
    Action("issue_denial", _("出具不予许可决定书"), forms.IssueDenialForm, services.issue_denial, ActionIn,
           "出具不予许可决定书（理由，行政复议60日、行政诉讼6个月的权利）"),
    Action("deliver", _("送达（办结）"), forms.DeliverForm, services.deliver_case, DeliverIn, "送达（办结）"),
    Action("withdraw", _("撤回申请"), forms.WithdrawForm, services.withdraw_case, WithdrawIn, "撤回申请"),
    Action("terminate", _("终止办理"), forms.TerminateForm, services.terminate_case, TerminateIn,
           "终止办理（法律依据）"),
    Action("revoke_approval", _("撤销准予许可决定（容缺材料逾期未补齐）"), forms.TerminateForm,
           services.revoke_approval, TerminateIn, "撤销准予许可决定（容缺材料逾期未补齐，部门负责人）"),
    Action("add_material", _("补充材料"), forms.MaterialForm, provide_material, None,
           message=lambda row: gettext("已收取材料：%(name)s") % {"name": row.name}),
]}


def allowed(case: Case, user: User) -> list[Action]:
    """The actions `user` may perform on `case` now, in the table's order."""
    return [action for action in ACTIONS.values() if action.allows(case, user)]
