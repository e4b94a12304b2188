from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Channels (issue #5): REST API, Open311 GeoReport v2, Kannel's incoming SMS.
    path("api/", include("lapor.api.urls")),
    path("open311/v2/", include("lapor.open311.urls")),
    path("sms/", include("lapor.sms.urls")),
    path("", include("lapor.ops.urls")),
    path("akun/", include("allauth.urls")),
    # SILAPAT (issue #8), a module: no route at all when LAPOR_SILAPAT_ENABLED is false.
    *([path("kantor/silapat/", include("lapor.harmony.urls_office")),
       path("silapat/", include("lapor.harmony.urls"))] if settings.LAPOR_SILAPAT_ENABLED else []),
    path("kantor/darurat/", include("lapor.disasters.urls_office")),  # disaster mode (issue #7)
    # Opinion polls and IKM surveys in the back office (/kantor/opini/, /kantor/survei/).
    path("kantor/", include("lapor.transparency.urls_office")),
    path("kantor/", include("lapor.office.urls")),
    path("notifikasi/", include("lapor.notifications.urls")),
    # Following and Atom feeds (/ikuti/, /laporan/atom.xml, /peta/atom.xml, …), disaster
    # incident maps (/darurat/<id>/): before the portal's /laporan/<tracking id>/.
    path("", include("lapor.following.urls")),
    path("", include("lapor.disasters.urls")),
    path("", include("lapor.transparency.urls")),  # /peta/ /statistik/ /kinerja/ /opini/ (issue #7)
    path("", include("lapor.portal.urls")),
]

# A database outage answers 503 with Retry-After, anything else Django's 500 (lapor/ops/outage.py).
handler500 = "lapor.ops.outage.server_error"
# Other errors in the visitor's language, and as JSON on the API and Open311 (lapor/ops/errors.py).
handler400 = "lapor.ops.errors.bad_request"
handler403 = "lapor.ops.errors.permission_denied"
handler404 = "lapor.ops.errors.page_not_found"
