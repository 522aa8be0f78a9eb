from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

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
    path("", include("onewindow.supervision.urls")),
    path("", include("onewindow.bundles.urls")),
    path("", include("onewindow.licences.urls")),
    # The supervision inbox was a 一件事 page until this release.
    path("bundles/supervision/", RedirectView.as_view(pattern_name="supervision:inbox", permanent=True)),
]
# Styled pages in the site's layout (JSON under /api/v1/); see onewindow.core.error_pages for the rule.
handler400 = "onewindow.core.error_pages.bad_request"
handler403 = "onewindow.core.error_pages.permission_denied"
handler404 = "onewindow.core.error_pages.page_not_found"
handler500 = "onewindow.core.error_pages.server_error"

if settings.DEBUG:
    # Only the catalog's public files (blank forms, samples): case materials and results are served by their views,
    # to those who may see the case, never from a media address.
    urlpatterns += static(f"{settings.MEDIA_URL}catalog/", document_root=settings.MEDIA_ROOT / "catalog")
