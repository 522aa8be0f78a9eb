from django.urls import path

from onewindow.supervision import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.inbox, name="inbox"),
]
