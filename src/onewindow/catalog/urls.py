"""Public catalog pages (no login): browse and search, departments, themes, the guide page of an item."""

from django.urls import path

from onewindow.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<str:code>/", views.theme_detail, name="theme"),
    path("items/<str:implementation_code>/", views.item_guide, name="item"),
]
