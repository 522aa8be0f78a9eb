import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from onewindow.core.models import Role
from onewindow.hall import services
from onewindow.hall.models import AppointmentSlot, Priority, Ticket, TicketState
from onewindow.hall.tests.factories import UserFactory, book_confirmed, sent_code, valid_id

pytestmark = pytest.mark.django_db


def test_the_kiosk_issues_a_green_channel_ticket_and_prints_a_slip_with_a_qr_code(client, hall, category_a):
    page = client.get(f"/hall/{hall.code}/kiosk/")
    assert page.status_code == 200 and "社保业务" in page.content.decode()
    response = client.post(f"/hall/{hall.code}/kiosk/", {"mode": "ticket", "category": "A", "priority": "elderly"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hall/ticket/{ticket.code}/slip/?kiosk=1"
    assert ticket.priority == Priority.ELDERLY
    for paper in ("58", "80"):
        slip = client.get(f"/hall/ticket/{ticket.code}/slip/", {"paper": paper}).content.decode()
        assert "A001" in slip and "<svg" in slip and f"size: {paper}mm auto" in slip and "社保业务" in slip
        assert "您前面还有 0 人" in slip


def test_the_kiosk_refuses_a_missing_category_or_bad_identity_and_issues_nothing(client, hall, category_a):
    assert client.post(f"/hall/{hall.code}/kiosk/", {"mode": "ticket"}).status_code == 422
    bad = client.post(f"/hall/{hall.code}/kiosk/", {"mode": "ticket", "category": "A", "identity_number": "1"})
    assert bad.status_code == 422 and "身份证号码" in bad.content.decode()
    assert client.post(f"/hall/{hall.code}/kiosk/", {"mode": "ticket", "category": "A",
                                                     "priority": "appointment"}).status_code == 422
    assert not Ticket.objects.exists()


def test_the_kiosk_checks_in_a_booking_by_identity_number(client, hall, category_a):
    # A working morning (10:00 in Beijing): the booked slot starts in 20 minutes, inside the check-in window.
    with time_machine.travel(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC), tick=False):
        now = timezone.localtime()
        start = (now + dt.timedelta(minutes=20)).time()
        end = (now + dt.timedelta(minutes=80)).time()
        slot = AppointmentSlot.objects.create(category=category_a, day=now.date(), start=start, end=end, capacity=2)
        book_confirmed(slot=slot, identity_number=valid_id(3), mobile="13800000003",
                                  at=timezone.now() - dt.timedelta(days=1))
        response = client.post(f"/hall/{hall.code}/kiosk/", {"mode": "checkin", "identity_number": valid_id(3)})
    assert response.status_code == 302
    assert Ticket.objects.get().priority == Priority.APPOINTMENT


def test_queue_position_page_by_code_and_by_number(client, hall, category_a):
    services.issue_ticket(category=category_a)
    second = services.issue_ticket(category=category_a)
    page = client.get(f"/hall/ticket/{second.code}/").content.decode()
    assert "A002" in page and "前面还有 1 人" in page
    assert client.get(f"/hall/{hall.code}/queue/", {"number": "a002"})["Location"] == f"/hall/ticket/{second.code}/"
    assert client.get(f"/hall/{hall.code}/queue/", {"number": "Z999"}).status_code == 404
    assert client.get("/hall/ticket/NOSUCHCODE/").status_code == 404


def test_the_board_and_window_screen_render_for_anyone(client, hall, category_a, window):
    board = client.get(f"/hall/{hall.code}/board/").content.decode()
    assert f"/ws/hall/{hall.code}/board/" in board and "initial-snapshot" in board and "正在呼叫" in board
    screen = client.get(f"/hall/window/{window.pk}/screen/").content.decode()
    assert f"/ws/hall/window/{window.pk}/" in screen
    assert client.get("/hall/NOPE/board/").status_code == 404


def test_the_window_console_calls_and_finishes_for_a_clerk_only(client, hall, category_a, window, clerk):
    services.issue_ticket(category=category_a)
    assert client.get(f"/hall/window/{window.pk}/").status_code == 302, "anonymous goes to the login page"
    client.force_login(UserFactory(role=Role.CITIZEN))
    assert client.get(f"/hall/window/{window.pk}/").status_code == 403
    client.force_login(clerk)
    client.post(f"/hall/window/{window.pk}/", {"action": "call"})
    assert "A001" in client.get(f"/hall/window/{window.pk}/").content.decode()
    busy = client.post(f"/hall/window/{window.pk}/", {"action": "call"}, follow=True).content.decode()
    assert "正在处理 A001" in busy
    client.post(f"/hall/window/{window.pk}/", {"action": "finish"})
    assert Ticket.objects.get().state == TicketState.DONE
    unknown = client.post(f"/hall/window/{window.pk}/", {"action": "explode"}, follow=True).content.decode()
    assert "未知操作" in unknown


def test_booking_page_books_and_the_cancel_page_cancels(client, hall, category_a, django_capture_on_commit_callbacks):
    day = timezone.localdate() + dt.timedelta(days=1)
    slot = AppointmentSlot.objects.create(category=category_a, day=day, start=dt.time(9), end=dt.time(10), capacity=3)
    assert "09:00–10:00" in client.get(f"/hall/{hall.code}/appointments/", {"day": day.isoformat()}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/hall/{hall.code}/appointments/", {"slot": slot.pk, "identity_number": valid_id(4),
                                                                  "mobile": "13900000004"})
    assert asked.status_code == 200 and "验证码已发送到手机 139****0004" in asked.content.decode()
    code = slot.appointments.get().code
    wrong = client.post("/hall/appointments/confirm/", {"appointment": code, "code": "000000"
                                                        if sent_code("13900000004") != "000000" else "111111"})
    assert wrong.status_code == 422 and "验证码错误，还可尝试 4 次" in wrong.content.decode()
    done = client.post("/hall/appointments/confirm/", {"appointment": code, "code": sent_code("13900000004")})
    assert done.status_code == 200 and "预约成功" in done.content.decode()
    bad = client.post(f"/hall/{hall.code}/appointments/", {"slot": "x", "identity_number": valid_id(5),
                                                            "mobile": "13900000005"})
    assert bad.status_code == 422
    cancelled = client.post("/hall/appointments/cancel/", {"code": code, "identity_number": valid_id(4)}, follow=True)
    assert "预约已取消" in cancelled.content.decode()
    slot.refresh_from_db()
    assert slot.booked == 0


def test_metrics_page_is_for_staff(client, hall, category_a, clerk):
    client.force_login(UserFactory(role=Role.CITIZEN))
    assert client.get(f"/hall/{hall.code}/metrics/").status_code == 403
    client.force_login(clerk)
    page = client.get(f"/hall/{hall.code}/metrics/", {"day": "bad"})
    assert page.status_code == 200 and "日期格式" in page.content.decode()


def test_the_window_console_checks_in_a_booking_by_its_code_and_refuses_an_unknown_one(client, hall, category_a,
                                                                                       window, clerk):

    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 50, tzinfo=dt.UTC).astimezone(), tick=False):
        today = timezone.localdate()
        slot = AppointmentSlot.objects.create(category=category_a, day=today, start=dt.time(17, 55),
                                              end=dt.time(18, 55), capacity=2)
        appointment = book_confirmed(slot=slot, identity_number=valid_id(4), mobile="13800000004",
                                                at=timezone.now() - dt.timedelta(days=1))
        client.force_login(clerk)
        page = client.post(f"/hall/window/{window.pk}/", {"action": "checkin", "appointment_code": "NOPE42"},
                           follow=True).content.decode()
        assert "没有找到今天在本大厅的有效预约" in page and not Ticket.objects.exists()
        page = client.post(f"/hall/window/{window.pk}/", {"action": "checkin",
                                                          "appointment_code": appointment.code.lower()},
                           follow=True).content.decode()
        ticket = Ticket.objects.get()
        assert ticket.priority == Priority.APPOINTMENT and f"优先号：{ticket.number}" in page
