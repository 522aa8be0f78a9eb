from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from onewindow.api import api

admin.site.site_header = "一窗通办 管理后台"
admin.site.site_title = "一窗通办"
admin.site.index_title = "管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("onewindow.core.urls")),
    path("", include("onewindow.catalog.urls")),
    path("", include("onewindow.cases.urls")),
    path("", include("onewindow.hall.urls")),
    path("", include("onewindow.bundles.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
