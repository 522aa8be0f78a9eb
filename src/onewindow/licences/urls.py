from django.urls import path

from onewindow.licences import views

app_name = "licences"

urlpatterns = [
    path("my/licences/", views.my_licences, name="my_licences"),
    path("my/licences/<int:licence_id>/", views.my_licence, name="my_licence"),
    path("workbench/licences/", views.register, name="register"),
    path("workbench/licences/<int:licence_id>/", views.licence_page, name="licence"),
]
