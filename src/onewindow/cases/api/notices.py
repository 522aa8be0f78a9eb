"""Notices: the caller's inbox (站内消息, 电子监察预警) and a case's printable notices as PDF."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from onewindow.cases import selectors, services
from onewindow.cases.api.base import user_of
from onewindow.cases.api.schemas import NoticeOut
from onewindow.cases.models import Notice
from onewindow.cases.notice_pdf import notice_response
from onewindow.core.errors import NotFound
from onewindow.core.params import Id

router = Router()


def _notice(n: Notice) -> dict:
    return {"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "created_at": n.created_at,
            "read_at": n.read_at, "case_number": n.case.number if n.case_id else None}


@router.get("/notices", response=list[NoticeOut], summary="我的站内消息（含电子监察预警）")
def notices(request: HttpRequest, unread: bool = False):
    return [_notice(n) for n in selectors.notices_for(user_of(request), unread_only=unread)[:200]]


@router.post("/notices/{notice_id}/read", response=NoticeOut, summary="标记消息已读")
def notice_read(request: HttpRequest, notice_id: Id):
    user = user_of(request)
    notice = selectors.notices_for(user).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound("消息不存在")
    return _notice(services.mark_notice_read(notice, by=user))


@router.get("/{number}/notices/{kind}", url_name="case_notice",
            summary="办件通知书 PDF（受理、补正、不予受理、许可决定书、特别程序告知书、听证告知书、听证通知书）",
            description="`kind`: acceptance / correction / refusal / approval / denial / suspension (特别程序告知书, "
                        "the latest procedure other than a hearing) / hearing_right (听证告知书) / hearing_notice "
                        "(听证通知书), the latest hearing's. Answers application/pdf; "
                        "a notice the case does not have (yet) is 404. Each download is recorded on the audit chain as a "
                        "copy printed (`case.document_printed`), never as the notice's issue: the act that issued it "
                        "(accept, request_correction, approve…) is the issue, under the person who performed it.",
            openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}})
def case_notice(request: HttpRequest, number: str, kind: str):
    user = user_of(request)
    return notice_response(selectors.get_case_for(user, number), kind, by=user)
