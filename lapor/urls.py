from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("kantor/", include("lapor.office.urls")),
    path("notifikasi/", include("lapor.notifications.urls")),
    path("", include("lapor.portal.urls")),
]
