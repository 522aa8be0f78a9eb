from django.urls import path

from onewindow.hall import views, views_apply

app_name = "hall"

urlpatterns = [
    path("hall/", views.index, name="index"),
    path("hall/lost-found/", views.lost_found, name="lost_found"),
    path("hall/lost-found/<int:item_id>/photo", views.found_photo, name="found_photo"),
    path("hall/lost-found/manage/", views.found_staff, name="found_staff"),
    path("hall/lost-found/new/", views.found_new, name="found_new"),
    path("hall/appointments/", views.appointments, name="appointments"),
    path("hall/appointments/cancel/", views.cancel_booking, name="cancel_booking"),
    path("hall/appointments/confirm/", views.confirm_booking, name="confirm_booking"),
    path("hall/ticket/<str:code>/", views.ticket_page, name="ticket"),
    path("hall/ticket/<str:code>/status/", views.ticket_status, name="ticket_status"),
    path("hall/ticket/<str:code>/slip/", views.slip, name="slip"),
    path("hall/window/<int:window_id>/", views.window_console, name="window"),
    path("hall/window/<int:window_id>/screen/", views.window_screen, name="window_screen"),
    path("hall/<str:hall>/board/", views.board, name="board"),
    path("hall/<str:hall>/kiosk/", views.kiosk, name="kiosk"),
    path("hall/<str:hall>/kiosk/exit/", views.kiosk_exit, name="kiosk_exit"),
    path("hall/<str:hall>/kiosk/apply/", views_apply.kiosk_apply_items, name="kiosk_apply_items"),
    path("hall/<str:hall>/kiosk/apply/<str:code>/", views_apply.kiosk_apply, name="kiosk_apply"),
    path("hall/<str:hall>/queue/", views.lookup, name="lookup"),
    path("hall/<str:hall>/appointments/", views.book, name="book"),
    path("hall/<str:hall>/metrics/", views.metrics, name="metrics"),
]
