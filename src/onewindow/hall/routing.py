from django.urls import path

from onewindow.hall import consumers

websocket_urlpatterns = [
    path("ws/hall/<str:hall>/board/", consumers.BoardConsumer.as_asgi()),
    path("ws/hall/window/<int:window>/", consumers.WindowScreenConsumer.as_asgi()),
]
