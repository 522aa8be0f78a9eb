from django.urls import path
from django.views.generic import RedirectView

from onewindow.bundles import views

app_name = "bundles"

urlpatterns = [
    # One page per theme, in the public catalog's address space; the old address moved for good.
    path("themes/<str:code>/", views.theme_guide, name="theme"),
    path("bundles/themes/<str:code>/", RedirectView.as_view(pattern_name="bundles:theme", permanent=True)),
    path("bundles/themes/<str:code>/apply/", views.apply, name="apply"),
    path("bundles/themes/<str:code>/intake/", views.intake, name="intake"),
    path("bundles/packages/", views.package_list, name="packages"),
    path("bundles/packages/<str:number>/", views.package_detail, name="package"),
    path("bundles/packages/<str:number>/<str:action>/", views.package_action, name="package_action"),
    path("bundles/board/", views.board, name="board"),
]
