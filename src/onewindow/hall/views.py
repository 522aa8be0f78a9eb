"""Hall pages: the TV board, the kiosk and its slip, queue position, window console and screen, booking,
lost & found, metrics. Every write calls a service; a DomainError becomes a message on the same page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from onewindow.catalog.models import Hall
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.core.identity import canonical_number, normalize_identity_number
from onewindow.core.links import public_url
from onewindow.core.models import Role
from onewindow.core.pages import has_role, role_required
from onewindow.core.params import INTEGER_MAX, column_limit, forbidden_character, page_bounds
from onewindow.hall import selectors, services
from onewindow.hall.acts.appointments import holds_identity
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    FoundItem,
    FoundItemKind,
    Priority,
    ServiceCategory,
    Ticket,
    TicketState,
    Window,
    WindowStatus,
)
from onewindow.hall.ratelimits import check_booking_rate


def _is_staff(user) -> bool:
    return has_role(user, services.WINDOW_ROLES)


staff_page = role_required(services.WINDOW_ROLES, message=gettext_lazy("只有大厅工作人员可以访问此页面"))


FAILED = object()


def _attempt(request: HttpRequest, action: Callable[[], object], *, failed: object = None) -> object | None:
    """Run a service; show its DomainError as a message instead of failing the page."""
    try:
        return action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return failed


def index(request: HttpRequest) -> HttpResponse:
    is_staff = _is_staff(request.user)
    windows = Window.objects.select_related("hall").order_by("hall", "sort_order", "number") if is_staff else []
    return render(request, "hall/index.html", {
        "halls": Hall.objects.select_related("service_point").filter(self_service=False),
        "is_staff": is_staff,
        # The consoles the person may use, by the window acts' own rule: none whose buttons would be refused.
        "windows": [window for window in windows if services.may_operate(window, request.user)],
    })


def appointments(request: HttpRequest) -> HttpResponse:
    """预约 from the site's header: the booking page of the first hall taking bookings, the center's own first
    (district, then streets); the hall list when none does."""
    hall = selectors.first_bookable_hall()
    return redirect("hall:book", hall.code) if hall else redirect("hall:index")


# -- board and screens ---------------------------------------------------------------------------


def board(request: HttpRequest, hall: str) -> HttpResponse:
    hall_obj = selectors.get_hall(hall)
    return render(request, "hall/board.html", {"hall": hall_obj, "snapshot": selectors.board_snapshot(hall_obj)})


def window_screen(request: HttpRequest, window_id: int) -> HttpResponse:
    window = get_object_or_404(Window.objects.select_related("hall", "current_ticket__category"), pk=window_id)
    return render(request, "hall/window_screen.html", {"window": window, "snapshot": selectors.window_snapshot(window)})


# -- kiosk, slip, queue position -----------------------------------------------------------------


# The kiosk's priority choices, as short words for a big button under the legend "绿色通道"; the ticket and the
# board keep the model's full names.
KIOSK_PRIORITIES = [
    (Priority.NORMAL, gettext_lazy("普通")),
    (Priority.ELDERLY, gettext_lazy("老年人")),
    (Priority.DISABLED, gettext_lazy("残疾人")),
    (Priority.PREGNANT, gettext_lazy("孕妇")),
    (Priority.MILITARY, gettext_lazy("军人")),
]


def _kiosk_page(request: HttpRequest, hall: Hall, *, status: int = 200) -> HttpResponse:
    categories = list(selectors.categories_of(hall.pk))
    waiting = {w["prefix"]: w["waiting"] for w in selectors.waiting_counts(hall.pk)}
    return render(request, "hall/kiosk.html", {
        "hall": hall, "priorities": KIOSK_PRIORITIES,
        "categories": [(c, waiting.get(c.prefix, 0)) for c in categories],
        "idle_seconds": settings.HALL_KIOSK_IDLE_SECONDS,
    }, status=status)


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, hall: str) -> HttpResponse:
    """The kiosk (自助取号机), full screen: a ticket by category and priority, or a booking's check-in. Works without
    JavaScript; with it, the screen returns to its start after `HALL_KIOSK_IDLE_SECONDS` untouched."""
    hall_obj = selectors.get_hall(hall)
    if request.method == "GET" and has_role(request.user, {Role.CITIZEN}, superuser=False):
        logout(request)  # the start screen is the next person's: an applicant (自助申报) who walked away is signed out
    if request.method == "POST":
        ticket = _attempt(request, lambda: _kiosk_ticket(request, hall_obj))
        if isinstance(ticket, Ticket):
            return redirect(reverse("hall:slip", kwargs={"code": ticket.code}) + "?kiosk=1")
        return _kiosk_page(request, hall_obj, status=422)
    return _kiosk_page(request, hall_obj)


@require_http_methods(["POST"])
def kiosk_exit(request: HttpRequest, hall: str) -> HttpResponse:
    """The kiosk's only way out (退出自助模式): a hall staff member signs in from the dialog its hidden corner opens
    (long press), and lands on the hall's page. Anyone else, or a wrong password, stays on the kiosk (403);
    attempts per client address are limited by `HALL_KIOSK_EXIT_RATE` (429)."""
    hall_obj = selectors.get_hall(hall)
    if is_ratelimited(request, group="hall.kiosk_exit", key="ip", rate=settings.HALL_KIOSK_EXIT_RATE, increment=True):
        messages.error(request, _("尝试次数过多，请稍后再试"))
        return _kiosk_page(request, hall_obj, status=429)
    user = authenticate(request, username=request.POST.get("username", "")[:150],
                        password=request.POST.get("password", "")[:128])
    if user is None or not _is_staff(user):
        messages.error(request, _("只有大厅工作人员可以退出自助模式"))
        return _kiosk_page(request, hall_obj, status=403)
    login(request, user)
    return redirect("hall:index")


def _check_in(hall: Hall, *, code: str, identity: str, by) -> Ticket:
    """Find today's booking in this hall by appointment code or identity number and check it in (签到)."""
    if not code and not identity:
        raise InvalidInput(_("请输入预约码或身份证号"))
    key = services.identity_key(normalize_identity_number(identity)) if identity and not code else ""
    appointment = selectors.appointment_for_check_in(hall, code=code, identity_key=key)
    if appointment is None:
        raise NotFound(_("没有找到今天在本大厅的有效预约"))
    return services.check_in(appointment=appointment, by=by)


def _kiosk_ticket(request: HttpRequest, hall: Hall) -> Ticket:
    code = canonical_number(request.POST.get("appointment_code", ""))
    identity = canonical_number(request.POST.get("identity_number", ""))
    if request.POST.get("mode") == "checkin":
        return _check_in(hall, code=code, identity=identity, by=None)
    prefix = request.POST.get("category", "").strip().upper()
    category = selectors.category_by_prefix(hall.pk, prefix) if prefix else None
    if category is None or not category.active:
        raise InvalidInput(_("请选择业务类别"), fields={"category": "required"})
    priority = request.POST.get("priority") or Priority.NORMAL
    if priority not in [value for value, _label in KIOSK_PRIORITIES]:
        raise InvalidInput(_("优先类型无效"), fields={"priority": "choice"})
    return services.issue_ticket(category=category, priority=priority, identity_number=identity, by=None)


def _ticket_or_404(code: str) -> Ticket:
    ticket = selectors.ticket_by_code(code)
    if ticket is None:
        raise NotFound(_("号票不存在"))
    return ticket


def slip(request: HttpRequest, code: str) -> HttpResponse:
    ticket = _ticket_or_404(code)
    paper = "58" if request.GET.get("paper") == "58" else "80"
    at_kiosk = request.GET.get("kiosk") == "1"
    url = public_url(reverse("hall:ticket", kwargs={"code": ticket.code}), request)
    qr = segno.make(url, error="m").svg_inline(scale=4 if paper == "80" else 3, border=2, title=url)
    return render(request, "hall/slip.html", {
        "ticket": ticket, "position": selectors.queue_position(ticket), "qr": qr, "url": url, "paper": paper,
        "hall": ticket.hall, "at_kiosk": at_kiosk, "layout": "hall/kiosk_base.html" if at_kiosk else "hall/base.html",
        "return_seconds": settings.HALL_KIOSK_SLIP_SECONDS,
    })


def _ticket_status(ticket: Ticket) -> dict:
    """What the ticket page says of a ticket now, in the request's language: the same words on the page and in its
    JSON, so that the page's script only swaps texts. `live` is False once nothing will change any more."""
    position = selectors.queue_position(ticket)
    detail = ""
    if ticket.state == TicketState.WAITING:
        headline = _("前面还有 %(n)s 人") % {"n": position.ahead}
        detail = _("预计等候约 %(m)s 分钟") % {"m": position.estimated_minutes}
    elif ticket.state in (TicketState.CALLED, TicketState.SERVING) and ticket.window_id:
        headline = _("请到 %(w)s 号窗口办理") % {"w": ticket.window.number}
    else:
        headline = str(ticket.get_state_display())
    return {"number": ticket.number, "state": ticket.state, "headline": headline, "detail": detail,
            "ahead": position.ahead, "estimated_minutes": position.estimated_minutes,
            "live": ticket.state in (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)}


def ticket_page(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's ticket (我的排队): updated in place by its own script from `ticket_status`, a link without it."""
    ticket = _ticket_or_404(code)
    return render(request, "hall/ticket.html", {"ticket": ticket, "status": _ticket_status(ticket)})


def ticket_status(request: HttpRequest, code: str) -> JsonResponse:
    """GET → {number, state, headline, detail, ahead, estimated_minutes (minutes), live}; 404 for an unknown code.
    Not cached: the answer changes with every call at a window."""
    response = JsonResponse(_ticket_status(_ticket_or_404(code)))
    response["Cache-Control"] = "no-store"
    return response


def lookup(request: HttpRequest, hall: str) -> HttpResponse:
    hall_obj = selectors.get_hall(hall)
    number = request.GET.get("number", "").strip()
    if number:
        ticket = selectors.ticket_by_number(hall_obj, number)
        if ticket is not None:
            return redirect("hall:ticket", code=ticket.code)
        messages.error(request, _("今天没有这个号码：") + number)
    return render(request, "hall/lookup.html", {"hall": hall_obj, "number": number}, status=404 if number else 200)


# -- window console ------------------------------------------------------------------------------


WINDOW_ACTIONS = {
    "call": services.call_next,
    "recall": services.recall,
    "start": services.start_serving,
    "no_show": services.mark_no_show,
    "finish": services.finish,
    "pause": services.pause_window,
    "resume": services.resume_window,
    "open": services.open_window,
    "close": services.close_window,
}


@staff_page
@require_http_methods(["GET", "POST"])
def window_console(request: HttpRequest, window_id: int) -> HttpResponse:
    window = get_object_or_404(Window.objects.select_related("hall", "department", "current_ticket__category"),
                               pk=window_id)
    services.require_operator(window, request.user)  # another department's window: the 403 page, no buttons
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "transfer":
            _attempt(request, lambda: _transfer(request, window))
        elif action == "reactivate":
            _attempt(request, lambda: _reactivate(request, window))
        elif action == "checkin":
            _attempt(request, lambda: _window_check_in(request, window))
        elif action in WINDOW_ACTIONS:
            result = _attempt(request, lambda: WINDOW_ACTIONS[action](window=window, by=request.user), failed=FAILED)
            if action == "call" and result is None:
                messages.info(request, _("当前没有等候的号票"))
        else:
            messages.error(request, _("未知操作"))
        return HttpResponseRedirect(reverse("hall:window", kwargs={"window_id": window.pk}))
    window.refresh_from_db()
    current = window.current_ticket if window.current_ticket and window.current_ticket.state in (
        TicketState.CALLED, TicketState.SERVING) else None
    day = timezone.localdate()
    return render(request, "hall/window.html", {
        "window": window,
        "current": current,
        "waiting": selectors.waiting_counts(window.hall_id),
        "categories": selectors.categories_of(window.hall_id),
        "other_windows": Window.objects.filter(hall_id=window.hall_id).exclude(pk=window.pk),
        "no_shows": Ticket.objects.filter(hall_id=window.hall_id, day=day, state=TicketState.NO_SHOW,
                                          window=window).order_by("-no_show_at")[:10],
        "policy": selectors.policy_for(window.hall_id),
        "is_open": window.status == WindowStatus.OPEN,
    })


def _transfer(request: HttpRequest, window: Window) -> Ticket:
    prefix = request.POST.get("category", "").strip()
    target_id = request.POST.get("target_window", "").strip()
    category = ServiceCategory.objects.filter(hall_id=window.hall_id, prefix=prefix).first() if prefix else None
    target = Window.objects.filter(hall_id=window.hall_id, pk=int(target_id)).first() if target_id.isdigit() else None
    if prefix and category is None:
        raise InvalidInput(_("业务类别不存在"))
    ticket = services.transfer(window=window, by=request.user, category=category, target_window=target,
                               reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("已转移：") + ticket.number)
    return ticket


def _window_check_in(request: HttpRequest, window: Window) -> Ticket:
    ticket = _check_in(window.hall, code=canonical_number(request.POST.get("appointment_code", "")),
                       identity=canonical_number(request.POST.get("identity_number", "")), by=request.user)
    messages.success(request, _("预约已签到，优先号：") + ticket.number)
    return ticket


def _reactivate(request: HttpRequest, window: Window) -> Ticket:
    ticket_id = request.POST.get("ticket", "")
    ticket = Ticket.objects.filter(hall_id=window.hall_id, pk=int(ticket_id)).first() if ticket_id.isdigit() else None
    if ticket is None:
        raise NotFound(_("号票不存在"))
    ticket = services.reactivate_ticket(ticket=ticket, by=request.user)
    messages.success(request, _("已恢复排队：") + ticket.number)
    return ticket


# -- appointments --------------------------------------------------------------------------------


def _booked_page(request: HttpRequest, appointment: Appointment, status: int = 200) -> HttpResponse:
    """The booking's page: its code and slot; while pending, the form to enter the SMS code (确认预约)."""
    appointment = Appointment.objects.select_related("slot__category__hall").get(pk=appointment.pk)
    slot = appointment.slot
    context = {"hall": slot.category.hall, "appointment": appointment, "slot": slot,
               "policy": selectors.policy_for(slot.category.hall_id),
               "confirm_minutes": settings.HALL_BOOKING_CONFIRM_MINUTES}
    template = "hall/confirm.html" if appointment.state == AppointmentState.PENDING else "hall/booked.html"
    return render(request, template, context, status=status)


@dataclass(frozen=True)
class BookingDay:
    """One day of the booking page's date picker: its open places (0 when full or when no band is open yet)."""

    day: dt.date
    bands: int
    remaining: int


def _booking_days(hall: Hall, days: list[dt.date], now: dt.datetime) -> list[BookingDay]:
    """The picker's days with their bands and open places, in one query; bands already begun are left out."""
    rows = (AppointmentSlot.objects.filter(category__hall=hall, category__active=True, category__bookable=True,
                                           day__in=days).values_list("day", "start", "capacity", "booked"))
    bands: dict[dt.date, int] = {}
    remaining: dict[dt.date, int] = {}
    for day, start, capacity, booked in rows:
        if timezone.make_aware(dt.datetime.combine(day, start)) <= now:
            continue
        bands[day] = bands.get(day, 0) + 1
        remaining[day] = remaining.get(day, 0) + max(capacity - booked, 0)
    return [BookingDay(day, bands.get(day, 0), remaining.get(day, 0)) for day in days]


def _chosen_day(request: HttpRequest, picker: list[BookingDay]) -> tuple[dt.date | None, bool]:
    """The day asked for (`?day=YYYY-MM-DD`, or the form's `day`) if it is one of the picker's; else the first day
    with open places. The flag says the day asked for was not bookable."""
    asked = (request.POST.get("day") or request.GET.get("day") or "").strip()[:10]
    days = {d.day: d for d in picker}
    if asked:
        try:
            day = dt.date.fromisoformat(asked)
        except ValueError:
            day = None
        if day in days:
            return day, False
    first = next((d.day for d in picker if d.remaining), picker[0].day if picker else None)
    return first, bool(asked)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, hall: str) -> HttpResponse:
    """Book a time (网上预约): a date picker of the hall's bookable days — as many open days as its policy promises
    (`booking_days`) — then the chosen day's times per category (`?day=YYYY-MM-DD`, a plain GET link, so it works
    without JavaScript), then the person's identity number and mobile."""
    hall_obj = selectors.get_hall(hall)
    now = timezone.now()
    policy = selectors.policy_for(hall_obj.pk)
    status = 200
    if request.method == "POST":
        slot_id = request.POST.get("slot", "")
        slot = AppointmentSlot.objects.filter(pk=int(slot_id), category__hall=hall_obj).first() if slot_id.isdigit() else None
        if slot is None:
            messages.error(request, _("请选择预约时段"))
        else:
            user = request.user if request.user.is_authenticated else None
            number, mobile = request.POST.get("identity_number", ""), request.POST.get("mobile", "")

            def book_it() -> Appointment:
                check_booking_rate(request, identity_number=number, mobile=mobile,
                                   sends_code=not holds_identity(user, number.strip().upper()))
                return services.book_appointment(slot=slot, identity_number=number, mobile=mobile,
                                                 name=request.POST.get("name", ""), by=user)

            appointment = _attempt(request, book_it)
            if isinstance(appointment, Appointment):
                return _booked_page(request, appointment)
        status = 422
    days = selectors.booking_days(hall_obj.pk, today=timezone.localdate(now), horizon=policy.booking_horizon_days)
    picker = _booking_days(hall_obj, days, now)
    chosen, refused = _chosen_day(request, picker)
    if refused:
        messages.error(request, _("所选日期不可预约，请在下列日期中选择"))
        status = 422 if request.method == "POST" else 404
    slots = [s for s in AppointmentSlot.objects.filter(
        category__hall=hall_obj, category__active=True, category__bookable=True, day=chosen,
    ).select_related("category").order_by("category__sort_order", "category__prefix", "start")
        if timezone.make_aware(dt.datetime.combine(s.day, s.start)) > now]
    by_category: dict[ServiceCategory, list[AppointmentSlot]] = {}
    for slot_row in slots:
        by_category.setdefault(slot_row.category, []).append(slot_row)
    return render(request, "hall/book.html", {
        "hall": hall_obj, "policy": policy, "picker": picker, "chosen": chosen,
        "by_category": list(by_category.items()), "form": request.POST if request.method == "POST" else {},
    }, status=status)


@require_http_methods(["POST"])
def confirm_booking(request: HttpRequest) -> HttpResponse:
    """Confirm a pending booking with the code sent to its mobile (确认预约); a wrong code shows the form again."""
    appointment = Appointment.objects.filter(code=request.POST.get("appointment", "").strip().upper()).first()
    if appointment is None:
        raise NotFound(_("预约码不存在"))
    user = request.user if request.user.is_authenticated else None
    confirmed = _attempt(request, lambda: services.confirm_appointment(
        appointment=appointment, code=request.POST.get("code", ""), by=user))
    if isinstance(confirmed, Appointment):
        return _booked_page(request, confirmed)
    appointment.refresh_from_db()
    if appointment.state == AppointmentState.PENDING:
        return _booked_page(request, appointment, status=422)
    return redirect("hall:book", hall=appointment.slot.category.hall.code)


@require_http_methods(["GET", "POST"])
def cancel_booking(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        code = canonical_number(request.POST.get("code", ""))
        appointment = Appointment.objects.filter(code=code).first()
        if appointment is None:
            messages.error(request, _("预约码不存在"))
        elif _attempt(request, lambda: services.cancel_appointment(
                appointment=appointment, identity_number=request.POST.get("identity_number", ""))):
            messages.success(request, _("预约已取消：") + code)
            return redirect("hall:cancel_booking")
    return render(request, "hall/cancel.html", status=422 if request.method == "POST" else 200)


# -- lost and found ------------------------------------------------------------------------------


FOUND_PAGE_SIZE = 20


def _found_filters(request: HttpRequest) -> tuple[dict, dict[str, str]]:
    """The lost-and-found search read from the address, each parameter bounded: `q` within the description's column
    and free of control characters, `kind` among the kinds, `from`/`to` ISO dates in order, `page` 1 … 2³¹−1.
    Returns the valid filters and, per refused parameter, why (shown to the person; the filter is not applied)."""
    get = request.GET
    filters: dict = {}
    errors: dict[str, str] = {}
    text = get.get("q", "").strip()
    if len(text) > column_limit(FoundItem, "description"):
        errors["q"] = _("搜索词过长")
    elif forbidden_character(text):
        errors["q"] = _("搜索词含有不可见的控制字符")
    elif text:
        filters["text"] = text
    kind = get.get("kind", "")
    if kind and kind not in FoundItemKind.values:
        errors["kind"] = _("没有这个物品类别")
    elif kind:
        filters["kind"] = kind
    for name, key in (("from", "found_from"), ("to", "found_to")):
        value = get.get(name, "").strip()
        if not value:
            continue
        try:
            filters[key] = dt.date.fromisoformat(value[:10]) if len(value) == 10 else None
        except ValueError:
            filters[key] = None
        if filters[key] is None:
            del filters[key]
            errors[name] = _("日期格式应为 YYYY-MM-DD")
    if filters.get("found_from") and filters.get("found_to") and filters["found_from"] > filters["found_to"]:
        errors["to"] = _("结束日期不能早于开始日期")
        del filters["found_to"]
    page = get.get("page", "").strip()
    valid_page = page.isascii() and page.isdigit() and len(page) <= 10 and 1 <= int(page) <= INTEGER_MAX
    if page and not valid_page:
        errors["page"] = _("页码应为正整数")
    filters["page"] = int(page) if valid_page else 1
    return filters, errors


def lost_found(request: HttpRequest) -> HttpResponse:
    """失物招领: the center's found items with their kind, where and when found, searchable by words, kind and dates
    (GET, bounded parameters), 20 a page. A refused parameter is named on the page (422) and not applied; a page
    after the last is 404."""
    filters, errors = _found_filters(request)
    page = filters.pop("page")
    rows = selectors.search_found_items(**filters)
    count = rows.count()
    start, stop = page_bounds(count, page, FOUND_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    for name in errors:
        query.pop(name, None)
    pages = max(1, -(-count // FOUND_PAGE_SIZE))
    return render(request, "hall/lost_found.html", {
        "items": rows[start:stop], "count": count, "page": page, "pages": pages,
        "previous_page": page - 1 if page > 1 else None, "next_page": page + 1 if page < pages else None,
        "query": query.urlencode(), "kinds": FoundItemKind.choices, "errors": errors,
        "q": request.GET.get("q", "")[:200], "kind": filters.get("kind", ""),
        "found_from": filters.get("found_from"), "found_to": filters.get("found_to"),
        "searching": bool(filters), "is_staff": _is_staff(request.user),
    }, status=422 if errors else 200)


def found_photo(request: HttpRequest, item_id: int) -> HttpResponse:
    """Photos of published items only; served by Django so the media folder need not be public."""
    item = get_object_or_404(FoundItem, pk=item_id, published=True)
    if not item.photo:
        raise NotFound(_("该物品没有照片"))
    return FileResponse(item.photo.open("rb"))


@staff_page
@require_http_methods(["GET", "POST"])
def found_new(request: HttpRequest) -> HttpResponse:
    halls = Hall.objects.select_related("service_point")
    if request.method == "POST":
        hall = halls.filter(pk=request.POST.get("hall") or 0).first()
        found_at = _parse_datetime(request.POST.get("found_at", ""))
        if hall is None or found_at is None:
            messages.error(request, _("请选择大厅并填写拾获时间（YYYY-MM-DD HH:MM）"))
        elif _attempt(request, lambda: services.register_found_item(
                hall=hall, kind=request.POST.get("kind") or FoundItemKind.OTHER, description=request.POST.get("description", ""),
                found_place=request.POST.get("found_place", ""), found_at=found_at,
                storage_place=request.POST.get("storage_place", ""), finder_note=request.POST.get("finder_note", ""),
                photo=request.FILES.get("photo"), by=request.user)):
            messages.success(request, _("已登记"))
            return redirect("hall:found_staff")
    return render(request, "hall/found_new.html", {"halls": halls, "kinds": FoundItemKind.choices}, status=422 if request.method == "POST" else 200)


def _parse_datetime(text: str) -> dt.datetime | None:
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    return None


@staff_page
@require_http_methods(["GET", "POST"])
def found_staff(request: HttpRequest) -> HttpResponse:
    """Staff list: every stored item, the unclaimed ones flagged, hand-over and disposal forms."""
    if request.method == "POST":
        item = FoundItem.objects.filter(pk=request.POST.get("item") or 0).first()
        if item is None:
            messages.error(request, _("物品不存在"))
        else:
            action = request.POST.get("action")
            done = None
            if action == "return":
                done = _attempt(request, lambda: services.hand_over_found_item(
                    item=item, owner_name=request.POST.get("owner_name", ""),
                    identity_number=request.POST.get("identity_number", ""),
                    identity_checked=request.POST.get("identity_checked") == "on",
                    mobile=request.POST.get("mobile", ""), by=request.user))
            elif action == "dispose":
                done = _attempt(request, lambda: services.dispose_found_item(
                    item=item, reason=request.POST.get("reason", ""), by=request.user))
            else:
                messages.error(request, _("未知操作"))
            if done is not None:
                messages.success(request, _("已交还失主") if action == "return" else _("已处置"))
        return redirect("hall:found_staff")
    unclaimed = {i.pk for i in selectors.unclaimed_found_items()}
    items = FoundItem.objects.select_related("hall").order_by("state", "-found_at")[:300]
    return render(request, "hall/found_staff.html", {"items": items, "unclaimed": unclaimed})


# -- metrics -------------------------------------------------------------------------------------


@staff_page
def metrics(request: HttpRequest, hall: str) -> HttpResponse:
    hall_obj = selectors.get_hall(hall)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        messages.error(request, _("日期格式应为 YYYY-MM-DD"))
        day = timezone.localdate()
    data = selectors.hall_metrics(hall_obj, day)
    data["total_rows"] = [{**data["total"], "key": _("合计")}]
    return render(request, "hall/metrics.html", {"hall": hall_obj, "m": data})
