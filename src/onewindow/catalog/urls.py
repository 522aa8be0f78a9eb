"""Public catalog pages (no login): browse and search, departments, the list of themes, the guide page of an item.

A theme's own page (`/themes/<code>/`) is the 一件事 guide, served by the bundles app."""

from django.urls import path

from onewindow.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("themes/", views.theme_list, name="themes"),
    path("items/<str:implementation_code>/", views.item_guide, name="item"),
]
