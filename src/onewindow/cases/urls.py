from django.urls import path

from onewindow.cases.views import board, case_page, citizen, intake, materials, tracking, workbench

app_name = "cases"

urlpatterns = [
    path("workbench/", workbench.workbench, name="workbench"),
    path("workbench/intake/", intake.intake_items, name="intake_items"),
    path("workbench/intake/<str:code>/", intake.intake, name="intake"),
    path("workbench/board/", board.board, name="board"),
    path("workbench/cases/<str:number>/", case_page.case_detail, name="case"),
    path("workbench/cases/<str:number>/notice/<str:kind>.pdf", case_page.notice_pdf, name="notice"),
    path("workbench/cases/<str:number>/materials/<int:material_id>/", materials.material_file, name="material"),
    path("workbench/cases/<str:number>/<str:action>/", case_page.case_action, name="case_action"),
    path("apply/", citizen.apply_items, name="apply_items"),
    path("apply/<str:code>/", citizen.apply, name="apply"),
    path("my/cases/", citizen.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", citizen.my_case, name="my_case"),
    path("my/cases/<str:number>/materials/<int:material_id>/", materials.material_file, name="my_material"),
    path("my/cases/<str:number>/notice/<str:kind>.pdf", citizen.my_notice_pdf, name="my_notice"),
    path("track/", tracking.track, name="track"),
]
