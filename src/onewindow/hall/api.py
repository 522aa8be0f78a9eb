"""Hall API: tickets, window calling, appointments, metrics (/api/v1/halls, /tickets, /windows, /appointments)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from onewindow.core import kit
from onewindow.core.auth import api_auth, session_user
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.identity import canonical_number, normalize_identity_number
from onewindow.core.identity_fields import NumberText
from onewindow.core.params import Id
from onewindow.hall import selectors, services
from onewindow.hall.acts.appointments import holds_identity
from onewindow.hall.models import Appointment, AppointmentSlot, Priority, ServiceCategory, Ticket, TicketState, Window
from onewindow.hall.ratelimits import check_booking_rate

router = Router(tags=["服务大厅 hall"])


class TicketIn(Schema):
    category: str = Field(min_length=1, max_length=2, description="业务类别前缀，例如 A")
    priority: Priority = Field(Priority.NORMAL, description="优先类型；appointment 只能通过预约签到获得")
    identity_number: NumberText = Field("", max_length=18, description="身份证号（可选，只保存脱敏号与摘要）")
    mobile: NumberText = Field("", max_length=20, description="手机号（可选）")


class TicketOut(Schema):
    id: int
    number: str
    code: str
    hall: str
    category: str
    category_name: str
    state: str
    priority: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    window: str | None
    people_ahead: int | None = Field(description="等候中号票前面的人数；取号、转移等写操作的应答中为 null："
                                                 "在 status_url 或 GET /tickets/{id} 读取（排队位置在读取时计算）")
    estimated_minutes: int | None = Field(description="预计等候分钟数；写操作的应答中为 null，同上")
    identity_masked: str
    mobile_masked: str
    status_url: str = Field(description="号票的公开状态（JSON：ahead 前面人数、estimated_minutes 预计分钟数）")


class CallOut(Schema):
    ticket: TicketOut | None
    message: str


class TransferIn(Schema):
    category: str | None = Field(None, max_length=2, description="转入业务类别的前缀")
    window: Id | None = Field(None, description="转入窗口的编号（id）")
    reason: str = Field("", max_length=200)


class WindowOut(Schema):
    id: int
    hall: str
    number: str
    status: str
    current_ticket: str | None


class SlotOut(Schema):
    id: int
    category: str
    day: dt.date
    start: dt.time
    end: dt.time
    capacity: int
    remaining: int


# The span of days one slot listing may cover, and how far from today it may start (calendar days): bookings
# open at most a few weeks ahead, and a bound keeps an unauthenticated caller from listing centuries.
SLOT_RANGE_DAYS = 366


class SlotQuery(Schema):
    hall: str = Field(max_length=32)
    category: str = Field(max_length=2)
    start: dt.date | None = Field(None, description=f"开始日期（北京时间），今天前后 {SLOT_RANGE_DAYS} 天内；默认今天")
    end: dt.date | None = Field(None, description=f"结束日期，距开始不超过 {SLOT_RANGE_DAYS} 天；默认最后一个可预约日（预约期限按开放日计）")


class BookIn(Schema):
    slot: Id
    identity_number: NumberText = Field(max_length=18, description="18位居民身份证号码")
    mobile: NumberText = Field(max_length=20, description="11位手机号码")
    name: str = Field("", max_length=40)


class AppointmentOut(Schema):
    code: str
    state: str = Field(description="pending = 待确认（须在 expires_at 前用短信验证码确认），booked, checked_in, "
                                   "cancelled, missed, expired")
    expires_at: dt.datetime | None = Field(None, description="未确认预约的失效时间；已确认为 null")
    hall: str
    category: str
    day: dt.date
    start: dt.time
    end: dt.time
    identity_masked: str
    mobile_masked: str


class CancelIn(Schema):
    identity_number: NumberText = Field("", max_length=18, description="本人取消时必填；工作人员可免填")


class ConfirmIn(Schema):
    code: str = Field("", max_length=6, description="发送到预约手机号的 6 位验证码；以本人实名账号登录时可免填")


class CheckInIn(Schema):
    hall: str = Field(max_length=32)


class MetricsQuery(Schema):
    day: dt.date | None = Field(None, description="YYYY-MM-DD，默认今天")
    target_minutes: int | None = Field(None, ge=1, le=600)


def ticket_out(ticket: Ticket, *, hall_code: str | None = None, position: bool = True) -> dict:
    """The API's view of a ticket. `position`: count the people ahead of a waiting ticket now (a read); an
    act's answer leaves them null instead (they are read where they are shown: `status_url`, GET /tickets/{id}).
    `hall_code` spares reading the ticket's hall when the caller has it."""
    waiting = ticket.state == TicketState.WAITING
    ahead: int | None = 0
    minutes: int | None = 0
    if waiting and position:
        place = selectors.queue_position(ticket)
        ahead, minutes = place.ahead, place.estimated_minutes
    elif waiting:
        ahead = minutes = None
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "code": ticket.code,
        "hall": hall_code or ticket.hall.code,
        "category": ticket.category.prefix,
        "category_name": ticket.category.name,
        "state": ticket.state,
        "priority": ticket.priority,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "window": ticket.window.number if ticket.window_id else None,
        "people_ahead": ahead,
        "estimated_minutes": minutes,
        "identity_masked": ticket.identity_masked,
        "mobile_masked": ticket.mobile_masked,
        "status_url": reverse("hall:ticket_status", kwargs={"code": ticket.code}),
    }


def appointment_out(appointment: Appointment) -> dict:
    slot = appointment.slot
    return {
        "code": appointment.code,
        "state": appointment.state,
        "hall": slot.category.hall.code,
        "category": slot.category.prefix,
        "day": slot.day,
        "start": slot.start,
        "end": slot.end,
        "identity_masked": appointment.identity_masked,
        "mobile_masked": appointment.mobile_masked,
        "expires_at": appointment.expires_at,
    }


def _category(hall_id: int, prefix: str, field: str = "category") -> ServiceCategory:
    category = selectors.category_by_prefix(hall_id, prefix.upper())
    if category is None:
        raise InvalidInput(f"本大厅没有业务类别“{prefix}”", fields={field: "unknown"})
    return category


def _window(window_id: int) -> Window:
    """The window's fixed facts (number, hall), held per process: the acts lock and read its live state."""
    window = selectors.window_facts(window_id)
    if window is None:
        raise NotFound(f"窗口 {window_id} 不存在")
    return window


def _reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("hall", "category", "window").get(pk=ticket.pk)


def _act_out(ticket: Ticket) -> dict:
    """An act's answer for a ticket it wrote: read back once (the act's ticket may lack its hall or window)."""
    return ticket_out(_reload(ticket), position=False)


def _require_staff(request) -> None:
    kit.require_role(request.auth, services.WINDOW_ROLES, "只有大厅工作人员可以执行此操作")


@router.post("/halls/{hall}/tickets", response={201: TicketOut}, auth=api_auth, summary="取号")
def issue_ticket(request, hall: str, payload: TicketIn):
    """Kiosks and staff issue tickets with a token or a session. 201 with the ticket: its number and code; how
    many wait ahead is not counted here (null): read it at `status_url`. 404 unknown hall; 422 unknown category,
    priority or a malformed identity number or mobile; 409 `category_inactive`."""
    hall_row = selectors.get_hall(hall)
    category = _category(hall_row.pk, payload.category)
    ticket = services.issue_ticket(
        category=category, priority=payload.priority, identity_number=payload.identity_number,
        mobile=payload.mobile, by=request.auth,
    )
    return Status(201, ticket_out(ticket, hall_code=hall_row.code, position=False))


@router.get("/halls/{hall}/board", auth=None, summary="显示屏数据（公开）")
def hall_board(request, hall: str):
    return selectors.board_snapshot(selectors.get_hall(hall))


@router.get("/halls/{hall}/metrics", auth=api_auth, summary="大厅指标：按类别、窗口、小时")
def hall_metrics(request, hall: str, q: Query[MetricsQuery]):
    _require_staff(request)
    return selectors.hall_metrics(
        selectors.get_hall(hall), q.day or timezone.localdate(), target_minutes=q.target_minutes
    )


@router.get("/tickets/{ticket_id}", response=TicketOut, auth=api_auth, summary="号票详情")
def get_ticket(request, ticket_id: Id):
    _require_staff(request)
    ticket = Ticket.objects.select_related("hall", "category", "window").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"号票 {ticket_id} 不存在")
    return ticket_out(ticket)


@router.get("/windows/{window_id}", response=WindowOut, auth=api_auth, summary="窗口状态")
def get_window(request, window_id: Id):
    window = Window.objects.select_related("hall", "current_ticket").filter(pk=window_id).first()
    if window is None:
        raise NotFound(f"窗口 {window_id} 不存在")
    current = window.current_ticket
    return {"id": window.pk, "hall": window.hall.code, "number": window.number, "status": window.status,
            "current_ticket": current.number if current and current.state in ("called", "serving") else None}


@router.post("/windows/{window_id}/call-next", response=CallOut, auth=api_auth, summary="叫下一位；正在办理时 409")
def call_next(request, window_id: Id):
    """The next ticket this window may take, called to it (null when nobody waits). 404 unknown window; 403 not
    this window's operator; 409 `window_not_open`, `window_busy`."""
    window = _window(window_id)
    ticket = services.call_next(window=window, by=request.auth)
    if ticket is None:
        return {"ticket": None, "message": "当前没有等候的号票"}
    return {"ticket": ticket_out(ticket, hall_code=window.hall.code), "message": "已叫号"}


def _window_action(action, window_id: int, request, message: str, **kwargs) -> dict:
    """A window act on its current ticket; the answer is the ticket as the act left it (read back: none)."""
    window = _window(window_id)
    ticket = action(window=window, by=request.auth, **kwargs)
    return {"ticket": ticket_out(ticket, hall_code=window.hall.code), "message": message}


@router.post("/windows/{window_id}/recall", response=CallOut, auth=api_auth, summary="重呼")
def recall(request, window_id: Id):
    return _window_action(services.recall, window_id, request, "已重呼")


@router.post("/windows/{window_id}/start", response=CallOut, auth=api_auth, summary="开始办理")
def start(request, window_id: Id):
    return _window_action(services.start_serving, window_id, request, "开始办理")


@router.post("/windows/{window_id}/no-show", response=CallOut, auth=api_auth, summary="过号")
def no_show(request, window_id: Id):
    return _window_action(services.mark_no_show, window_id, request, "已过号")


@router.post("/windows/{window_id}/finish", response=CallOut, auth=api_auth, summary="办结")
def finish(request, window_id: Id):
    return _window_action(services.finish, window_id, request, "已办结")


@router.post("/windows/{window_id}/transfer", response=CallOut, auth=api_auth, summary="转移到其他类别或指定窗口")
def transfer(request, window_id: Id, payload: TransferIn):
    window = _window(window_id)
    category = _category(window.hall_id, payload.category) if payload.category else None
    target = None
    if payload.window is not None:
        target = Window.objects.filter(pk=payload.window).first()
        if target is None:
            raise InvalidInput(f"窗口 {payload.window} 不存在", fields={"window": "unknown"})
    ticket = services.transfer(window=window, by=request.auth, category=category, target_window=target,
                               reason=payload.reason)
    return {"ticket": _act_out(ticket), "message": "已转移"}


@router.post("/tickets/{ticket_id}/reactivate", response=CallOut, auth=api_auth, summary="过号恢复（一次）")
def reactivate(request, ticket_id: Id):
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"号票 {ticket_id} 不存在")
    ticket = services.reactivate_ticket(ticket=ticket, by=request.auth)
    return {"ticket": _act_out(ticket), "message": "已恢复排队"}


def _window_state(action, window_id: int, request) -> dict:
    facts = _window(window_id)
    window = action(window=facts, by=request.auth)
    return {"id": window.pk, "hall": facts.hall.code, "number": window.number, "status": window.status,
            "current_ticket": None}


@router.post("/windows/{window_id}/pause", response=WindowOut, auth=api_auth, summary="暂停窗口")
def pause(request, window_id: Id):
    return _window_state(services.pause_window, window_id, request)


@router.post("/windows/{window_id}/resume", response=WindowOut, auth=api_auth, summary="恢复窗口")
def resume(request, window_id: Id):
    return _window_state(services.resume_window, window_id, request)


@router.post("/windows/{window_id}/open", response=WindowOut, auth=api_auth, summary="开窗")
def open_(request, window_id: Id):
    return _window_state(services.open_window, window_id, request)


@router.post("/windows/{window_id}/close", response=WindowOut, auth=api_auth, summary="关窗")
def close(request, window_id: Id):
    return _window_state(services.close_window, window_id, request)


# -- appointments (public: people book with their identity number and mobile) --------------------


@router.get("/appointments/slots", response=list[SlotOut], auth=None, summary="可预约时段")
def slots(request, q: Query[SlotQuery]):
    hall = selectors.get_hall(q.hall)
    category = _category(hall.pk, q.category)
    today = timezone.localdate()
    start = q.start or today
    days = selectors.booking_days(hall.pk, today=today, horizon=selectors.policy_for(hall.pk).booking_horizon_days)
    end = q.end or (days[-1] if days else today)
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", fields={"end": "before_start"})
    if (end - start).days > SLOT_RANGE_DAYS or abs((start - today).days) > SLOT_RANGE_DAYS:
        raise InvalidInput(f"查询范围为今天前后 {SLOT_RANGE_DAYS} 天内、跨度不超过 {SLOT_RANGE_DAYS} 天",
                           fields={"end" if (end - start).days > SLOT_RANGE_DAYS else "start": "out_of_range"})
    return [
        {"id": s.pk, "category": category.prefix, "day": s.day, "start": s.start, "end": s.end,
         "capacity": s.capacity, "remaining": s.remaining}
        for s in selectors.bookable_slots(category, start=start, end=end)
    ]


@router.post("/appointments", response={201: AppointmentOut}, auth=None, summary="网上预约（须本人确认）")
def book(request, payload: BookIn):
    """Book a slot. Signed in as the booked identity's 实名 account (a session with its CSRF token):
    confirmed at once (`booked`). Otherwise `pending` until confirmed with the code sent to the mobile
    (`POST /appointments/{code}/confirm`) within HALL_BOOKING_CONFIRM_MINUTES (10) minutes; it lapses after.
    429 `rate_limited` per client IP, identity number and mobile; 403 `csrf_failed` for a session without token."""
    user = session_user(request)
    slot = AppointmentSlot.objects.filter(pk=payload.slot).first()
    if slot is None:
        raise InvalidInput(f"时段 {payload.slot} 不存在", fields={"slot": "unknown"})
    number = payload.identity_number
    sends_code = not holds_identity(user, number.strip().upper())
    check_booking_rate(request, identity_number=number, mobile=payload.mobile, sends_code=sends_code)
    appointment = services.book_appointment(
        slot=slot, identity_number=number, mobile=payload.mobile, name=payload.name, by=user
    )
    return Status(201, appointment_out(_appointment(appointment.code)))


def _appointment(code: str) -> Appointment:
    appointment = Appointment.objects.select_related("slot__category__hall").filter(code=canonical_number(code)).first()
    if appointment is None:
        raise NotFound(f"预约码 {code} 不存在")
    return appointment


@router.post("/appointments/{code}/lookup", response=AppointmentOut, auth=None, summary="查询预约（须身份证号）")
def lookup(request, code: str, payload: CancelIn):
    appointment = _appointment(code)
    number = normalize_identity_number(payload.identity_number, "identity_number")
    if services.identity_key(number) != appointment.identity_key:
        raise NotFound(f"预约码 {code} 不存在")
    return appointment_out(appointment)


@router.post("/appointments/{code}/confirm", response=AppointmentOut, auth=None, summary="确认预约（短信验证码）")
def confirm(request, code: str, payload: ConfirmIn):
    """Confirm a pending booking with the six-digit code sent to its mobile (single use; 5 wrong tries end the
    booking), or signed in as its 实名 holder. 422 `wrong_confirmation_code`; 409 `confirmation_expired`."""
    appointment = services.confirm_appointment(appointment=_appointment(code), code=payload.code,
                                               by=session_user(request))
    return appointment_out(_appointment(appointment.code))


@router.post("/appointments/{code}/cancel", response=AppointmentOut, auth=None, summary="取消预约")
def cancel(request, code: str, payload: CancelIn):
    """Cancel with the booked identity number, or as hall staff (a session must carry its CSRF token: 403
    `csrf_failed` otherwise, and nothing changes)."""
    user = session_user(request)
    appointment = services.cancel_appointment(
        appointment=_appointment(code), identity_number=payload.identity_number, by=user
    )
    return appointment_out(_appointment(appointment.code))


@router.post("/appointments/{code}/check-in", response={201: TicketOut}, auth=api_auth, summary="签到取优先号")
def check_in(request, code: str, payload: CheckInIn):
    hall = selectors.get_hall(payload.hall)
    appointment = _appointment(code)
    if appointment.slot.category.hall_id != hall.pk:
        raise InvalidInput("该预约不属于本大厅", fields={"hall": "other_hall"})
    ticket = services.check_in(appointment=appointment, by=request.auth)
    return Status(201, _act_out(ticket))
