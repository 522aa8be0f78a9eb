from django.urls import path

from onewindow.cases import views

app_name = "cases"

urlpatterns = [
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/intake/", views.intake_items, name="intake_items"),
    path("workbench/intake/<str:code>/", views.intake, name="intake"),
    path("workbench/board/", views.board, name="board"),
    path("workbench/cases/<str:number>/", views.case_detail, name="case"),
    path("workbench/cases/<str:number>/notice/<str:kind>.pdf", views.notice_pdf, name="notice"),
    path("workbench/cases/<str:number>/<str:action>/", views.case_action, name="case_action"),
    path("apply/", views.apply_items, name="apply_items"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("my/cases/", views.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", views.my_case, name="my_case"),
    path("my/cases/<str:number>/notice/<str:kind>.pdf", views.my_notice_pdf, name="my_notice"),
    path("track/", views.track, name="track"),
]
